import type { Fact, PatientCase } from "./case.js";

// The topic groups of a history, each in the order a doctor asks. Every list of topics in the
// project (the facts' topics, the question labels, the synthetic interview's plan, the feedback
// checklist) is built from these, so a topic is named and ordered in one place.
/** How the presenting complaint is described: when, how long, where, what like, how bad, when in the day. */
export const SYMPTOM_DETAIL_TOPICS = ["onset", "duration", "location", "character", "severity", "timing"] as const;
/** The history of the presenting illness: the details, what makes it worse or better, what comes with it. */
export const ILLNESS_TOPICS = [...SYMPTOM_DETAIL_TOPICS, "aggravating", "relieving", "associated"] as const;
/** Past illnesses, medicines, allergies and the family. */
export const BACKGROUND_TOPICS = ["past_history", "medications", "allergies", "family_history"] as const;
/** The social history. */
export const SOCIAL_TOPICS = ["tobacco", "alcohol", "diet", "living", "occupation", "social_other"] as const;
/** The patient's ideas, concerns and expectations. */
export const ICE_TOPICS = ["ideas", "concerns", "expectations"] as const;
/** Topics a full history covers where they matter to the case: wellbeing, women's health, exposures. */
export const EXTENDED_HISTORY_TOPICS = [
  "mood",
  "sleep",
  "self_harm",
  "menstrual",
  "obstetric",
  "contraception",
  "sexual_history",
  "weight_change",
  "fever_pattern",
  "travel",
  "contacts",
  "vaccination",
  "water_source",
  "exercise",
] as const;

/** What a fact is about; the scripted engine maps a question to topics, the evaluation counts them. */
export const FACT_TOPICS = [
  "identity",
  "chief_complaint",
  ...ILLNESS_TOPICS,
  "negatives",
  ...BACKGROUND_TOPICS,
  ...SOCIAL_TOPICS,
  ...ICE_TOPICS,
  ...EXTENDED_HISTORY_TOPICS,
  "vitals",
  "examination",
  "tests",
] as const;
/** One of {@link FACT_TOPICS}. */
export type FactTopic = (typeof FACT_TOPICS)[number];

/**
 * One fact of a case, flattened: a stable id (e.g. `hpi.onset`, `medications.1`, `tests.cbc`),
 * its topic, its text, and how it may come out.
 */
export interface CaseFact {
  id: string;
  topic: FactTopic;
  text: string;
  /** How the patient says it (first person, lay words), when the case gives it. */
  patientWords?: string;
  /** Where the fact is written in the case file, e.g. `ideasConcernsExpectations.ideas`. */
  field: string;
  /** The patient mentions it unprompted. */
  volunteer: boolean;
  /** `ask`: told when asked; `examine`: found on examination; `test`: shown when the test is ordered. */
  revealedBy: "ask" | "examine" | "test";
  /** For examination findings and tests: the system or test name. */
  label?: string;
}

/** Lists every fact of a case in a fixed order, so fact ids are stable. */
export function listCaseFacts(patientCase: PatientCase): CaseFact[] {
  const result: CaseFact[] = [];
  const add = (id: string, topic: FactTopic, field: string, fact: Fact | undefined) => {
    if (fact)
      result.push({
        id,
        topic,
        text: fact.text,
        ...(fact.patientWords ? { patientWords: fact.patientWords } : {}),
        field,
        volunteer: fact.volunteer,
        revealedBy: "ask",
      });
  };
  const addAll = (prefix: string, topic: FactTopic, field: string, list: readonly Fact[]) =>
    list.forEach((fact, index) => add(`${prefix}.${index}`, topic, `${field}.${index}`, fact));

  const {
    demographics: d,
    historyOfPresentIllness: hpi,
    socialHistory: social,
    ideasConcernsExpectations: ice,
  } = patientCase;
  const hpiField = "historyOfPresentIllness";
  add("identity", "identity", "demographics", {
    text: `${d.name}, ${d.age} years old, ${d.occupation}, from ${d.region}`,
    volunteer: false,
  });
  // The opening statement is how the patient says the chief complaint.
  add("chief_complaint", "chief_complaint", "chiefComplaint", {
    text: patientCase.chiefComplaint,
    patientWords: patientCase.openingStatement,
    volunteer: true,
  });
  add("hpi.onset", "onset", `${hpiField}.onset`, hpi.onset);
  add("hpi.duration", "duration", `${hpiField}.duration`, hpi.duration);
  add("hpi.location", "location", `${hpiField}.location`, hpi.location);
  add("hpi.character", "character", `${hpiField}.character`, hpi.character);
  add("hpi.severity", "severity", `${hpiField}.severity`, { text: `${hpi.severity} out of 10`, volunteer: false });
  add("hpi.timing", "timing", `${hpiField}.timing`, hpi.timing);
  addAll("hpi.aggravating", "aggravating", `${hpiField}.aggravating`, hpi.aggravating);
  addAll("hpi.relieving", "relieving", `${hpiField}.relieving`, hpi.relieving);
  addAll("hpi.associated", "associated", `${hpiField}.associated`, hpi.associated);
  addAll("hpi.negatives", "negatives", `${hpiField}.negatives`, hpi.negatives);
  addAll("past_history", "past_history", "pastMedicalHistory", patientCase.pastMedicalHistory);
  addAll("medications", "medications", "medications", patientCase.medications);
  addAll("allergies", "allergies", "allergies", patientCase.allergies);
  addAll("family_history", "family_history", "familyHistory", patientCase.familyHistory);
  add("social.tobacco", "tobacco", "socialHistory.tobacco", social.tobacco);
  add("social.alcohol", "alcohol", "socialHistory.alcohol", social.alcohol);
  add("social.diet", "diet", "socialHistory.diet", social.diet);
  add("social.living", "living", "socialHistory.living", social.living);
  add("social.occupation", "occupation", "socialHistory.occupation", social.occupation);
  addAll("social.other", "social_other", "socialHistory.other", social.other);
  add("ice.ideas", "ideas", "ideasConcernsExpectations.ideas", ice.ideas);
  add("ice.concerns", "concerns", "ideasConcernsExpectations.concerns", ice.concerns);
  add("ice.expectations", "expectations", "ideasConcernsExpectations.expectations", ice.expectations);
  // Topics added later keep the ids above stable.
  add("hpi.fever_pattern", "fever_pattern", `${hpiField}.feverPattern`, hpi.feverPattern);
  add("hpi.weight_change", "weight_change", `${hpiField}.weightChange`, hpi.weightChange);
  const wellbeing = patientCase.wellbeing;
  add("wellbeing.mood", "mood", "wellbeing.mood", wellbeing?.mood);
  add("wellbeing.sleep", "sleep", "wellbeing.sleep", wellbeing?.sleep);
  add("wellbeing.self_harm", "self_harm", "wellbeing.selfHarm", wellbeing?.selfHarm);
  const womens = patientCase.womensHealth;
  add("womens_health.menstrual", "menstrual", "womensHealth.menstrual", womens?.menstrual);
  add("womens_health.obstetric", "obstetric", "womensHealth.obstetric", womens?.obstetric);
  add("womens_health.contraception", "contraception", "womensHealth.contraception", womens?.contraception);
  add("social.sexual", "sexual_history", "socialHistory.sexual", social.sexual);
  add("social.travel", "travel", "socialHistory.travel", social.travel);
  add("social.contacts", "contacts", "socialHistory.contacts", social.contacts);
  add("social.water_source", "water_source", "socialHistory.waterSource", social.waterSource);
  add("social.exercise", "exercise", "socialHistory.exercise", social.exercise);
  add("vaccination", "vaccination", "vaccination", patientCase.vaccination);

  const v = patientCase.vitalSigns;
  const vitals = [
    `temperature ${v.temperatureC} °C`,
    `heart rate ${v.heartRate}/min`,
    `respiratory rate ${v.respiratoryRate}/min`,
    `blood pressure ${v.bloodPressure} mmHg`,
    v.oxygenSaturation === undefined ? undefined : `SpO2 ${v.oxygenSaturation}%`,
    v.weightKg === undefined ? undefined : `weight ${v.weightKg} kg`,
  ].filter((part) => part !== undefined);
  result.push({
    id: "vitals",
    topic: "vitals",
    text: vitals.join(", "),
    field: "vitalSigns",
    volunteer: false,
    revealedBy: "examine",
  });
  // Examination findings and test results, labelled by the system or test they belong to.
  const findings = [
    { prefix: "exam", topic: "examination", revealedBy: "examine", entries: patientCase.examination },
    { prefix: "tests", topic: "tests", revealedBy: "test", entries: patientCase.tests },
  ] as const;
  for (const { prefix, topic, revealedBy, entries } of findings)
    for (const [label, text] of Object.entries(entries))
      result.push({
        id: `${prefix}.${slug(label)}`,
        topic,
        text,
        field: `${topic}.${label}`,
        volunteer: false,
        revealedBy,
        label,
      });
  return result;
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_|_$/g, "");
}

/**
 * Every term the patient must never say: the diagnosis and its aliases. Short generic words are
 * kept out so that "fever" in "dengue fever" does not forbid the patient from saying "fever".
 */
export function forbiddenDiagnosisTerms(patientCase: PatientCase): string[] {
  return [patientCase.diagnosis.primary, ...patientCase.diagnosis.aliases]
    .map((term) => term.trim())
    .filter((term) => term.length >= 2);
}

const leakPatterns = new WeakMap<PatientCase, { term: string; needle: string; pattern: RegExp }[]>();

/** Returns the first forbidden diagnosis term the text contains (whole words, any case, hyphens as spaces). */
export function findDiagnosisLeak(text: string, patientCase: PatientCase): string | undefined {
  let patterns = leakPatterns.get(patientCase);
  if (!patterns) {
    patterns = forbiddenDiagnosisTerms(patientCase).map((term) => ({
      term,
      needle: normalizeForMatch(term),
      pattern: new RegExp(`(^|[^\\p{L}\\p{N}])${escapeRegExp(normalizeForMatch(term))}($|[^\\p{L}\\p{N}])`, "iu"),
    }));
    leakPatterns.set(patientCase, patterns);
  }
  const normalized = normalizeForMatch(text);
  // The substring test first: most text names no term, and the Unicode regular expression is slow.
  return patterns.find(({ needle, pattern }) => normalized.includes(needle) && pattern.test(normalized))?.term;
}

function normalizeForMatch(text: string): string {
  return text
    .toLowerCase()
    .replace(/[-‐–—_]/g, " ")
    .replace(/\s+/g, " ");
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
