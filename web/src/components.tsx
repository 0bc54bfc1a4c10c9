import type { ComponentChildren } from "preact";
import { ApiError } from "./api.js";
import { t } from "./strings.js";

export function ErrorNotice({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const message = error instanceof ApiError || error instanceof Error ? error.message : String(error);
  return (
    <div class="notice error" role="alert">
      <strong>{t.common.error}:</strong> {message}
      {onRetry ? (
        <button type="button" class="secondary" onClick={onRetry}>
          {t.common.retry}
        </button>
      ) : null}
    </div>
  );
}

export function Loading() {
  return (
    <p role="status" class="muted">
      {t.common.loading}
    </p>
  );
}

export function Card({ children, label }: { children: ComponentChildren; label?: string }) {
  return (
    <section class="card" aria-label={label}>
      {children}
    </section>
  );
}
