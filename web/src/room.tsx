import { useEffect, useRef, useState } from "preact/hooks";
import {
  fetchBlob,
  request,
  sendDraft,
  sendStreaming,
  settings,
  type CaseCard,
  type Entry,
  type FindingResult,
  type PracticeCatalog,
  type SessionDetail,
} from "./api.js";
import { ErrorNotice, Loading } from "./components.js";
import { navigate } from "./main.js";
import { listen, speechInputSupported } from "./speech-input.js";
import { t } from "./strings.js";
import { Timer } from "./timer.js";

/** How long after the last keystroke (or speech recognition's last interim words) a draft is sent. */
const DRAFT_DELAY_MS = 300;
/** A student who types on without pausing still sends a draft this often (a debounce's maxWait). */
const DRAFT_MAX_WAIT_MS = 1000;
/** The server refuses longer messages (and drafts): such a draft would only be refused. */
const MAX_DRAFT_LENGTH = 4000;

export function RoomPage({ sessionId }: { sessionId: string }) {
  const [session, setSession] = useState<SessionDetail>();
  const [caseCard, setCaseCard] = useState<CaseCard>();
  const [error, setError] = useState<unknown>();
  const [draft, setDraft] = useState("");
  const [pending, setPending] = useState<{ question: string; reply: string }>();
  const [playing, setPlaying] = useState<number>();
  const [listening, setListening] = useState<() => void>();
  const [speechNotice, setSpeechNotice] = useState(speechInputSupported() ? "" : t.room.speechUnavailable);
  const [confirmEnd, setConfirmEnd] = useState(false);
  const [ending, setEnding] = useState(false);
  const audio = useRef<HTMLAudioElement>(null);
  const transcriptEnd = useRef<HTMLDivElement>(null);
  const input = useRef<HTMLTextAreaElement>(null);
  const sentDraft = useRef("");
  /** Whether a question is being answered: speech recognition's callback outlives the render it was made in. */
  const asking = useRef(false);
  /** When the text first differed from the last draft sent (undefined: it does not). */
  const changedSince = useRef<number | undefined>(undefined);

  const reload = async () => {
    const detail = await request<SessionDetail>("GET", `/v1/sessions/${encodeURIComponent(sessionId)}`);
    setSession(detail);
    return detail;
  };
  useEffect(() => {
    reload()
      .then(async (detail) => {
        const catalog = await request<PracticeCatalog>("GET", "/v1/practice/catalog");
        setCaseCard(catalog.cases.find((item) => item.id === detail.case.id));
      })
      .catch(setError);
  }, [sessionId]);
  // While the student types (or speaks), the question so far goes to the server once they pause
  // (and at least once a second while they type on), so a language model evaluates it ahead and
  // the reply starts sooner. Not when empty or unchanged, not while the patient
  // answers, and never the question just sent (sending clears the text, which cancels the timer).
  const active = session?.status === "active";
  useEffect(() => {
    if (!active || pending || !draft.trim() || draft === sentDraft.current || draft.length > MAX_DRAFT_LENGTH) {
      changedSince.current = undefined;
      return;
    }
    const now = Date.now();
    changedSince.current ??= now;
    const timer = setTimeout(
      () => {
        sentDraft.current = draft;
        changedSince.current = undefined;
        sendDraft(sessionId, draft);
      },
      Math.min(DRAFT_DELAY_MS, Math.max(0, changedSince.current + DRAFT_MAX_WAIT_MS - now)),
    );
    return () => clearTimeout(timer);
  }, [draft, pending, active, sessionId]);
  useEffect(() => transcriptEnd.current?.scrollIntoView({ block: "end" }), [session?.entries.length, pending?.reply]);

  if (error && !session) return <ErrorNotice error={error} />;
  if (!session) return <Loading />;
  const ended = session.status === "ended";

  const ask = async (text: string) => {
    const question = text.trim();
    if (!question || asking.current) return;
    asking.current = true;
    setError(undefined);
    setDraft("");
    sentDraft.current = "";
    setPending({ question, reply: "" });
    try {
      await sendStreaming(sessionId, question, (sentence) =>
        setPending((current) => (current ? { ...current, reply: `${current.reply} ${sentence}`.trim() } : current)),
      );
      await reload();
    } catch (caught) {
      setError(caught);
      setDraft(question);
    } finally {
      asking.current = false;
      setPending(undefined);
      input.current?.focus();
    }
  };
  const reveal = async (kind: "examine" | "tests", name: string) => {
    setError(undefined);
    try {
      await request<FindingResult>(
        "POST",
        `/v1/sessions/${encodeURIComponent(sessionId)}/${kind}`,
        kind === "examine" ? { system: name } : { name },
      );
      await reload();
    } catch (caught) {
      setError(caught);
    }
  };
  const play = async (entry: Entry) => {
    try {
      setPlaying(entry.seq);
      const blob = await fetchBlob(`/v1/sessions/${encodeURIComponent(sessionId)}/turns/${entry.seq}/speech`);
      const element = audio.current!;
      if (element.src) URL.revokeObjectURL(element.src);
      element.src = URL.createObjectURL(blob);
      element.onended = () => setPlaying(undefined);
      await element.play().catch(() => setPlaying(undefined));
    } catch (caught) {
      setPlaying(undefined);
      setError(caught);
    }
  };
  const toggleSpeech = () => {
    if (listening) {
      listening();
      setListening(undefined);
      return;
    }
    setSpeechNotice("");
    const stop = listen(
      session.language?.requested ?? "en",
      (text, final) => {
        setDraft(text);
        if (final) void ask(text);
      },
      (reason) => {
        setListening(undefined);
        if (reason)
          setSpeechNotice(reason === "not-supported" ? t.room.speechUnavailable : t.room.speechFailed(reason));
      },
    );
    setListening(() => stop);
  };
  const end = async () => {
    setEnding(true);
    try {
      await request<SessionDetail>("POST", `/v1/sessions/${encodeURIComponent(sessionId)}/end`);
      navigate(`feedback/${sessionId}`);
    } catch (caught) {
      setError(caught);
      setEnding(false);
    }
  };

  const languageName = (code: string) => t.picker.languages[code] ?? code;
  const languageNote = session.language
    ? t.room.language(languageName(session.language.requested), languageName(session.language.answered))
    : "";
  return (
    <div class="room">
      <div class="room-head">
        <h1 tabIndex={-1}>{t.room.title(session.case.patient.name)}</h1>
        <p class="muted">
          {session.case.title} · {session.persona.name}
        </p>
        {!ended ? <Timer sessionId={sessionId} /> : null}
      </div>
      {languageNote ? <p class="notice">{languageNote}</p> : null}
      {error ? <ErrorNotice error={error} /> : null}
      <div class="room-grid">
        <section class="conversation" aria-labelledby="conversation-heading">
          <h2 id="conversation-heading">{t.room.transcript}</h2>
          <ol class="transcript">
            {session.entries.map((entry) => (
              <EntryView
                key={entry.seq}
                entry={entry}
                playing={playing === entry.seq}
                onPlay={() => void play(entry)}
              />
            ))}
            {pending ? (
              <>
                <li class="entry doctor">
                  <span class="who">{t.room.you}</span> <span class="said">{pending.question}</span>
                </li>
                <li class="entry patient" aria-busy="true">
                  <span class="who">{t.room.patient}</span> <span class="said">{pending.reply || "…"}</span>
                </li>
              </>
            ) : null}
          </ol>
          <div ref={transcriptEnd} />
          <p class="sr-only" aria-live="polite">
            {pending ? t.room.sending : ""}
          </p>
          <audio ref={audio} class="sr-only" />
          {ended ? (
            <p class="notice">
              {t.room.ended} <a href={`#/feedback/${sessionId}`}>{t.room.viewFeedback}</a>
            </p>
          ) : (
            <form
              class="ask"
              onSubmit={(event) => {
                event.preventDefault();
                void ask(draft);
              }}
            >
              <label for="ask-input">{t.room.askLabel}</label>
              <textarea
                id="ask-input"
                ref={input}
                rows={2}
                class={listening ? "hearing" : undefined}
                value={draft}
                placeholder={t.room.askPlaceholder}
                onInput={(event) => setDraft(event.currentTarget.value)}
                onKeyDown={(event) => {
                  if (event.key === "Enter" && !event.shiftKey) {
                    event.preventDefault();
                    void ask(draft);
                  }
                }}
              />
              <div class="actions">
                <button type="submit" disabled={!!pending || !draft.trim()}>
                  {pending ? t.room.sending : t.room.send}
                </button>
                {speechInputSupported() ? (
                  <button
                    type="button"
                    class={listening ? "listening" : "secondary"}
                    aria-pressed={!!listening}
                    disabled={!!pending && !listening}
                    onClick={toggleSpeech}
                  >
                    {listening ? t.room.stopSpeaking : t.room.speak}
                  </button>
                ) : null}
              </div>
              <p class={listening ? "listening-note" : "muted"} role="status">
                {listening ? t.room.listeningNow : speechNotice}
              </p>
            </form>
          )}
        </section>
        <aside class="side">
          {!ended && caseCard ? (
            <ExamPanel caseCard={caseCard} disabled={!!pending} onReveal={(kind, name) => void reveal(kind, name)} />
          ) : null}
          {settings.showFacts ? (
            <details class="card">
              <summary>{t.room.facts}</summary>
              {session.disclosedFacts.length === 0 ? (
                <p class="muted">{t.room.factsNone}</p>
              ) : (
                <ul>
                  {session.disclosedFacts.map((fact) => (
                    <li key={fact.id}>{fact.text}</li>
                  ))}
                </ul>
              )}
            </details>
          ) : null}
          {!ended ? (
            <div class="card end">
              {confirmEnd ? (
                <>
                  <p id="end-question">{t.room.endConfirm}</p>
                  <div class="actions">
                    <button
                      type="button"
                      class="danger"
                      onClick={() => void end()}
                      disabled={ending}
                      aria-describedby="end-question"
                    >
                      {ending ? t.room.ending : t.common.yes}
                    </button>
                    <button type="button" class="secondary" onClick={() => setConfirmEnd(false)} disabled={ending}>
                      {t.common.no}
                    </button>
                  </div>
                </>
              ) : (
                <button type="button" class="danger" onClick={() => setConfirmEnd(true)} disabled={!!pending}>
                  {t.room.end}
                </button>
              )}
            </div>
          ) : null}
        </aside>
      </div>
    </div>
  );
}

function EntryView({ entry, playing, onPlay }: { entry: Entry; playing: boolean; onPlay: () => void }) {
  if (entry.kind === "examination" || entry.kind === "test")
    return (
      <li class="entry finding">
        <span class="who">
          {entry.kind === "examination" ? t.room.finding : t.room.result}: {entry.label}
        </span>{" "}
        <span class="said">{entry.content || t.room.nothingRecorded}</span>
      </li>
    );
  return (
    <li class={`entry ${entry.kind}`} id={`entry-${entry.seq}`}>
      <span class="who">{entry.kind === "doctor" ? t.room.you : t.room.patient}</span>{" "}
      <span class="said">{entry.content}</span>
      {entry.kind === "patient" ? (
        <button type="button" class="listen" onClick={onPlay}>
          {playing ? t.room.listening : t.room.listen}
          <span class="sr-only">: {entry.content.slice(0, 40)}</span>
        </button>
      ) : null}
    </li>
  );
}

function ExamPanel({
  caseCard,
  disabled,
  onReveal,
}: {
  caseCard: CaseCard;
  disabled: boolean;
  onReveal: (kind: "examine" | "tests", name: string) => void;
}) {
  const systems = ["vitals", ...caseCard.examination];
  const [system, setSystem] = useState(systems[0]!);
  const [test, setTest] = useState("");
  return (
    <section class="card" aria-labelledby="exam-heading">
      <h2 id="exam-heading">{t.room.examTitle}</h2>
      <form
        class="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          onReveal("examine", system);
        }}
      >
        <label for="exam-system">{t.room.examineLabel}</label>
        <select id="exam-system" value={system} onChange={(event) => setSystem(event.currentTarget.value)}>
          {systems.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
        <button type="submit" class="secondary" disabled={disabled}>
          {t.room.examine}
        </button>
      </form>
      {/* The student names the test: a list of the tests this case records would give the answer away. */}
      <form
        class="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (test.trim()) onReveal("tests", test.trim());
        }}
      >
        <label for="order-test">{t.room.orderLabel}</label>
        <input
          id="order-test"
          type="text"
          value={test}
          placeholder={t.room.orderPlaceholder}
          autoComplete="off"
          onInput={(event) => setTest(event.currentTarget.value)}
        />
        <button type="submit" class="secondary" disabled={disabled || !test.trim()}>
          {t.room.order}
        </button>
      </form>
    </section>
  );
}
