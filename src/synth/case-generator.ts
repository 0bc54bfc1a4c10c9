import { PatientCaseSchema, type PatientCase, type PatientCaseInput } from "../domain/index.js";
import { createRandom, hashString } from "../util/random.js";
import { diseaseNames, diseaseSymptoms, symptomPhrase, type Disease, type KnowledgeBase } from "../knowledge/index.js";
import { findDiagnosisLeak } from "../simulator/guard.js";
import { NotFoundError } from "../util/errors.js";
import { validate } from "../util/files.js";
import { POPULATIONS, type Population } from "./population.js";
import {
  capitalize,
  choose,
  durationText,
  joinList,
  sentence,
  shuffle,
  uniform,
  withoutArticle,
  words,
} from "./text.js";

/** Options for {@link generateCase}. */
export interface CaseGeneratorOptions {
  /** Population to sample demographics from: `india` (default) or `global`. */
  population?: string;
  /** Seed; the same seed, disease and index always give the same case. Default 1. */
  seed?: number;
}

/** Symptoms of the CSV vocabulary that are history, not complaints; they become history facts. */
const HISTORY_SYMPTOMS: Readonly<Record<string, string>> = {
  family_history: "family",
  history_of_alcohol_consumption: "alcohol",
  receiving_blood_transfusion: "past",
  receiving_unsterile_injections: "social",
  extra_marital_contacts: "social",
};

const HISTORY_TEXT: Readonly<Record<string, string>> = {
  family_history: "My mother had the same kind of trouble.",
  history_of_alcohol_consumption: "I drink every day, for many years now.",
  receiving_blood_transfusion: "I had a blood transfusion after an accident some years ago.",
  receiving_unsterile_injections: "I often got injections from a roadside clinic.",
  extra_marital_contacts: "I have had relations with partners outside my marriage.",
};

/** Words too common to decide whether two symptom phrases overlap. */
const GENERIC = new Set("a an the my of in on and when i all time feeling with from again pain very".split(" "));

const OPENINGS = [
  "Doctor, I have had {a} and {b} for {d}.",
  "I've been having {a} for {d}, and {b} too.",
  "It's {a}, doctor, for {d} now, and also {b}.",
  "For {d} I have had {a}, and {b}.",
];
const PAST = [
  "Nothing serious before; I have never been admitted to hospital.",
  "I had my appendix removed some years ago.",
  "Only minor illnesses now and then.",
  "I broke my arm as a child; nothing else.",
];
const ALLERGIES = ["No allergies that I know of.", "No allergies that I know of.", "I am allergic to penicillin."];
const FAMILY = [
  "My father has high blood pressure.",
  "My mother has sugar trouble.",
  "Nobody in my family has any long-term illness.",
  "My parents are healthy, as far as I know.",
];
const IDEAS = [
  "I think it is just weakness.",
  "Maybe it is the change in the weather.",
  "I think it is gas.",
  "Maybe I ate something bad.",
  "I think it is from overwork.",
  "My neighbour said it is from the water.",
];
const CONCERNS = [
  "I am worried I will lose my daily wages.",
  "I am worried it is something serious.",
  "I am worried about my family if I cannot work.",
  "I am scared it will get worse.",
];
const EXPECTATIONS = [
  "I want medicine so I can get back to work.",
  "I want to know what is wrong.",
  "I want a test to find out what it is.",
  "I want an injection to feel better quickly.",
];
const DIET = [
  "Mostly home food: rice, dal and vegetables.",
  "Vegetarian, home food.",
  "Home food, with fish or chicken sometimes.",
  "I eat outside a lot because of work.",
];

/**
 * Samples one complete case script for a disease: demographics for the population, a history
 * consistent with the disease's symptoms and durations, negatives taken from other diseases,
 * social history, ideas/concerns/expectations and vital signs. Every fact is checked so that
 * none names the diagnosis; the result is validated against `PatientCaseSchema`.
 */
export function generateCase(
  kb: KnowledgeBase,
  disease: Disease,
  index: number,
  options: CaseGeneratorOptions = {},
): PatientCase {
  const population = POPULATIONS[options.population ?? "india"];
  if (!population) throw new NotFoundError("population", options.population ?? "", Object.keys(POPULATIONS));
  const random = createRandom(hashString(`case|${options.seed ?? 1}|${disease.id}|${index}`));
  const names = diseaseNames(disease);
  const diagnosis = {
    primary: disease.name,
    aliases: names.filter((name) => name !== disease.name),
    differentials: differentials(kb, disease),
  };
  // The leak check needs only the diagnosis of the case.
  const probe = { diagnosis } as unknown as PatientCase;
  const safe = (text: string) => findDiagnosisLeak(text, probe) === undefined;
  const pickSafe = (pool: readonly string[], fallback: string) => shuffle(random, pool).find(safe) ?? fallback;

  const demographics = sampleDemographics(population, disease, random);
  const days = uniform(random, disease.duration.days);
  const duration = durationText(days);

  const all = diseaseSymptoms(disease);
  const complaints = all.filter((symptom) => !(symptom.id in HISTORY_SYMPTOMS));
  const history = all.filter((symptom) => symptom.id in HISTORY_SYMPTOMS);
  const [first, ...others] = complaints;
  const second = choose(random, others.slice(0, 2));
  const rest = shuffle(
    random,
    others.filter((symptom) => symptom !== second),
  );
  const associated = rest.slice(0, 2 + Math.floor(random() * 3));
  // The location and character in the history describe one symptom: the case must have it.
  const described = complaints.find((symptom) => symptom.id === disease.hpi.about);
  if (described && described !== first && described !== second && !associated.includes(described))
    associated.splice(0, 0, described);
  const shown = [first!, second, ...associated];
  const lay = (id: string) => symptomPhrase(kb, id);
  const layAndKeywords = (id: string) => [lay(id), ...(kb.symptoms[id]?.keywords ?? [])].join(" ");

  const negatives = negativeSymptoms(
    kb,
    disease,
    shown.map((symptom) => layAndKeywords(symptom.id)),
    random,
  ).slice(0, 2 + Math.floor(random() * 3));
  const meanWeight = shown.reduce((sum, symptom) => sum + symptom.weight, 0) / shown.length;
  const severity = Math.max(2, Math.min(10, Math.round(1 + meanWeight + random() * 3)));
  const when =
    disease.duration.onset === "sudden"
      ? `It started suddenly ${duration} ago`
      : `It came on slowly, over the last ${duration}`;
  const hpi = disease.hpi;
  const has = (id: string) =>
    shown.some((symptom) => symptom.id === id) || history.some((symptom) => symptom.id === id);

  const alcohol =
    disease.social?.alcohol ??
    (has("history_of_alcohol_consumption")
      ? HISTORY_TEXT.history_of_alcohol_consumption!
      : sampleAlcohol(demographics, random));
  const socialOther = [
    ...disease.exposures.filter(safe).slice(0, 2),
    ...history.filter((s) => HISTORY_SYMPTOMS[s.id] === "social").map((s) => HISTORY_TEXT[s.id]!),
  ];

  const input: PatientCaseInput = {
    id: `${disease.id}-${String(index + 1).padStart(3, "0")}`,
    title: `${capitalize(withoutArticle(lay(first!.id)))} in a ${demographics.age}-year-old ${demographics.occupation}`,
    setting: population.regions.find((region) => region.region === demographics.region)?.setting,
    demographics,
    openingStatement: choose(random, OPENINGS)
      .replace("{a}", lay(first!.id))
      .replace("{b}", lay(second.id))
      .replace("{d}", duration),
    chiefComplaint: `${capitalize(lay(first!.id))} and ${lay(second.id)} for ${duration}`,
    historyOfPresentIllness: {
      onset: { text: `${when}.`, volunteer: random() < 0.5 },
      duration: `For ${duration} now.`,
      ...(hpi.location ? { location: hpi.location } : {}),
      ...(hpi.character ? { character: hpi.character } : {}),
      severity,
      ...(hpi.timing ? { timing: hpi.timing } : {}),
      aggravating: hpi.aggravating.filter(safe),
      relieving: hpi.relieving.filter(safe),
      associated: associated.map((symptom, position) => ({
        text: sentence(`I also have ${lay(symptom.id)}`),
        volunteer: position === 0 && random() < 0.6,
      })),
      negatives: negatives.map((id) => sentence(`No ${withoutArticle(lay(id))}`)),
    },
    pastMedicalHistory: [
      pickSafe(PAST, PAST[0]!),
      ...history.filter((s) => HISTORY_SYMPTOMS[s.id] === "past").map((s) => HISTORY_TEXT[s.id]!),
    ],
    medications: [medicationFor(shown.map((symptom) => symptom.id))],
    allergies: [choose(random, ALLERGIES)],
    familyHistory: [
      has("family_history")
        ? HISTORY_TEXT.family_history!
        : pickSafe(FAMILY, "Nobody in my family has any long-term illness."),
    ],
    socialHistory: {
      tobacco: disease.social?.tobacco ?? sampleTobacco(demographics, random),
      alcohol,
      diet: choose(random, DIET),
      living: sampleLiving(demographics, random),
      occupation:
        demographics.age < 18
          ? "I go to school."
          : `I work as ${/^[aeiou]/i.test(demographics.occupation) ? "an" : "a"} ${demographics.occupation}.`,
      other: socialOther,
    },
    ideasConcernsExpectations: {
      ideas: pickSafe(IDEAS, "I don't know what it is, doctor."),
      concerns: demographics.age < 18 ? "I am missing school and my exams are coming." : choose(random, CONCERNS),
      expectations:
        demographics.age < 18 ? "I want to get better and go back to school." : choose(random, EXPECTATIONS),
    },
    vitalSigns: sampleVitals(
      disease,
      shown.map((symptom) => symptom.id),
      demographics,
      random,
    ),
    examination: examinationFor(shown.map((symptom) => symptom.id)),
    tests: {},
    diagnosis,
  };
  return validate(PatientCaseSchema, input, `generated case ${input.id}`);
}

function sampleDemographics(
  population: Population,
  disease: Disease,
  random: () => number,
): PatientCaseInput["demographics"] {
  const sexBias = disease.demographics.sex === "any" ? 0.5 : disease.demographics.sex === "male" ? 0.85 : 0.15;
  const sex = random() < sexBias ? "male" : "female";
  const age = Math.round(uniform(random, disease.demographics.ages));
  const region = choose(random, population.regions);
  const given = choose(random, sex === "male" ? region.maleNames : region.femaleNames);
  const surname =
    sex === "female" && region.femaleSurnames && random() < 0.5
      ? choose(random, region.femaleSurnames)
      : choose(random, region.surnames);
  const occupation =
    age < 18
      ? "school student"
      : age >= 65
        ? sex === "female"
          ? "homemaker"
          : "retired"
        : sex === "female" && random() < 0.6
          ? choose(random, population.occupations.female)
          : choose(random, region.rural ? population.occupations.rural : population.occupations.urban);
  return { name: `${given} ${surname}`, age, sex, occupation, region: region.region, language: region.language };
}

/** Symptoms of related diseases that this disease lacks and whose words do not overlap with the shown ones. */
function negativeSymptoms(kb: KnowledgeBase, disease: Disease, shownLay: string[], random: () => number): string[] {
  const shownWords = new Set(shownLay.flatMap(words).filter((word) => !GENERIC.has(word)));
  const stem = (word: string) => word.slice(0, 5);
  const shownStems = new Set([...shownWords].map(stem));
  const related = kb.diseases.filter((other) => other.id !== disease.id && other.category === disease.category);
  const pool = [...related, ...shuffle(random, kb.diseases)].flatMap((other) => Object.keys(other.symptoms));
  const result: string[] = [];
  for (const id of pool) {
    if (id in disease.symptoms || id in HISTORY_SYMPTOMS || result.includes(id)) continue;
    // A negative must not overlap a shown symptom by any word (or word stem) of its phrase or keywords.
    const candidateWords = [symptomPhrase(kb, id), ...(kb.symptoms[id]?.keywords ?? [])]
      .flatMap(words)
      .filter((word) => !GENERIC.has(word));
    if (candidateWords.some((word) => shownWords.has(word) || shownStems.has(stem(word)))) continue;
    result.push(id);
    if (result.length >= 6) break;
  }
  return shuffle(random, result);
}

function differentials(kb: KnowledgeBase, disease: Disease): string[] {
  return kb.diseases
    .filter((other) => other.id !== disease.id && other.category === disease.category)
    .slice(0, 3)
    .map((other) => other.name);
}

function medicationFor(symptoms: string[]): string {
  if (symptoms.some((id) => /fever|pain|headache|ache/.test(id))) return "I took paracetamol from the chemist.";
  if (symptoms.some((id) => /acidity|indigestion|stomach/.test(id))) return "I took an antacid syrup from the chemist.";
  if (symptoms.some((id) => /itching|rash|pimples|patches/.test(id))) return "I put a cream from the chemist on it.";
  if (symptoms.includes("cough")) return "I took a cough syrup from the chemist.";
  return "I am not taking any medicines.";
}

function sampleTobacco(d: { sex: string; age: number }, random: () => number): string {
  if (d.age < 18) return "I do not smoke or chew tobacco.";
  if (d.sex === "female")
    return random() < 0.9 ? "I do not smoke or chew tobacco." : "I use tobacco paste on my teeth sometimes.";
  return choose(random, [
    "I do not smoke or chew tobacco.",
    "I smoke about five bidis a day.",
    "I chew gutka sometimes.",
    "I smoked for some years but stopped.",
  ]);
}

function sampleAlcohol(d: { sex: string; age: number }, random: () => number): string {
  if (d.age < 18 || d.sex === "female") return "I do not drink alcohol.";
  return choose(random, [
    "I do not drink alcohol.",
    "I drink sometimes at weddings, not otherwise.",
    "A few drinks on weekends.",
  ]);
}

function sampleLiving(d: { sex: string; age: number }, random: () => number): string {
  if (d.age < 18) return "I live with my parents.";
  if (d.age >= 65)
    return choose(
      random,
      ["I live with my son and his family.", "I live with my wife.", "I live alone since my husband died."].filter(
        (text) => (d.sex === "male" ? !text.includes("husband") : !text.includes("wife")),
      ),
    );
  return choose(random, [
    `I live with my ${d.sex === "male" ? "wife" : "husband"} and two children.`,
    "I live with my parents.",
    "I share a room with three others from my village.",
  ]);
}

function sampleVitals(
  disease: Disease,
  symptoms: string[],
  d: { age: number; sex: string },
  random: () => number,
): PatientCaseInput["vitalSigns"] {
  const range = disease.vitals ?? {};
  const fever = symptoms.includes("high_fever")
    ? ([38.6, 39.8] as const)
    : symptoms.includes("mild_fever")
      ? ([37.6, 38.2] as const)
      : undefined;
  const temperature = range.temperatureC ?? fever ?? [36.6, 37.1];
  const systolic = Math.round(uniform(random, range.systolic ?? [110, 134]));
  const weight =
    d.age < 12 ? 15 + d.age * 2.5 : d.sex === "male" ? uniform(random, [55, 80]) : uniform(random, [45, 70]);
  return {
    temperatureC: Math.round(uniform(random, temperature) * 10) / 10,
    heartRate: Math.round(uniform(random, range.heartRate ?? [68, 92])),
    respiratoryRate: Math.round(uniform(random, range.respiratoryRate ?? [14, 18])),
    bloodPressure: `${systolic}/${Math.round(systolic * 0.62 + random() * 6)}`,
    oxygenSaturation: Math.round(uniform(random, range.oxygenSaturation ?? [97, 99])),
    weightKg: Math.round(weight),
  };
}

/** A few examination findings that follow directly from the symptoms. */
function examinationFor(symptoms: string[]): Record<string, string> {
  const findings: Record<string, string> = {};
  const general: string[] = [];
  if (symptoms.some((id) => id === "yellowing_of_eyes" || id === "yellowish_skin"))
    general.push("yellow discolouration of the sclerae");
  if (symptoms.includes("sunken_eyes") || symptoms.includes("dehydration"))
    general.push("dry mucous membranes, sunken eyes");
  if (symptoms.includes("swelled_lymph_nodes")) general.push("enlarged cervical lymph nodes");
  findings.general = general.length ? capitalize(joinList(general)) : "Conscious and oriented; no pallor.";
  if (
    symptoms.some((id) =>
      [
        "skin_rash",
        "blister",
        "red_spots_over_body",
        "dischromic_patches",
        "silver_like_dusting",
        "yellow_crust_ooze",
        "pus_filled_pimples",
      ].includes(id),
    )
  )
    findings.skin = "Skin lesions as the patient describes.";
  return findings;
}
