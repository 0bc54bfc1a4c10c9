import { useEffect, useState } from "preact/hooks";
import { request, type Evidence, type FeedbackItem, type SessionDetail } from "./api.js";
import { ErrorNotice, Loading } from "./components.js";
import { t } from "./strings.js";

/** The feedback on an ended session: items grouped, each with its evidence linked to the transcript. */
export function FeedbackPage({ sessionId }: { sessionId: string }) {
  const [session, setSession] = useState<SessionDetail>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    request<SessionDetail>("GET", `/v1/sessions/${encodeURIComponent(sessionId)}`)
      .then(setSession)
      .catch(setError);
  }, [sessionId]);
  if (error) return <ErrorNotice error={error} />;
  if (!session) return <Loading />;
  const feedback = session.feedback;
  const transcript = session.entries.filter((entry) => entry.kind === "doctor" || entry.kind === "patient");
  const showTurn = (turn: number) => {
    const element = document.getElementById(`turn-${turn}`);
    element?.scrollIntoView({ block: "center" });
    element?.focus();
  };
  const evidenceList = (evidence: Evidence[]) =>
    evidence.length === 0 ? null : (
      <ul class="evidence" aria-label={t.feedback.evidence}>
        {evidence.map((item) => (
          <li key={`${item.turn}-${item.quote}`}>
            <button
              type="button"
              class="link"
              onClick={() => showTurn(item.turn)}
              aria-label={t.feedback.goToTurn(item.turn)}
            >
              {t.feedback.turn(item.turn)}
            </button>{" "}
            <q>{item.quote}</q>
          </li>
        ))}
      </ul>
    );
  const group = (category: "history" | "communication") => {
    if (!feedback) return null;
    const items = feedback.items.filter((item) => item.category === category);
    const totals = feedback.totals[category];
    return (
      <section class="card" aria-labelledby={`${category}-heading`}>
        <h2 id={`${category}-heading`}>
          {category === "history" ? t.feedback.history : t.feedback.communication}{" "}
          <span class="score">{t.feedback.totals(totals.met, totals.applicable)}</span>
        </h2>
        <ul class="items">
          {items.map((item) => (
            <ItemView key={item.id} item={item}>
              {evidenceList(item.evidence)}
            </ItemView>
          ))}
        </ul>
      </section>
    );
  };
  return (
    <div class="feedback">
      <h1 tabIndex={-1}>
        {t.feedback.title}: {session.case.title ?? session.case.id}
      </h1>
      {!feedback ? (
        <p class="notice">{t.feedback.none}</p>
      ) : (
        <>
          <p class="muted">{t.feedback.mode(feedback.mode, feedback.judge)}</p>
          <section class="card impression" aria-labelledby="impression-heading">
            <h2 id="impression-heading">
              {t.feedback.impression}:{" "}
              <span class={`verdict ${feedback.impression.verdict}`}>
                {t.feedback.verdicts[feedback.impression.verdict]}
              </span>
            </h2>
            <p>{feedback.impression.note}</p>
            {evidenceList(feedback.impression.evidence)}
          </section>
          <section class="card tips" aria-labelledby="tips-heading">
            <h2 id="tips-heading">{t.feedback.tips}</h2>
            <ol>
              {feedback.tips.map((tip) => (
                <li key={tip}>{tip}</li>
              ))}
            </ol>
          </section>
          <div class="feedback-grid">
            {group("history")}
            {group("communication")}
          </div>
        </>
      )}
      <section class="card" aria-labelledby="transcript-heading">
        <h2 id="transcript-heading">{t.feedback.transcript}</h2>
        <ol class="transcript" start={0}>
          {transcript.map((entry, index) => (
            <li key={entry.seq} id={`turn-${index}`} tabIndex={-1} class={`entry ${entry.kind}`}>
              <span class="who">
                {index} · {entry.kind === "doctor" ? t.room.you : t.room.patient}
              </span>{" "}
              <span class="said">{entry.content}</span>
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}

function ItemView({ item, children }: { item: FeedbackItem; children: unknown }) {
  const status =
    item.status === "met" ? t.feedback.met : item.status === "missed" ? t.feedback.missed : t.feedback.notApplicable;
  return (
    <li class={`item ${item.status}`}>
      <span class="status" aria-hidden="true">
        {item.status === "met" ? "✓" : item.status === "missed" ? "✗" : "–"}
      </span>
      <div>
        <strong>{t.feedback.items[item.id] ?? item.id}</strong> <span class="sr-only">{status}.</span>
        <span class={`tag ${item.status}`} aria-hidden="true">
          {status}
        </span>
        <p class="note">{item.note}</p>
        {children as never}
      </div>
    </li>
  );
}
