import { useEffect, useState } from "preact/hooks";
import { request, type PracticeCatalog, type SessionSummary } from "./api.js";
import { ErrorNotice, Loading } from "./components.js";
import { navigate } from "./main.js";
import { t } from "./strings.js";

/** Remembers the station timer for a session (the page may be reloaded mid-interview). */
export function saveTimer(sessionId: string, minutes: number | undefined): void {
  if (minutes) sessionStorage.setItem(`medsim.timer.${sessionId}`, JSON.stringify({ minutes, startedAt: Date.now() }));
}

export function PickerPage() {
  const [catalog, setCatalog] = useState<PracticeCatalog>();
  const [error, setError] = useState<unknown>();
  const [caseId, setCaseId] = useState("");
  const [personaId, setPersonaId] = useState("");
  const [language, setLanguage] = useState("en");
  const [timerOn, setTimerOn] = useState(true);
  const [minutes, setMinutes] = useState(8);
  const [starting, setStarting] = useState(false);

  const load = () => {
    setError(undefined);
    request<PracticeCatalog>("GET", "/v1/practice/catalog")
      .then((result) => {
        setCatalog(result);
        setCaseId((current) => current || result.cases[0]?.id || "");
        setPersonaId((current) => current || result.personas[0]?.id || "");
      })
      .catch(setError);
  };
  useEffect(load, []);

  const start = async (chosenCase: string, chosenPersona: string) => {
    setStarting(true);
    setError(undefined);
    try {
      const session = await request<SessionSummary>("POST", "/v1/sessions", {
        case: chosenCase,
        persona: chosenPersona,
        language,
      });
      saveTimer(session.id, timerOn ? minutes : undefined);
      navigate(`session/${session.id}`);
    } catch (caught) {
      setError(caught);
      setStarting(false);
    }
  };
  const random = () => {
    if (!catalog) return;
    const pick = <T,>(list: T[]) => list[Math.floor(Math.random() * list.length)]!;
    const chosenCase = pick(catalog.cases).id;
    const chosenPersona = pick(catalog.personas).id;
    setCaseId(chosenCase);
    setPersonaId(chosenPersona);
    void start(chosenCase, chosenPersona);
  };

  return (
    <>
      <h1 tabIndex={-1}>{t.picker.title}</h1>
      <p class="muted">{t.picker.intro}</p>
      {error ? <ErrorNotice error={error} onRetry={catalog ? undefined : load} /> : null}
      {!catalog && !error ? <Loading /> : null}
      {catalog ? (
        <form
          class="picker"
          onSubmit={(event) => {
            event.preventDefault();
            void start(caseId, personaId);
          }}
        >
          <fieldset class="cases">
            <legend>{t.picker.caseLabel}</legend>
            <div class="case-grid">
              {catalog.cases.map((item) => (
                <label class={`case-card${item.id === caseId ? " selected" : ""}`} key={item.id}>
                  <input
                    type="radio"
                    name="case"
                    value={item.id}
                    checked={item.id === caseId}
                    onChange={() => setCaseId(item.id)}
                  />
                  <span class="case-title">{item.title}</span>
                  <span class="case-meta">
                    {t.picker.patient(item.patient.name, item.patient.age, item.patient.sex)}
                  </span>
                  {item.setting ? <span class="case-meta">{item.setting}</span> : null}
                  <span class="case-complaint">
                    {t.picker.complaint}: {item.chiefComplaint}
                  </span>
                  {item.source === "user" ? <span class="badge">{t.picker.userCase}</span> : null}
                </label>
              ))}
            </div>
          </fieldset>
          <div class="row">
            <label>
              {t.picker.personaLabel}
              <select value={personaId} onChange={(event) => setPersonaId(event.currentTarget.value)}>
                {catalog.personas.map((persona) => (
                  <option value={persona.id} key={persona.id}>
                    {persona.name}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t.picker.languageLabel}
              <select value={language} onChange={(event) => setLanguage(event.currentTarget.value)}>
                {catalog.languages.map((code) => (
                  <option value={code} key={code}>
                    {t.picker.languages[code] ?? code}
                  </option>
                ))}
              </select>
            </label>
            <label class="inline">
              <input type="checkbox" checked={timerOn} onChange={(event) => setTimerOn(event.currentTarget.checked)} />
              {t.picker.timerLabel}
            </label>
            <label>
              {t.picker.timerMinutes}
              <input
                type="number"
                min={1}
                max={60}
                value={minutes}
                disabled={!timerOn}
                onInput={(event) => setMinutes(Math.max(1, Math.min(60, Number(event.currentTarget.value) || 8)))}
              />
            </label>
          </div>
          <p class="muted">{catalog.personas.find((persona) => persona.id === personaId)?.description}</p>
          <div class="actions">
            <button type="submit" disabled={starting || !caseId || !personaId}>
              {starting ? t.picker.starting : t.picker.start}
            </button>
            <button type="button" class="secondary" onClick={random} disabled={starting}>
              {t.picker.random}
            </button>
          </div>
        </form>
      ) : null}
    </>
  );
}
