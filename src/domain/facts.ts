import type { Fact, PatientCase } from "./case.js";

/** What a fact is about; the scripted engine maps a question to topics, the evaluation counts them. */
export const FACT_TOPICS = [
  "identity",
  "chief_complaint",
  "onset",
  "duration",
  "location",
  "character",
  "severity",
  "timing",
  "aggravating",
  "relieving",
  "associated",
  "negatives",
  "past_history",
  "medications",
  "allergies",
  "family_history",
  "tobacco",
  "alcohol",
  "diet",
  "living",
  "occupation",
  "social_other",
  "ideas",
  "concerns",
  "expectations",
  "vitals",
  "examination",
  "tests",
] as const;
export type FactTopic = (typeof FACT_TOPICS)[number];

/**
 * One fact of a case, flattened: a stable id (e.g. `hpi.onset`, `medications.1`, `tests.cbc`),
 * its topic, its text, and how it may come out.
 */
export interface CaseFact {
  id: string;
  topic: FactTopic;
  text: string;
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
  const add = (id: string, topic: FactTopic, fact: Fact | undefined) => {
    if (fact) result.push({ id, topic, text: fact.text, volunteer: fact.volunteer, revealedBy: "ask" });
  };
  const addAll = (prefix: string, topic: FactTopic, list: readonly Fact[]) =>
    list.forEach((fact, index) => add(`${prefix}.${index}`, topic, fact));

  const {
    demographics: d,
    historyOfPresentIllness: hpi,
    socialHistory: social,
    ideasConcernsExpectations: ice,
  } = patientCase;
  add("identity", "identity", {
    text: `${d.name}, ${d.age} years old, ${d.occupation}, from ${d.region}`,
    volunteer: false,
  });
  add("chief_complaint", "chief_complaint", { text: patientCase.chiefComplaint, volunteer: true });
  add("hpi.onset", "onset", hpi.onset);
  add("hpi.duration", "duration", hpi.duration);
  add("hpi.location", "location", hpi.location);
  add("hpi.character", "character", hpi.character);
  add("hpi.severity", "severity", { text: `${hpi.severity} out of 10`, volunteer: false });
  add("hpi.timing", "timing", hpi.timing);
  addAll("hpi.aggravating", "aggravating", hpi.aggravating);
  addAll("hpi.relieving", "relieving", hpi.relieving);
  addAll("hpi.associated", "associated", hpi.associated);
  addAll("hpi.negatives", "negatives", hpi.negatives);
  addAll("past_history", "past_history", patientCase.pastMedicalHistory);
  addAll("medications", "medications", patientCase.medications);
  addAll("allergies", "allergies", patientCase.allergies);
  addAll("family_history", "family_history", patientCase.familyHistory);
  add("social.tobacco", "tobacco", social.tobacco);
  add("social.alcohol", "alcohol", social.alcohol);
  add("social.diet", "diet", social.diet);
  add("social.living", "living", social.living);
  add("social.occupation", "occupation", social.occupation);
  addAll("social.other", "social_other", social.other);
  add("ice.ideas", "ideas", ice.ideas);
  add("ice.concerns", "concerns", ice.concerns);
  add("ice.expectations", "expectations", ice.expectations);

  const v = patientCase.vitalSigns;
  const vitals = [
    `temperature ${v.temperatureC} °C`,
    `heart rate ${v.heartRate}/min`,
    `respiratory rate ${v.respiratoryRate}/min`,
    `blood pressure ${v.bloodPressure} mmHg`,
    v.oxygenSaturation === undefined ? undefined : `SpO2 ${v.oxygenSaturation}%`,
    v.weightKg === undefined ? undefined : `weight ${v.weightKg} kg`,
  ].filter((part) => part !== undefined);
  result.push({ id: "vitals", topic: "vitals", text: vitals.join(", "), volunteer: false, revealedBy: "examine" });
  for (const [system, finding] of Object.entries(patientCase.examination)) {
    result.push({
      id: `exam.${slug(system)}`,
      topic: "examination",
      text: finding,
      volunteer: false,
      revealedBy: "examine",
      label: system,
    });
  }
  for (const [test, value] of Object.entries(patientCase.tests)) {
    result.push({
      id: `tests.${slug(test)}`,
      topic: "tests",
      text: value,
      volunteer: false,
      revealedBy: "test",
      label: test,
    });
  }
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
