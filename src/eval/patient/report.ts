/**
 * The HTML report of `medsim eval run`: headline metrics for the model (and a baseline), bars per
 * metric, per persona and per case, the persona confusion matrix, and the worst transcripts with
 * the offending sentences highlighted. Self-contained (charts are inline SVG).
 */
import {
  barChartSpec,
  chartRow,
  escapeHtml,
  heatmapSpec,
  htmlTable,
  rawHtml,
  renderChartSvg,
  renderHtmlPage,
} from "../../report/index.js";
import type { PatientEvaluation } from "./run.js";
import type { PatientMetrics, ScoredInterview } from "./score.js";

/** A labelled evaluation for the report ("fine-tuned", "base", ...). */
export interface ReportedModel {
  label: string;
  evaluation: PatientEvaluation;
  /** Perplexity on held-out dialogues, when measured. */
  perplexity?: number;
  adapter?: string | null;
}

/** Options of {@link renderEvaluationReport}. */
export interface EvaluationReportOptions {
  title?: string;
  models: readonly ReportedModel[];
  /** Transcripts shown in full (worst first) [3]. */
  worst?: number;
  /** Extra HTML sections appended (e.g. the classifier's held-out scores). */
  extraSections?: string;
}

const RATES: readonly [keyof PatientMetrics, string][] = [
  ["persona_accuracy", "persona accuracy"],
  ["relevance", "relevance"],
  ["consistency", "consistency"],
];
const COUNTS: readonly [keyof PatientMetrics, string][] = [
  ["diagnosis_leaks", "diagnosis leaks"],
  ["role_breaks", "role breaks"],
  ["unprompted_disclosures", "unprompted disclosures"],
  ["guard_interventions", "guard interventions"],
  ["scripted_fallbacks", "scripted fallbacks"],
  ["adversarial_failures", "adversarial failures"],
];

function format(value: number | null | undefined, digits = 3): string {
  return value === null || value === undefined
    ? "n/a"
    : Number.isInteger(value)
      ? String(value)
      : value.toFixed(digits);
}

function metricRows(models: readonly ReportedModel[]) {
  const rows: (string | number)[][] = [];
  const get = (metrics: PatientMetrics, key: string): number | null => {
    if (key.startsWith("factuality.")) return metrics.factuality[key.slice(11) as "entailed"];
    const value = metrics[key as keyof PatientMetrics];
    return typeof value === "number" ? value : value === null ? null : null;
  };
  const keys: [string, string][] = [
    ...COUNTS.map(([key, label]) => [key, label] as [string, string]),
    ...RATES.map(([key, label]) => [key, label] as [string, string]),
    ["factuality.entailed", "sentences entailed"],
    ["factuality.neutral", "sentences neutral"],
    ["factuality.contradicted", "sentences contradicted"],
    ["distinct_1", "distinct-1"],
    ["distinct_2", "distinct-2"],
  ];
  for (const [key, label] of keys) {
    const values = models.map((model) => get(model.evaluation.metrics, key));
    const row: (string | number)[] = [label, ...values.map((value) => format(value))];
    if (models.length === 2 && values[0] !== null && values[1] !== null)
      row.push(`${values[0]! - values[1]! >= 0 ? "+" : ""}${format(values[0]! - values[1]!)}`);
    rows.push(row);
  }
  for (const dimension of ["personality", "language_level", "recall", "confusion", "realism"] as const) {
    if (!models.some((model) => model.evaluation.fidelity?.means)) break;
    const values = models.map((model) => model.evaluation.fidelity?.means?.[dimension]);
    const row: (string | number)[] = [
      `judge: ${dimension.replace("_", " ")} (1-4)`,
      ...values.map((value) => format(value, 2)),
    ];
    if (models.length === 2 && values[0] !== undefined && values[1] !== undefined)
      row.push(`${values[0] - values[1] >= 0 ? "+" : ""}${format(values[0] - values[1], 2)}`);
    rows.push(row);
  }
  if (models.some((model) => model.perplexity !== undefined)) {
    const values = models.map((model) => model.perplexity);
    const row: (string | number)[] = ["perplexity (held-out dialogues)", ...values.map((value) => format(value, 2))];
    if (models.length === 2 && values[0] !== undefined && values[1] !== undefined)
      row.push(`${values[0] - values[1] >= 0 ? "+" : ""}${format(values[0] - values[1], 2)}`);
    rows.push(row);
  }
  return rows;
}

function highlightTurns(interview: ScoredInterview): string {
  const lines = interview.turns.map((turn) => {
    const reply = turn.sentences.length
      ? turn.sentences
          .map((sentence) => {
            const problem = sentence.diagnosisLeak
              ? `names the diagnosis (${sentence.diagnosisLeak})`
              : sentence.roleBreak
                ? `role break: ${sentence.roleBreak}`
                : sentence.label === "contradicted"
                  ? `contradicted: ${sentence.reason ?? ""}`
                  : undefined;
            return problem
              ? `<mark title="${escapeHtml(problem)}">${escapeHtml(sentence.sentence)}</mark> <small>[${escapeHtml(problem)}]</small>`
              : escapeHtml(sentence.sentence);
          })
          .join(" ")
      : "<em>(no reply)</em>";
    const notes = [
      turn.fallback ? "the engine said nothing usable: scripted fallback" : "",
      turn.inconsistency ? `inconsistent: ${turn.inconsistency}` : "",
      turn.relevant ? "" : "does not answer the question",
      turn.unprompted.length ? `unprompted: ${turn.unprompted.join(", ")}` : "",
      turn.predictedPersona && turn.predictedPersona !== interview.personaId ? `sounds ${turn.predictedPersona}` : "",
    ].filter(Boolean);
    return `<p class="doctor"><b>Student${turn.kind === "adversarial" ? " (adversarial)" : ""}:</b> ${escapeHtml(turn.question)}</p><p class="patient"><b>Patient:</b> ${reply}${
      notes.length ? ` <small class="fail">${escapeHtml(notes.join("; "))}</small>` : ""
    }</p>`;
  });
  return `<div class="transcript">${lines.join("\n")}</div>`;
}

/** Renders the report page. */
export async function renderEvaluationReport(options: EvaluationReportOptions): Promise<string> {
  const { models } = options;
  const labels = models.map((model) => model.label);
  const header = ["metric", ...labels, ...(models.length === 2 ? [`${labels[0]} − ${labels[1]}`] : [])];

  const rateRows = models.flatMap((model) => [
    ...RATES.map(([key, label]) => ({
      metric: label,
      model: model.label,
      value: (model.evaluation.metrics[key] as number | null) ?? 0,
    })),
    { metric: "sentences entailed", model: model.label, value: model.evaluation.metrics.factuality.entailed },
    { metric: "sentences contradicted", model: model.label, value: model.evaluation.metrics.factuality.contradicted },
  ]);
  const countRows = models.flatMap((model) =>
    COUNTS.map(([key, label]) => ({
      metric: label,
      model: model.label,
      value: model.evaluation.metrics[key] as number,
    })),
  );
  const personaRows = models.flatMap((model) =>
    Object.entries(model.evaluation.byPersona).map(([persona, metrics]) => ({
      persona,
      model: model.label,
      value: metrics.persona_accuracy ?? 0,
    })),
  );
  const caseRows = models.flatMap((model) =>
    Object.entries(model.evaluation.byCase).map(([caseId, metrics]) => ({
      case: caseId,
      model: model.label,
      value: metrics.factuality.entailed,
    })),
  );
  const charts = [
    await renderChartSvg(
      barChartSpec({
        title: "Rates (higher is better, except contradicted)",
        rows: rateRows,
        category: "metric",
        value: "value",
        color: "model",
        domain: [0, 1],
        valueTitle: "share",
      }),
    ),
    await renderChartSvg(
      barChartSpec({
        title: "Failures (counts; lower is better)",
        rows: countRows,
        category: "metric",
        value: "value",
        color: "model",
        valueTitle: "count",
      }),
    ),
    await renderChartSvg(
      barChartSpec({
        title: "Persona accuracy by persona",
        rows: personaRows,
        category: "persona",
        value: "value",
        color: "model",
        domain: [0, 1],
        valueTitle: "share of replies",
      }),
    ),
  ];
  const caseChart = await renderChartSvg(
    barChartSpec({
      title: "Sentences entailed by the script, per case",
      rows: caseRows,
      category: "case",
      value: "value",
      color: "model",
      domain: [0, 1],
      valueTitle: "share of sentences",
      width: 420,
    }),
  );
  const confusions: string[] = [];
  for (const model of models) {
    const confusion = model.evaluation.personaConfusion;
    if (!confusion) continue;
    confusions.push(
      await renderChartSvg(
        heatmapSpec({
          title: `Persona confusion (${model.label}), accuracy ${format(confusion.accuracy)}`,
          cells: confusion.personas.flatMap((truth) =>
            confusion.personas.map((predicted) => ({
              row: truth,
              column: predicted,
              count: confusion.confusion[truth]![predicted]!,
            })),
          ),
          rowTitle: "persona played",
          columnTitle: "persona the reply sounds like",
        }),
      ),
    );
  }
  const worst = models
    .map((model) => {
      const ranked = [...model.evaluation.scored].sort((a, b) => b.badness - a.badness).slice(0, options.worst ?? 3);
      return `<h3>${escapeHtml(model.label)}</h3>${ranked
        .map(
          (interview) =>
            `<h4>${escapeHtml(interview.caseId)} · ${escapeHtml(interview.personaId)} (score ${interview.badness})</h4>${highlightTurns(interview)}`,
        )
        .join("")}`;
    })
    .join("");
  const describe = (model: ReportedModel) =>
    `${model.label}: ${model.evaluation.engine} ${model.evaluation.model}${model.adapter ? ` + ${model.adapter}` : ""}, ${model.evaluation.interviews} interviews, ${model.evaluation.turns} turns${model.evaluation.interrupted ? " (interrupted)" : ""}`;
  const zeroLeaks = models.every((model) => model.evaluation.metrics.diagnosis_leaks === 0);
  const body = [
    `<p>${models.map((model) => escapeHtml(describe(model))).join("<br>")}</p>`,
    `<p>Diagnosis leaks: <span class="${zeroLeaks ? "pass" : "fail"}">${models.map((model) => model.evaluation.metrics.diagnosis_leaks).join(" / ")}</span></p>`,
    "<h2>Metrics</h2>",
    htmlTable(header, metricRows(models)),
    chartRow(charts),
    "<h2>Per case</h2>",
    chartRow([caseChart]),
    "<h2>Persona confusion</h2>",
    confusions.length ? chartRow(confusions) : "<p>No persona classifier was used.</p>",
    "<h2>Per persona</h2>",
    htmlTable(
      [
        "persona",
        ...labels.flatMap((label) => [`${label}: accuracy`, `${label}: relevance`, `${label}: contradicted`]),
      ],
      Object.keys(models[0]?.evaluation.byPersona ?? {}).map((persona) => [
        persona,
        ...models.flatMap((model) => {
          const metrics = model.evaluation.byPersona[persona];
          return [
            format(metrics?.persona_accuracy),
            format(metrics?.relevance),
            format(metrics?.factuality.contradicted),
          ];
        }),
      ]),
    ),
    options.extraSections ?? "",
    "<h2>Worst transcripts</h2>",
    rawHtml(worst).html,
    `<h2>How to read this</h2><p>Every patient sentence is checked against the case script: <b>entailed</b> (it carries a fact of the script), <b>contradicted</b> (a duration, severity, symptom, medicine or allergy the script states otherwise), or <b>neutral</b> (small talk or a detail the script does not have). A diagnosis leak is any sentence naming the hidden diagnosis or an alias. Role breaks are sentences giving medical advice, ordering tests, or speaking as a doctor or an AI. Persona accuracy is the share of history replies that the persona classifier attributes to the persona played (among the personas played, or the seed personas when only one was); a reply the simulator had to speak from the script because the engine said nothing usable (a scripted fallback) counts as a miss.</p>`,
  ].join("\n");
  return renderHtmlPage({
    title: options.title ?? "medsim evaluation report",
    subtitle: `Generated by medsim eval run on ${new Date().toISOString().slice(0, 10)}`,
    body,
  });
}
