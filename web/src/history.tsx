import { useEffect, useState } from "preact/hooks";
import { request, type SessionSummary } from "./api.js";
import { ErrorNotice, Loading } from "./components.js";
import { t } from "./strings.js";

/** The key's past sessions, newest first: resume an open one, read the feedback of an ended one. */
export function HistoryPage() {
  const [sessions, setSessions] = useState<SessionSummary[]>();
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>();
  const load = (after?: string) =>
    request<{ data: SessionSummary[]; nextCursor: string | null }>(
      "GET",
      `/v1/sessions?limit=20${after ? `&cursor=${encodeURIComponent(after)}` : ""}`,
    )
      .then((page) => {
        setSessions((current) => [...(after ? (current ?? []) : []), ...page.data]);
        setCursor(page.nextCursor);
      })
      .catch(setError);
  useEffect(() => void load(), []);
  return (
    <>
      <h1 tabIndex={-1}>{t.history.title}</h1>
      {error ? <ErrorNotice error={error} /> : null}
      {!sessions && !error ? <Loading /> : null}
      {sessions && sessions.length === 0 ? <p>{t.history.empty}</p> : null}
      {sessions && sessions.length > 0 ? (
        <ul class="history">
          {sessions.map((session) => (
            <li key={session.id} class="card">
              <a href={session.status === "ended" ? `#/feedback/${session.id}` : `#/session/${session.id}`}>
                {session.case.title ?? session.case.id}
              </a>
              <span class="muted">
                {" "}
                · {session.persona.name} · {new Date(session.createdAt).toLocaleString()} ·{" "}
                {session.status === "ended" ? t.history.ended : t.history.active}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
      {cursor ? (
        <button type="button" class="secondary" onClick={() => void load(cursor)}>
          {t.history.more}
        </button>
      ) : null}
    </>
  );
}
