import { createRandom, hashString } from "../util/random.js";
import type { PatientCase } from "../domain/index.js";
import { diseaseNames, diseaseSymptoms, symptomPhrase, type Disease, type KnowledgeBase } from "../knowledge/index.js";
import { findDiagnosisLeak } from "../simulator/guard.js";
import { quantitiesIn } from "./check.js";
import type { ProgressCallback } from "../util/logger.js";
import { capitalize, choose, durationText, joinList, shuffle, uniform, withoutArticle } from "./text.js";

/** Symptoms that are history rather than complaints; a patient's query does not list them. */
const HISTORY_SYMPTOMS = new Set([
  "family_history",
  "history_of_alcohol_consumption",
  "receiving_blood_transfusion",
  "receiving_unsterile_injections",
  "extra_marital_contacts",
]);

/** Above this severity score a doctor's visit is recommended (the disease-symptom chatbot's rule). */
export const DEFAULT_SEVERITY_THRESHOLD = 13;

const TEMPLATES = [
  "I have {list} for the past {duration}. What could be wrong with me?",
  "Since {duration} I am having {list}. Is it something serious?",
  "Doctor, for {duration} I've had {list}. What do I have?",
  "{List} for {duration} now. What should I do?",
  "{Intro}I've been suffering from {list} for {duration}. Please tell me what it could be.",
  "{Intro}It has been {duration}: {list}. Should I be worried?",
];

/** Everyday variants of the lay phrases, for the offline paraphraser. */
const SYNONYMS: readonly (readonly [RegExp, string])[] = [
  [/\ba high fever\b/g, "a very high temperature"],
  [/\ba mild fever\b/g, "a slight temperature"],
  [/\btiredness all the time\b/g, "constant tiredness"],
  [/\bpain in my\b/g, "an ache in my"],
  [/\bloose motions\b/g, "diarrhoea"],
  [/\bvomiting\b/g, "throwing up"],
  [/\bheavy sweating\b/g, "a lot of sweating"],
  [/\ba loss of appetite\b/g, "no hunger"],
  [/\bbreathlessness\b/g, "shortness of breath"],
  [/\bdizziness\b/g, "giddiness"],
  [/\bitching of the skin\b/g, "itchy skin"],
];

/** One clinical Q&A pair for the assistant model. */
export interface QaSample {
  input_text: string;
  output_text: string;
  meta: {
    id: string;
    diseaseId: string;
    variant: "original" | "paraphrase";
    severityScore: number;
    seeDoctor: boolean;
    symptoms: string[];
    days: number;
  };
}

/** Rewrites a patient query; the offline paraphraser or one backed by a teacher engine. */
export type Paraphraser = (text: string, seed: number) => string | Promise<string>;

/** Options for {@link generateQaPairs}. */
export interface QaOptions {
  /** Samples per disease (balanced). Default 15. */
  perDisease?: number;
  /** Default 1. */
  seed?: number;
  /** Adds a paraphrased twin of every sample (doubling the set). `true`: the offline paraphraser. */
  paraphrase?: boolean | Paraphraser;
  /** Disease ids; default all. */
  diseases?: readonly string[];
  /** Tries per paraphrase before the sample goes without one. Default 10. */
  paraphraseAttempts?: number;
  /** Severity score above which a doctor is recommended. Default 13. */
  severityThreshold?: number;
  onProgress?: ProgressCallback;
}

/**
 * Generates balanced clinical Q&A pairs from the knowledge base: for each disease, `perDisease`
 * patient-style symptom queries (a sampled subset of its symptoms and a duration) with a structured
 * answer: likely disease, rationale from the symptom weights and a per-sample severity score
 * (sum of weights × days ÷ (symptoms + 1)), the four precautions, whether to see a doctor
 * (always for critical diseases, otherwise when the score exceeds the threshold), red flags and
 * Indian context. Deterministic for a seed.
 */
export async function generateQaPairs(kb: KnowledgeBase, options: QaOptions = {}): Promise<QaSample[]> {
  const perDisease = options.perDisease ?? 15;
  const seed = options.seed ?? 1;
  const threshold = options.severityThreshold ?? DEFAULT_SEVERITY_THRESHOLD;
  const paraphraser: Paraphraser | undefined =
    options.paraphrase === true ? offlineParaphrase : options.paraphrase || undefined;
  const diseases = options.diseases
    ? kb.diseases.filter((disease) => options.diseases!.includes(disease.id))
    : kb.diseases;
  const prevalence = symptomPrevalence(kb);
  const samples: QaSample[] = [];
  for (const [diseaseIndex, disease] of diseases.entries()) {
    const inputs = new Set<string>();
    const probe = {
      diagnosis: { primary: disease.name, aliases: diseaseNames(disease), differentials: [] },
    } as unknown as PatientCase;
    for (let index = 0; index < perDisease; index++) {
      let sample: QaSample | undefined;
      for (let attempt = 0; attempt < 30 && !sample; attempt++) {
        const candidate = sampleFor(
          kb,
          disease,
          prevalence,
          createRandom(hashString(`qa|${seed}|${disease.id}|${index}|${attempt}`)),
          threshold,
          `${disease.id}-${String(index + 1).padStart(3, "0")}`,
        );
        if (!inputs.has(candidate.input_text)) sample = candidate;
      }
      if (!sample) continue;
      inputs.add(sample.input_text);
      samples.push(sample);
      if (paraphraser) {
        // A paraphrase must be new, keep the durations, and not name the disease (that is the answer).
        const durations = quantitiesIn(sample.input_text).sort().join();
        const usable = (text: string) =>
          text.trim() !== "" &&
          !inputs.has(text) &&
          quantitiesIn(text).sort().join() === durations &&
          findDiagnosisLeak(text, probe) === undefined;
        let text = await paraphraser(sample.input_text, hashString(`para|${seed}|${sample.meta.id}`));
        for (let attempt = 1; !usable(text) && attempt < (options.paraphraseAttempts ?? 10); attempt++)
          text = await paraphraser(sample.input_text, hashString(`para|${seed}|${sample.meta.id}|${attempt}`));
        if (usable(text)) {
          inputs.add(text);
          samples.push({
            ...sample,
            input_text: text,
            meta: { ...sample.meta, id: `${sample.meta.id}-p`, variant: "paraphrase" },
          });
        }
      }
    }
    options.onProgress?.({ label: "generating Q&A pairs", completed: diseaseIndex + 1, total: diseases.length });
  }
  return samples;
}

function sampleFor(
  kb: KnowledgeBase,
  disease: Disease,
  prevalence: Map<string, number>,
  random: () => number,
  threshold: number,
  id: string,
): QaSample {
  const symptoms = diseaseSymptoms(disease).filter((symptom) => !HISTORY_SYMPTOMS.has(symptom.id));
  const [main, ...others] = symptoms;
  const count = Math.min(symptoms.length, 2 + Math.floor(random() * Math.min(4, symptoms.length - 1)));
  const chosen = [main!, ...shuffle(random, others).slice(0, count - 1)];
  const raw = uniform(random, disease.duration.days);
  const days = raw < 1 ? Math.max(1, Math.round(raw * 24)) / 24 : Math.round(raw);
  const weightSum = chosen.reduce((sum, symptom) => sum + symptom.weight, 0);
  const score = Math.round(((weightSum * Math.max(days, 1)) / (chosen.length + 1)) * 10) / 10;
  const seeDoctor = disease.critical || score > threshold;
  const phrases = chosen.map((symptom) => symptomPhrase(kb, symptom.id));
  const age = Math.round(uniform(random, disease.demographics.ages));
  const sex =
    disease.demographics.sex === "any"
      ? random() < 0.5
        ? "man"
        : "woman"
      : disease.demographics.sex === "male"
        ? "man"
        : "woman";
  const intro = age < 16 ? `My child is ${age} years old. ` : random() < 0.5 ? `I am a ${age}-year-old ${sex}. ` : "";
  const input = fillTemplate(choose(random, TEMPLATES), phrases, durationText(days), intro);

  // The answer speaks about the patient: "pain in my chest" becomes "pain in the chest".
  const clinical = (id: string) => withoutArticle(symptomPhrase(kb, id)).replace(/\bmy\b/g, "the");
  const specific = [...chosen].sort(
    (a, b) => (prevalence.get(a.id) ?? 0) - (prevalence.get(b.id) ?? 0) || b.weight - a.weight,
  )[0]!;
  const reason = disease.critical
    ? `Yes. ${disease.name} always needs a doctor's assessment and treatment.`
    : seeDoctor
      ? `Yes. The severity score ${score} is above ${threshold}, so please see a doctor soon.`
      : `Not urgently. The severity score ${score} is below ${threshold}; follow the precautions and see a doctor if it gets worse, lasts longer, or any red flag appears.`;
  const output = [
    `Likely condition: ${disease.name}`,
    `Rationale: ${capitalize(joinList(chosen.map((symptom) => `${clinical(symptom.id)} (severity weight ${symptom.weight})`)))} together fit ${disease.name}; ${clinical(specific.id)} is the most specific, seen in ${prevalence.get(specific.id) ?? 1} of ${kb.diseases.length} conditions in the knowledge base. Severity score: ${weightSum} (sum of weights) × ${formatDays(days)} ÷ ${chosen.length + 1} = ${score}.`,
    `About it: ${disease.description}`,
    `Precautions:\n${disease.precautions.map((precaution, index) => `${index + 1}. ${precaution}`).join("\n")}`,
    `See a doctor: ${reason}`,
    `Red flags: ${disease.redFlags.join("; ")}.`,
    `Indian context: ${disease.india.prevalence} ${disease.india.access} Local names: ${Object.entries(
      disease.india.localNames,
    )
      .map(([language, name]) => `${name} (${capitalize(language)})`)
      .join(", ")}.`,
  ].join("\n");
  return {
    input_text: input,
    output_text: output,
    meta: {
      id,
      diseaseId: disease.id,
      variant: "original",
      severityScore: score,
      seeDoctor,
      symptoms: chosen.map((symptom) => symptom.id),
      days,
    },
  };
}

function fillTemplate(template: string, phrases: string[], duration: string, intro: string): string {
  const list = joinList(phrases);
  return template
    .replace("{Intro}", intro)
    .replace("{List}", capitalize(list))
    .replace("{list}", list)
    .replace("{duration}", duration)
    .replace(/\s+/g, " ")
    .trim();
}

function formatDays(days: number): string {
  return days < 1 ? "1 day (less than a day counts as one)" : `${days} day${days === 1 ? "" : "s"}`;
}

/** How many diseases of the knowledge base list each symptom (fewer: more specific). */
function symptomPrevalence(kb: KnowledgeBase): Map<string, number> {
  const counts = new Map<string, number>();
  for (const disease of kb.diseases)
    for (const id of Object.keys(disease.symptoms)) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
}

/**
 * The offline paraphraser: re-says a query with everyday synonyms, a reordered symptom list and a
 * different frame, keeping every symptom and the duration.
 */
export function offlineParaphrase(text: string, seed: number): string {
  const random = createRandom(seed);
  let result = text;
  for (const [pattern, replacement] of SYNONYMS) if (random() < 0.7) result = result.replace(pattern, replacement);
  const frames: readonly ((body: string) => string)[] = [
    (body) => `Hello doctor. ${body}`,
    (body) => `${body} I am really not feeling well.`,
    (body) => `Please help. ${body}`,
    (body) => `${body.replace(/[.?!]\s*$/, "")}, can you advise?`,
    (body) => `Namaste. ${body}`,
  ];
  return choose(random, frames)(result).replace(/\s+/g, " ").trim();
}
