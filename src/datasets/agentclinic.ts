import { z } from "zod";
import { PatientCaseSchema, type PatientCase, type PatientCaseInput } from "../domain/index.js";
import { hashString } from "../util/random.js";
import { findDiagnosisLeak } from "../simulator/guard.js";
import { MedsimError } from "../util/errors.js";
import { validate } from "../util/files.js";
import { parseLine, readLines, type LineError } from "./jsonl.js";

/** Any JSON value of an OSCE record (sections vary from case to case). */
type Loose = string | number | boolean | null | Loose[] | { [key: string]: Loose };

/** The parts of an AgentClinic OSCE record the importer relies on; everything else is read loosely. */
const OsceSchema = z.object({
  OSCE_Examination: z.object({
    Patient_Actor: z
      .object({
        Demographics: z.string().min(1),
        History: z.string().default(""),
        Symptoms: z
          .object({
            Primary_Symptom: z.string().min(1).optional(),
            Secondary_Symptoms: z.array(z.string()).default([]),
          })
          .loose()
          .default({ Secondary_Symptoms: [] }),
      })
      .loose(),
    Physical_Examination_Findings: z.record(z.string(), z.unknown()).default({}),
    Test_Results: z.record(z.string(), z.unknown()).default({}),
    Correct_Diagnosis: z.string().min(1),
  }),
});

/** What {@link importAgentClinic} read: the cases and the lines that failed. */
export interface AgentClinicImport {
  cases: PatientCase[];
  /** Lines that could not be imported, with the reason. */
  errors: LineError[];
  /** Facts that named the diagnosis and were redacted, per case. */
  redacted: { caseId: string; facts: number }[];
}

const GIVEN = {
  female: ["Anna", "Maria", "Grace", "Sofia", "Emily", "Fatima", "Priya", "Laura"],
  male: ["David", "James", "Omar", "Daniel", "Carlos", "Arjun", "Peter", "Samuel"],
  other: ["Alex", "Sam", "Robin", "Jamie"],
};
const SURNAMES = ["Miller", "Garcia", "Johnson", "Nguyen", "Brown", "Khan", "Lopez", "Wilson", "Patel", "Clark"];

/**
 * Imports AgentClinic OSCE case files (JSONL, one `{"OSCE_Examination": ...}` per line) as
 * `PatientCase` scripts: demographics, history told in the first person, symptoms, past history,
 * medications, social history, review of systems (denials become pertinent negatives), vital
 * signs, and every examination finding and test result. A line that cannot be imported is reported
 * with its number and the rest go on. Ids are `agentclinic-<line>`; names are made up per line.
 */
export async function importAgentClinic(path: string): Promise<AgentClinicImport> {
  const result: AgentClinicImport = { cases: [], errors: [], redacted: [] };
  for await (const { line, text } of readLines(path)) {
    try {
      const record = validate(OsceSchema, parseLine(text, path, line), `${path}:${line}`);
      const { patientCase, redacted } = toCase(record.OSCE_Examination as unknown as Osce, line, path);
      result.cases.push(patientCase);
      if (redacted > 0) result.redacted.push({ caseId: patientCase.id, facts: redacted });
    } catch (error) {
      if (!(error instanceof MedsimError)) throw error;
      result.errors.push({ line, message: error.message });
    }
  }
  return result;
}

interface Osce {
  Objective_for_Doctor?: Loose;
  Patient_Actor: {
    Demographics: string;
    History: string;
    Symptoms: { Primary_Symptom?: string; Secondary_Symptoms: string[] };
    [key: string]: Loose;
  };
  Physical_Examination_Findings: Record<string, Loose>;
  Test_Results: Record<string, Loose>;
  Correct_Diagnosis: string;
}

function toCase(osce: Osce, line: number, path: string): { patientCase: PatientCase; redacted: number } {
  const actor = osce.Patient_Actor;
  const demographicsText = actor.Demographics;
  const age = parseAge(demographicsText);
  const sex = /\b(female|woman|girl|lady|gravida|mother)\b/i.test(demographicsText)
    ? "female"
    : /\b(male|man|boy|gentleman)\b/i.test(demographicsText)
      ? "male"
      : "other";
  const seed = hashString(`${line}|${demographicsText}`);
  const social = flatten(actor.Social_History);
  const occupation = /\bworks? as (an? )?([^.,;]+)/i.exec(social)?.[2]?.trim() ?? (age < 18 ? "child" : "not stated");
  // A few records (screening follow-ups) have no symptoms: the first sentence of the history stands in.
  const firstSentence = actor.History.split(/(?<=\.)\s+/)[0]?.trim() ?? "";
  const primary =
    actor.Symptoms.Primary_Symptom?.trim() || firstPerson(firstSentence).replace(/\.$/, "") || "A check-up";
  const ros = flatten(actor.Review_of_Systems);
  const rosNegative = /\b(denies|no|not|negative|none)\b/i.test(ros);
  const duration =
    /\b(\d+|one|two|three|four|five|six|seven|eight|nine|ten|several|a few)[- ](hour|day|week|month|year)s?\b/i.exec(
      actor.History,
    );
  const medications = ["Current_Medications", "Medications", "Drug_History"].flatMap((key) =>
    actor[key] === undefined ? [] : listOf(actor[key]),
  );
  const sentences = (text: string, pattern: RegExp) =>
    text
      .split(/(?<=[.;])\s+/)
      .filter((part) => pattern.test(part))
      .join(" ");
  const vitals = (osce.Physical_Examination_Findings.Vital_Signs ?? {}) as Loose;
  const diagnosis = osce.Correct_Diagnosis.trim();
  const aliases = [
    ...new Set([
      diagnosis.replace(/\s*\([^)]*\)\s*/g, " ").trim(),
      ...[...diagnosis.matchAll(/\(([^)]+)\)/g)].map((match) => match[1]!.trim()),
    ]),
  ].filter((alias) => alias && alias !== diagnosis && alias.length >= 3);

  let redacted = 0;
  const probe = { diagnosis: { primary: diagnosis, aliases, differentials: [] } } as unknown as PatientCase;
  // The patient must not know the answer: a fact that names the diagnosis is rewritten.
  const safe = (text: string): string => {
    let result = text;
    for (const term of [diagnosis, ...aliases]) {
      if (findDiagnosisLeak(result, probe) === undefined) break;
      result = result.replace(new RegExp(term.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "gi"), "this problem");
    }
    if (result !== text) redacted++;
    return result;
  };
  const fact = (text: string, fallback: string) => safe(firstPerson(text.trim() || fallback));

  const input: PatientCaseInput = {
    id: `agentclinic-${String(line).padStart(3, "0")}`,
    title: `AgentClinic OSCE case (line ${line}): ${primary}`,
    setting: "Outpatient clinic (AgentClinic OSCE)",
    demographics: {
      name: `${pick(GIVEN[sex], seed)} ${pick(SURNAMES, seed >>> 8)}`,
      age,
      sex,
      occupation,
      region: "not stated",
      language: "English",
    },
    openingStatement: safe(
      actor.Symptoms.Primary_Symptom
        ? `Doctor, I'm here because of ${lowerFirst(primary).replace(/\.$/, "")}.`
        : `${primary}.`,
    ),
    chiefComplaint: safe(primary),
    historyOfPresentIllness: {
      onset: { text: fact(actor.History, primary), volunteer: true },
      duration: duration
        ? `It has been ${duration[0].toLowerCase().replace("-", " ")}${/s$/.test(duration[0]) || /^(one|a|1)\b/i.test(duration[1]!) ? "" : "s"}.`
        : "I'm not sure exactly how long.",
      severity: 5,
      associated: [
        ...actor.Symptoms.Secondary_Symptoms.map((symptom) => safe(symptom.trim())).filter(Boolean),
        ...(ros && !rosNegative ? [fact(ros, "")] : []),
      ],
      negatives: ros && rosNegative ? [fact(ros, "")] : [],
    },
    pastMedicalHistory:
      actor.Past_Medical_History === undefined
        ? []
        : [fact(flatten(actor.Past_Medical_History), "Nothing significant.")],
    medications: medications.map((item) => safe(item)),
    allergies: [],
    familyHistory: actor.Family_History === undefined ? [] : [fact(flatten(actor.Family_History), "")],
    socialHistory: {
      tobacco: fact(sentences(social, /smok|tobacco|cigar/i), "Nothing to mention about smoking."),
      alcohol: fact(sentences(social, /alcohol|drink|wine|beer|liquor/i), "Nothing to mention about alcohol."),
      ...(social ? { other: [fact(social, "")] } : {}),
    },
    ideasConcernsExpectations: {
      ideas: "I don't know what is causing it.",
      concerns: "I want to know if it is serious.",
      expectations: "I hope you can find out what is wrong.",
    },
    vitalSigns: parseVitals(vitals),
    examination: Object.fromEntries(
      entries(osce.Physical_Examination_Findings, ["Vital_Signs"]).map(([label, text]) => [label, safe(text)]),
    ),
    tests: Object.fromEntries(entries(osce.Test_Results, []).map(([label, text]) => [label, text])),
    diagnosis: { primary: diagnosis, aliases, differentials: [] },
  };
  return { patientCase: validate(PatientCaseSchema, input, `${path}:${line}`), redacted };
}

function parseAge(text: string): number {
  const match = /(\d+)[- ](year|month|week|day)s?[- ]old/i.exec(text);
  if (!match) return /newborn|neonate|infant/i.test(text) ? 0 : 40;
  const value = Number(match[1]);
  return match[2]!.toLowerCase() === "year"
    ? Math.min(120, value)
    : match[2]!.toLowerCase() === "month"
      ? Math.floor(value / 12)
      : 0;
}

/** Vital signs from free text; anything missing or unreadable gets a normal value. */
function parseVitals(vitals: Loose): PatientCaseInput["vitalSigns"] {
  const pairs = entries(typeof vitals === "object" && vitals !== null && !Array.isArray(vitals) ? vitals : {}, []);
  const find = (pattern: RegExp) => pairs.find(([label]) => pattern.test(label))?.[1] ?? "";
  const number = (text: string) => Number(/-?\d+(\.\d+)?/.exec(text)?.[0] ?? NaN);
  const temperatureText = find(/temp/i);
  let temperature = number(/(\d+(\.\d+)?)\s*°?\s*C\b/.exec(temperatureText)?.[1] ?? temperatureText);
  if (temperature > 50) temperature = Math.round((((temperature - 32) * 5) / 9) * 10) / 10;
  const bp = /(\d{2,3})\s*\/\s*(\d{2,3})/.exec(find(/blood.?pressure|^bp$/i));
  const clamp = (value: number, low: number, high: number, fallback: number) =>
    Number.isFinite(value) && value >= low && value <= high ? value : fallback;
  const saturation = number(find(/oxygen|spo2|saturation/i));
  return {
    temperatureC: clamp(temperature, 25, 45, 37),
    heartRate: Math.round(clamp(number(find(/heart.?rate|pulse/i)), 20, 250, 80)),
    respiratoryRate: Math.round(clamp(number(find(/resp/i)), 4, 80, 16)),
    bloodPressure: bp ? `${bp[1]}/${bp[2]}` : "120/80",
    ...(Number.isFinite(saturation) && saturation >= 50 && saturation <= 100 ? { oxygenSaturation: saturation } : {}),
  };
}

/** Flattens nested sections into `label: text` pairs ("neurological examination, cranial nerves"). */
function entries(value: Record<string, Loose>, skip: readonly string[], prefix = ""): [string, string][] {
  const result: [string, string][] = [];
  for (const [key, item] of Object.entries(value)) {
    if (skip.includes(key)) continue;
    const label = `${prefix}${prefix ? ", " : ""}${key.replace(/_/g, " ").toLowerCase()}`;
    if (item !== null && typeof item === "object" && !Array.isArray(item)) result.push(...entries(item, [], label));
    else {
      const text = flatten(item);
      if (text) result.push([label, text]);
    }
  }
  return result;
}

function flatten(value: Loose | undefined): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value.trim();
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return value.map(flatten).filter(Boolean).join("; ");
  return Object.entries(value)
    .map(([key, item]) => `${key.replace(/_/g, " ")}: ${flatten(item)}`)
    .join("; ");
}

function listOf(value: Loose): string[] {
  return Array.isArray(value) ? value.map(flatten).filter(Boolean) : [flatten(value)].filter(Boolean);
}

const VERBS: Readonly<Record<string, string>> = {
  has: "have",
  is: "am",
  was: "was",
  does: "do",
  reports: "report",
  notes: "note",
  denies: "deny",
  describes: "describe",
  states: "state",
  complains: "complain",
  experiences: "experience",
  mentions: "mention",
  presents: "come",
  recalls: "recall",
  admits: "admit",
  works: "work",
  drinks: "drink",
  smokes: "smoke",
  lives: "live",
  takes: "take",
  feels: "feel",
  began: "began",
  started: "started",
};

/** Third-person case notes into the patient's first person ("The patient reports ..." → "I report ..."). */
export function firstPerson(text: string): string {
  return text
    .replace(
      /(^|[.;]\s+)(denies|reports|notes|shares|admits|mentions|describes|complains|smokes|drinks|works|lives|takes)\b/gi,
      (_match, start: string, verb: string) => `${start}I ${verb.toLowerCase()}`,
    )
    .replace(/\b(the patient|patient|the child|the infant|she|he)\b(?=\s)/gi, "I")
    .replace(/\b(her|his)\b(?!self)/gi, "my")
    .replace(/\b(herself|himself)\b/gi, "myself")
    .replace(/\bI (\w+)\b/g, (match, verb: string) =>
      VERBS[verb.toLowerCase()] ? `I ${VERBS[verb.toLowerCase()]}` : match,
    )
    .replace(/\bI am been\b/g, "I have been")
    .replace(/^i\b/, "I");
}

function lowerFirst(text: string): string {
  return /^[A-Z][a-z]/.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text;
}

function pick<T>(items: readonly T[], seed: number): T {
  return items[seed % items.length]!;
}
