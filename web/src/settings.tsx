import { useState } from "preact/hooks";
import { settings } from "./api.js";
import { t } from "./strings.js";

export function SettingsPage() {
  const [key, setKey] = useState(settings.apiKey);
  const [showFacts, setShowFacts] = useState(settings.showFacts);
  const [saved, setSaved] = useState(false);
  return (
    <>
      <h1 tabIndex={-1}>{t.settings.title}</h1>
      <form
        class="card settings"
        onSubmit={(event) => {
          event.preventDefault();
          settings.apiKey = key.trim();
          settings.showFacts = showFacts;
          setSaved(true);
        }}
      >
        <label for="api-key">{t.settings.keyLabel}</label>
        <input
          id="api-key"
          type="password"
          autoComplete="off"
          value={key}
          aria-describedby="api-key-help"
          onInput={(event) => (setKey(event.currentTarget.value), setSaved(false))}
        />
        <p id="api-key-help" class="muted">
          {t.settings.keyHelp}
        </p>
        <label class="inline">
          <input
            type="checkbox"
            checked={showFacts}
            onChange={(event) => (setShowFacts(event.currentTarget.checked), setSaved(false))}
          />
          {t.settings.showFacts}
        </label>
        <div class="actions">
          <button type="submit">{t.common.save}</button>
        </div>
        <p role="status">{saved ? t.settings.saved : ""}</p>
      </form>
    </>
  );
}
