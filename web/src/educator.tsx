import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, fetchBlob, request, type CaseCard } from "./api.js";
import { ErrorNotice, Loading } from "./components.js";
import { t } from "./strings.js";

type Kind = "case" | "persona";
interface CatalogItem {
  id: string;
  label: string;
  source: "built-in" | "user";
  yaml: string;
}
interface Issue {
  field: string;
  message: string;
  line?: number;
}
interface ValidationResult {
  valid: boolean;
  issues: Issue[];
  preview?: { case?: CaseCard; persona?: { id: string; name: string; description: string; examples: string[] } };
}
interface ClassReport {
  cases: {
    caseId: string;
    title: string;
    sessions: number;
    ended: number;
    meanHistory: number | null;
    meanCommunication: number | null;
  }[];
  mostMissed: { id: string; missed: number; of: number }[];
  sessions: {
    id: string;
    owner: string;
    caseId: string;
    title: string;
    persona: string;
    status: string;
    createdAt: string;
  }[];
}

/** Educator pages (admin keys): write and validate cases and personas, preview them, see the class. */
export function EducatorPage({ tab }: { tab: string }) {
  const tabs: [string, string][] = [
    ["cases", t.educator.tabs.cases],
    ["personas", t.educator.tabs.personas],
    ["class", t.educator.tabs.class],
  ];
  return (
    <>
      <h1 tabIndex={-1}>{t.educator.title}</h1>
      <nav class="tabs" aria-label={t.educator.title}>
        {tabs.map(([id, label]) => (
          <a key={id} href={`#/educator/${id}`} aria-current={tab === id ? "page" : undefined}>
            {label}
          </a>
        ))}
      </nav>
      {tab === "class" ? <ClassView /> : <CatalogEditor kind={tab === "personas" ? "persona" : "case"} key={tab} />}
    </>
  );
}

function adminError(error: unknown) {
  if (error instanceof ApiError && (error.status === 401 || error.status === 403))
    return (
      <p class="notice error" role="alert">
        {t.educator.needsAdmin} ({error.message})
      </p>
    );
  return <ErrorNotice error={error} />;
}

function CatalogEditor({ kind }: { kind: Kind }) {
  const [items, setItems] = useState<CatalogItem[]>();
  const [error, setError] = useState<unknown>();
  const [yaml, setYaml] = useState("");
  const [result, setResult] = useState<ValidationResult>();
  const [saved, setSaved] = useState("");
  const [busy, setBusy] = useState(false);
  const [saveError, setSaveError] = useState<unknown>();
  const editor = useRef<HTMLTextAreaElement>(null);
  const load = () =>
    request<{ items: CatalogItem[] }>("GET", `/v1/educator/catalog/${kind}s`)
      .then((response) => setItems(response.items))
      .catch(setError);
  useEffect(() => void load(), [kind]);

  const open = (item: CatalogItem, copy: boolean) => {
    setYaml(copy ? item.yaml.replace(/^id: .*$/m, `id: ${item.id}-copy`) : item.yaml);
    setResult(undefined);
    setSaved("");
    editor.current?.focus();
  };
  const check = async (save: boolean) => {
    setBusy(true);
    setSaved("");
    setSaveError(undefined);
    try {
      // Validate first: the response lists every problem with its line; only a valid item is saved.
      const checked = await request<ValidationResult>("POST", "/v1/educator/validate", { kind, yaml });
      setResult(checked);
      if (save && checked.valid) {
        const id = /^id:\s*["']?([^"'\s#]+)/m.exec(yaml)?.[1] ?? "";
        await request<ValidationResult>("PUT", `/v1/educator/catalog/${kind}s/${encodeURIComponent(id)}`, { yaml });
        setSaved(t.educator.saved(id));
        void load();
      }
    } catch (caught) {
      setSaveError(caught);
    } finally {
      setBusy(false);
    }
  };
  const goToLine = (line: number | undefined) => {
    const element = editor.current;
    if (!element || !line) return;
    const lines = yaml.split("\n");
    const start = lines.slice(0, line - 1).reduce((sum, text) => sum + text.length + 1, 0);
    element.focus();
    element.setSelectionRange(start, start + (lines[line - 1]?.length ?? 0));
  };
  if (error) return adminError(error);
  if (!items) return <Loading />;
  const invalid = result && !result.valid;
  return (
    <div class="educator-grid">
      <section class="card" aria-labelledby="items-heading">
        <h2 id="items-heading">{kind === "case" ? t.educator.tabs.cases : t.educator.tabs.personas}</h2>
        <ul class="item-list">
          {items.map((item) => (
            <li key={item.id}>
              <span>
                {item.label}{" "}
                <span class="muted">({item.source === "built-in" ? t.educator.builtIn : t.educator.user})</span>
              </span>
              <span class="actions">
                {item.source === "user" ? (
                  <button type="button" class="secondary small" onClick={() => open(item, false)}>
                    {t.educator.edit}
                  </button>
                ) : null}
                <button
                  type="button"
                  class="secondary small"
                  onClick={() => open(item, true)}
                  aria-label={`${t.educator.copy}: ${item.label}`}
                >
                  {t.educator.copy}
                </button>
              </span>
            </li>
          ))}
        </ul>
      </section>
      <section class="card" aria-labelledby="editor-heading">
        <h2 id="editor-heading">{t.educator.newItem(kind)}</h2>
        <label for="yaml-editor">{t.educator.editorLabel(kind)}</label>
        <textarea
          id="yaml-editor"
          ref={editor}
          class="code"
          rows={22}
          spellcheck={false}
          value={yaml}
          aria-invalid={invalid ? "true" : undefined}
          aria-describedby={invalid ? "yaml-errors" : undefined}
          onInput={(event) => (setYaml(event.currentTarget.value), setResult(undefined))}
        />
        <div class="actions">
          <button type="button" class="secondary" disabled={busy || !yaml.trim()} onClick={() => void check(false)}>
            {t.educator.validate}
          </button>
          <button type="button" disabled={busy || !yaml.trim()} onClick={() => void check(true)}>
            {t.educator.saveItem}
          </button>
        </div>
        {saveError ? <ErrorNotice error={saveError} /> : null}
        <div role="status" aria-live="polite">
          {result?.valid && !saved ? <p class="notice ok">{t.educator.valid}</p> : null}
          {saved ? <p class="notice ok">{saved}</p> : null}
        </div>
        {invalid ? (
          <div id="yaml-errors" class="notice error" role="alert">
            <strong>{t.educator.errorsTitle}</strong>
            <ul>
              {result.issues.map((issue) => (
                <li key={`${issue.field}-${issue.message}`}>
                  <button type="button" class="link" onClick={() => goToLine(issue.line)} data-field={issue.field}>
                    {t.educator.errorAt(issue.line, issue.field || "(file)")}
                  </button>
                  : {issue.message}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
      </section>
      <section class="card preview" aria-labelledby="preview-heading">
        <h2 id="preview-heading">{t.educator.preview}</h2>
        {result?.preview?.case ? (
          <div class="case-card selected">
            <span class="case-title">{result.preview.case.title}</span>
            <span class="case-meta">
              {t.picker.patient(
                result.preview.case.patient.name,
                result.preview.case.patient.age,
                result.preview.case.patient.sex,
              )}
            </span>
            {result.preview.case.setting ? <span class="case-meta">{result.preview.case.setting}</span> : null}
            <span class="case-complaint">
              {t.picker.complaint}: {result.preview.case.chiefComplaint}
            </span>
          </div>
        ) : result?.preview?.persona ? (
          <div>
            <strong>{result.preview.persona.name}</strong>
            <p>{result.preview.persona.description}</p>
            <ul>
              {result.preview.persona.examples.map((line) => (
                <li key={line}>
                  <q>{line}</q>
                </li>
              ))}
            </ul>
          </div>
        ) : (
          <p class="muted">{t.educator.previewEmpty}</p>
        )}
      </section>
    </div>
  );
}

function ClassView() {
  const [report, setReport] = useState<ClassReport>();
  const [error, setError] = useState<unknown>();
  useEffect(() => void request<ClassReport>("GET", "/v1/educator/class").then(setReport).catch(setError), []);
  const exportCsv = async () => {
    try {
      const blob = await fetchBlob("/v1/educator/class.csv");
      const link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = "medsim-class.csv";
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 1000);
    } catch (caught) {
      setError(caught);
    }
  };
  if (error) return adminError(error);
  if (!report) return <Loading />;
  const mean = (value: number | null) => (value === null ? "–" : `${Math.round(value * 100)}%`);
  const columns = t.educator.columns;
  return (
    <div class="class-view">
      <div class="actions">
        <button type="button" class="secondary" onClick={() => void exportCsv()}>
          {t.educator.exportCsv}
        </button>
      </div>
      <section class="card" aria-labelledby="by-case">
        <h2 id="by-case">{t.educator.classTitle}</h2>
        {report.cases.length === 0 ? (
          <p>{t.educator.noSessions}</p>
        ) : (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{columns.case}</th>
                  <th scope="col">{columns.sessions}</th>
                  <th scope="col">{columns.ended}</th>
                  <th scope="col">{columns.history}</th>
                  <th scope="col">{columns.communication}</th>
                </tr>
              </thead>
              <tbody>
                {report.cases.map((row) => (
                  <tr key={row.caseId}>
                    <th scope="row">{row.title}</th>
                    <td>{row.sessions}</td>
                    <td>{row.ended}</td>
                    <td>{mean(row.meanHistory)}</td>
                    <td>{mean(row.meanCommunication)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section class="card" aria-labelledby="most-missed">
        <h2 id="most-missed">{t.educator.mostMissed}</h2>
        <ol>
          {report.mostMissed.map((item) => (
            <li key={item.id}>
              {t.feedback.items[item.id] ?? item.id}: {item.missed} / {item.of}
            </li>
          ))}
        </ol>
      </section>
      <section class="card" aria-labelledby="recent-sessions">
        <h2 id="recent-sessions">{t.educator.recent}</h2>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{columns.case}</th>
                <th scope="col">{columns.student}</th>
                <th scope="col">{columns.started}</th>
                <th scope="col">{columns.status}</th>
              </tr>
            </thead>
            <tbody>
              {report.sessions.map((row) => (
                <tr key={row.id}>
                  <th scope="row">{row.title}</th>
                  <td>{row.owner}</td>
                  <td>{new Date(row.createdAt).toLocaleString()}</td>
                  <td>{row.status === "ended" ? <a href={`#/feedback/${row.id}`}>{row.status}</a> : row.status}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}
