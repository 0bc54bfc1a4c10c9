import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { FileError } from "../util/errors.js";
import { validate } from "../util/files.js";
import { KnowledgeBaseSchema, type Disease, type KnowledgeBase } from "./schema.js";

/** What the importer fixed in the CSV set, and what it could not match. */
export interface CsvImportReport {
  rows: number;
  diseases: number;
  symptoms: number;
  /** Values that had stray spaces around them. */
  trimmedValues: number;
  /** Symptom names rewritten to snake_case ids ("foul_smell_of urine" → "foul_smell_of_urine"). */
  normalizedSymptoms: { from: string; to: string }[];
  /** The same symptom twice in one row. */
  duplicateSymptomsInRows: number;
  /** Disease names matched to the knowledge base despite misspellings ("Peptic ulcer diseae"). */
  renamedDiseases: { from: string; to: string }[];
  /** Disease names that match no disease of the base; imported with neutral defaults. */
  unmatchedDiseases: string[];
  /** Symptoms with no weight in Symptom-severity.csv (weight 1 used). */
  missingWeights: string[];
  /** Every fix, one line each, for people. */
  fixes: string[];
}

/** What a knowledge-base CSV import produced, with each fix it made to the input. */
export interface CsvImportResult {
  knowledgeBase: KnowledgeBase;
  report: CsvImportReport;
}

/**
 * Ingests the widely used disease-symptom CSV set from a folder: `dataset.csv`
 * (`Disease,Symptom_1..Symptom_17`), and when present `Symptom-severity.csv` (`Symptom,weight`),
 * `symptom_Description.csv` (`Disease,Description`) and `symptom_precaution.csv`
 * (`Disease,Precaution_1..4`). Tolerates the set's known quirks (stray spaces, spaces inside
 * symptom ids, duplicate symptoms, misspelt disease names) and reports each fix. Diseases that
 * match the `base` knowledge base keep its demographics, red flags and Indian context; symptoms,
 * weights, descriptions and precautions come from the CSV files.
 */
export async function importSymptomCsv(directory: string, options: { base: KnowledgeBase }): Promise<CsvImportResult> {
  const report: CsvImportReport = {
    rows: 0,
    diseases: 0,
    symptoms: 0,
    trimmedValues: 0,
    normalizedSymptoms: [],
    duplicateSymptomsInRows: 0,
    renamedDiseases: [],
    unmatchedDiseases: [],
    missingWeights: [],
    fixes: [],
  };
  const clean = (value: string | undefined): string => {
    const raw = value ?? "";
    const trimmed = raw.trim().replace(/\s+/g, " ");
    if (trimmed !== raw) report.trimmedValues++;
    return trimmed;
  };
  const symptomId = (value: string): string => {
    const id = value
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "_")
      .replace(/^_+|_+$/g, "");
    if (id !== value && !report.normalizedSymptoms.some((item) => item.from === value))
      report.normalizedSymptoms.push({ from: value, to: id });
    return id;
  };

  const dataset = await readCsv(join(directory, "dataset.csv"), true);
  const severity = await readCsv(join(directory, "Symptom-severity.csv"), false);
  const descriptions = await readCsv(join(directory, "symptom_Description.csv"), false);
  const precautions = await readCsv(join(directory, "symptom_precaution.csv"), false);

  const symptomsByDisease = new Map<string, Map<string, number>>();
  const matched = new Map<string, Disease | undefined>();
  const matchName = (name: string): string => {
    if (!matched.has(name)) {
      const disease = matchDisease(name, options.base.diseases);
      matched.set(name, disease);
      if (disease && normalise(disease.name) !== normalise(name))
        report.renamedDiseases.push({ from: name, to: disease.name });
      if (!disease) report.unmatchedDiseases.push(name);
    }
    return matched.get(name)?.id ?? slug(name);
  };

  dataset.slice(1).forEach((row) => {
    const name = clean(row[0]);
    if (!name) return;
    report.rows++;
    const id = matchName(name);
    const counts = symptomsByDisease.get(id) ?? new Map<string, number>();
    const seen = new Set<string>();
    for (const cell of row.slice(1)) {
      const value = clean(cell);
      if (!value) continue;
      const symptom = symptomId(value);
      if (seen.has(symptom)) {
        report.duplicateSymptomsInRows++;
        continue;
      }
      seen.add(symptom);
      counts.set(symptom, (counts.get(symptom) ?? 0) + 1);
    }
    symptomsByDisease.set(id, counts);
  });
  if (report.rows === 0)
    throw new FileError(
      join(directory, "dataset.csv"),
      "no disease rows (expected a header and rows: Disease,Symptom_1,...)",
    );

  const weights = new Map<string, number>();
  for (const row of severity.slice(1)) {
    const name = clean(row[0]);
    const weight = Number(clean(row[1]));
    if (name && Number.isFinite(weight)) weights.set(symptomId(name), Math.min(7, Math.max(1, Math.round(weight))));
  }
  const byDiseaseText = (rows: string[][]) =>
    new Map(
      rows
        .slice(1)
        .filter((row) => clean(row[0]))
        .map((row) => [matchName(clean(row[0])), row.slice(1).map(clean).filter(Boolean)] as const),
    );
  const descriptionOf = byDiseaseText(descriptions);
  const precautionsOf = byDiseaseText(precautions);

  const symptoms = { ...options.base.symptoms };
  const diseases: Disease[] = [];
  for (const [id, counts] of symptomsByDisease) {
    const base = options.base.diseases.find((disease) => disease.id === id);
    const ordered = [...counts.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .map(([symptom]) => symptom);
    const diseaseSymptoms: Record<string, number> = {};
    for (const symptom of ordered) {
      if (!weights.has(symptom) && !report.missingWeights.includes(symptom)) report.missingWeights.push(symptom);
      diseaseSymptoms[symptom] = weights.get(symptom) ?? base?.symptoms[symptom] ?? 1;
      symptoms[symptom] ??= { lay: symptom.replace(/_/g, " "), keywords: [] };
    }
    const csvPrecautions = (precautionsOf.get(id) ?? []).map(
      (text) => `${text.charAt(0).toUpperCase()}${text.slice(1)}${/[.!?]$/.test(text) ? "" : "."}`,
    );
    const name = base?.name ?? [...matched.keys()].find((key) => matchName(key) === id) ?? id;
    const template = base ?? neutralDisease(id, name);
    // A location or character that describes a symptom the CSV does not list goes too.
    const { about, location: _location, character: _character, ...hpiRest } = template.hpi;
    const hpi = about === undefined || about in diseaseSymptoms ? template.hpi : hpiRest;
    diseases.push({
      ...template,
      hpi,
      symptoms: diseaseSymptoms,
      description: descriptionOf.get(id)?.[0] ?? base?.description ?? `${name} (imported; no description given).`,
      precautions:
        csvPrecautions.length === 4
          ? csvPrecautions
          : (base?.precautions ??
            [
              ...csvPrecautions,
              "See a doctor if it gets worse.",
              "Rest.",
              "Drink enough water.",
              "Follow medical advice.",
            ].slice(0, 4)),
    });
  }
  report.diseases = diseases.length;
  report.symptoms = new Set(diseases.flatMap((disease) => Object.keys(disease.symptoms))).size;
  if (report.trimmedValues) report.fixes.push(`trimmed stray spaces from ${report.trimmedValues} values`);
  for (const item of report.normalizedSymptoms) report.fixes.push(`symptom "${item.from}" read as "${item.to}"`);
  if (report.duplicateSymptomsInRows)
    report.fixes.push(`dropped ${report.duplicateSymptomsInRows} duplicate symptoms within rows`);
  for (const item of report.renamedDiseases) report.fixes.push(`disease "${item.from}" matched to "${item.to}"`);
  for (const name of report.unmatchedDiseases)
    report.fixes.push(`disease "${name}" matches no known disease; imported with neutral defaults`);
  for (const symptom of report.missingWeights) report.fixes.push(`symptom "${symptom}" has no weight; weight 1 used`);
  return { knowledgeBase: validate(KnowledgeBaseSchema, { diseases, symptoms }, directory), report };
}

async function readCsv(path: string, required: boolean): Promise<string[][]> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if (!required && (error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw new FileError(
      path,
      (error as NodeJS.ErrnoException).code === "ENOENT" ? "file not found" : `cannot read file (${String(error)})`,
    );
  }
  try {
    return parse(text, { relax_column_count: true, skip_empty_lines: true, bom: true }) as string[][];
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    throw new FileError(`${path}${line ? `:${line}` : ""}`, `invalid CSV: ${(error as Error).message.split("\n")[0]}`);
  }
}

function normalise(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}

function slug(name: string): string {
  return normalise(name).replace(/ /g, "-") || "disease";
}

/** Exact name or alias, then a small edit distance, then the longest alias the name contains. */
function matchDisease(name: string, diseases: readonly Disease[]): Disease | undefined {
  const key = normalise(name);
  const terms = diseases.flatMap((disease) =>
    [disease.name, ...disease.aliases].map((term) => ({ term: normalise(term), disease })),
  );
  const exact = terms.find((item) => item.term === key);
  if (exact) return exact.disease;
  const close = terms
    .map((item) => ({ ...item, distance: editDistance(item.term, key) }))
    .filter((item) => item.distance <= Math.max(1, Math.floor(item.term.length / 8)))
    .sort((a, b) => a.distance - b.distance)[0];
  if (close) return close.disease;
  const contained = terms
    .filter((item) => item.term.length >= 4 && ` ${key} `.includes(` ${item.term} `))
    .sort((a, b) => b.term.length - a.term.length)[0];
  return contained?.disease;
}

function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0]!;
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j]!;
      previous[j] = Math.min(previous[j]! + 1, previous[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length]!;
}

function neutralDisease(id: string, name: string): Disease {
  return {
    id,
    name,
    aliases: [],
    category: "imported",
    description: `${name}.`,
    symptoms: {},
    precautions: [],
    demographics: { ages: [1, 90], sex: "any" },
    duration: { days: [1, 30], onset: "gradual" },
    redFlags: ["Symptoms that get worse or do not improve"],
    critical: false,
    india: {
      prevalence: "Not given in the source data.",
      localNames: { hindi: "(not known)", english: name },
      access: "Not given in the source data.",
    },
    hpi: { aggravating: [], relieving: [] },
    exposures: [],
  };
}
