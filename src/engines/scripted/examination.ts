import type { CaseIndex, IndexedFact } from "./case-index.js";
import { analyzeText, stemWord } from "./lexicon.js";

/**
 * Matching what the student examines or orders to the case's examination systems and tests, by
 * their usual names and abbreviations ("listen to the chest", "tummy", "CBC", "NS1", "echo").
 * Each group lists names that mean the same system or test; a case label belongs to a group when
 * it contains one of the group's names.
 */
const EXAM_GROUPS: readonly string[][] = [
  ["abdomen", "abdominal", "tummy", "belly", "stomach", "per abdomen", "liver", "spleen", "pa"],
  ["chest", "lungs", "lung", "breathing", "respiratory", "rs", "auscultate", "breath sounds"],
  ["cardiovascular", "heart", "cvs", "heart sounds", "murmur", "precordium"],
  ["skin", "rash", "spots"],
  ["eyes", "eye", "fundus", "fundi", "fundoscopy", "vision", "pupils"],
  ["nervous system", "neuro", "neurological", "cns", "reflexes", "power", "sensation", "nerves"],
  ["mental state", "mse", "mental status", "mood", "mind"],
  ["per rectal", "rectal", "pr", "back passage"],
  ["speculum", "per speculum", "ps"],
  ["bimanual", "pv", "per vaginal", "vaginal", "internal"],
  ["throat", "mouth", "tongue", "tonsils", "oral", "nose", "ent"],
  ["neck", "thyroid", "lymph nodes", "glands"],
  ["feet", "foot", "legs", "toes"],
  ["genital", "genitalia", "private parts", "testes", "scrotum"],
  ["musculoskeletal", "joints", "joint", "knees", "msk", "locomotor"],
  ["back", "spine", "renal angle", "loin"],
  ["head", "head and neck", "scalp", "sinuses"],
  ["systemic", "systemic examination", "full examination", "all systems", "head to toe"],
  ["general", "general examination", "pallor", "icterus", "cyanosis", "clubbing", "oedema", "look at you"],
];

const VITAL_WORDS =
  /\b(vitals?|vital signs|pulse|heart rate|blood pressure|bp|temperature|temp|fever|saturation|spo2|sats|oxygen|respiratory rate|breathing rate|weight|weigh|bmi)\b/i;

const TEST_GROUPS: readonly string[][] = [
  [
    "complete blood count",
    "cbc",
    "blood count",
    "haemogram",
    "hemogram",
    "hb",
    "haemoglobin",
    "hemoglobin",
    "platelet",
    "platelets",
    "wbc",
    "counts",
    "tc dc",
    "fbc",
  ],
  ["ns1", "dengue"],
  ["malaria", "mp", "rdt", "malarial parasite"],
  ["liver function", "lft", "lfts", "liver", "bilirubin", "sgpt", "alt"],
  ["kidney function", "renal function", "rft", "kft", "creatinine", "urea", "kidney", "renal", "electrolytes"],
  ["ecg", "ekg", "electrocardiogram", "tracing"],
  ["troponin", "trop", "cardiac enzymes"],
  ["hba1c", "a1c", "glycated", "glycosylated"],
  ["glucose", "sugar", "rbs", "fbs", "grbs"],
  ["chest x ray", "cxr", "x ray", "xray", "radiograph"],
  ["echocardiography", "echo", "2d echo", "echocardiogram"],
  ["peak expiratory flow", "peak flow", "pefr", "pef"],
  ["spirometry", "pft", "lung function"],
  ["ultrasound", "usg", "sonography", "sonogram", "scan of the abdomen"],
  ["ct", "ct scan", "cat scan", "computed tomography"],
  ["endoscopy", "ogd", "egd", "scope", "gastroscopy", "upper gi"],
  ["urine", "urine routine", "urine test", "urinalysis", "urine r m", "dipstick"],
  ["culture", "culture and sensitivity"],
  ["sputum", "cbnaat", "genexpert", "gene xpert", "afb", "xpert"],
  ["thyroid", "tsh", "t3", "t4", "thyroid function"],
  ["lipid", "lipids", "cholesterol", "lipid profile"],
  ["esr", "crp", "inflammatory markers"],
  ["widal"],
  ["phq", "phq 9", "depression questionnaire", "depression score"],
  ["pregnancy test", "upt", "urine pregnancy", "beta hcg", "hcg"],
  ["hiv"],
  ["stool", "stool test", "stool routine", "occult blood"],
  ["blood gas", "abg", "arterial blood gas"],
  ["smear", "peripheral smear", "pbs", "blood film"],
  ["igm", "elisa", "serology", "antibodies", "antibody"],
  ["rk39"],
  ["iron studies", "ferritin", "iron"],
  ["hplc", "sickling"],
  ["lipase", "amylase"],
  ["prothrombin", "pt inr", "inr", "coagulation"],
  ["swab", "naat", "endocervical"],
  ["biopsy", "rapid urease", "aspirate"],
  ["viral markers", "hepatitis markers", "hbsag", "hav"],
  ["aso", "antistreptolysin"],
  ["ige"],
  ["gram stain"],
  ["diary", "headache diary", "bp record", "home bp", "ambulatory"],
  ["mri", "mri scan"],
];

const GENERIC_TESTS =
  /\b(any|some|all|basic|routine|the) (tests?|investigations?|bloods?|blood tests?|blood work|reports?|results?)\b|\b(investigations|blood work|bloods|run some tests|do some tests|what do the (tests|investigations|reports) show)\b/i;

function normalize(text: string): string {
  return ` ${(
    text
      .toLowerCase()
      .replace(/[’‘]/g, "'")
      .match(/[a-z0-9]+/g) ?? []
  )
    .map(stemWord)
    .join(" ")} `;
}

function mentions(text: string, name: string): boolean {
  return normalize(text).includes(normalize(name));
}

function groupsOf(label: string, groups: readonly string[][]): number[] {
  const found: number[] = [];
  groups.forEach((group, index) => {
    if (group.some((name) => mentions(label, name))) found.push(index);
  });
  return found;
}

/** Whether a request names one of the case's examination systems (by name or a synonym). */
export function namesExamination(target: string, index: CaseIndex): boolean {
  const asked = groupsOf(target, EXAM_GROUPS);
  return index.facts.some(
    (item) =>
      item.fact.revealedBy === "examine" &&
      item.fact.label !== undefined &&
      (mentions(target, item.fact.label) ||
        groupsOf(item.fact.label, EXAM_GROUPS).some((group) => asked.includes(group))),
  );
}

/** The examination findings a request asks for; a request naming no system gets general + vitals. */
export function findExaminations(target: string, index: CaseIndex): IndexedFact[] {
  const findings = index.facts.filter((item) => item.fact.revealedBy === "examine");
  const vitals = findings.find((item) => item.fact.id === "vitals");
  const asked = groupsOf(target, EXAM_GROUPS);
  const chosen = findings.filter(
    (item) =>
      item.fact.label !== undefined &&
      (groupsOf(item.fact.label, EXAM_GROUPS).some((group) => asked.includes(group)) ||
        mentions(target, item.fact.label)),
  );
  const wantsVitals = VITAL_WORDS.test(target) && !/\b(heart sounds|listen)\b/i.test(target);
  if (wantsVitals && vitals) chosen.unshift(vitals);
  if (chosen.length > 0) return [...new Set(chosen)];
  // Heart asked but no cardiovascular system in the case: the chest covers it, and vice versa.
  const chest = findings.filter((item) => item.fact.label && /chest|cardio|systemic/i.test(item.fact.label));
  if (asked.some((group) => group <= 2) && chest.length > 0) return chest;
  const general = findings.filter((item) => item.fact.label && /general/i.test(item.fact.label));
  return [...(vitals ? [vitals] : []), ...general];
}

/**
 * Words of a test label too common to name the test on their own: "check your blood pressure" is
 * not an order for the "random blood glucose".
 */
const LABEL_FILLER_WORDS = new Set(
  "test tests and the with for blood urine sugar random fasting serum level levels count total profile function rapid routine screen screening report examination".split(
    " ",
  ),
);

/** Whether a request asks for the vital signs (pulse, blood pressure, temperature, ...). */
export function namesVitals(target: string): boolean {
  return VITAL_WORDS.test(target);
}

/** The tests a request names: listed ones with their results, unlisted ones by name. */
export function findTests(target: string, index: CaseIndex): { listed: IndexedFact[]; unlisted: string[] } {
  const results = index.facts.filter((item) => item.fact.revealedBy === "test");
  const asked = groupsOf(target, TEST_GROUPS);
  const listed = results.filter(
    (item) =>
      mentions(target, item.fact.label ?? "") ||
      groupsOf(item.fact.label ?? "", TEST_GROUPS).some((group) => asked.includes(group)),
  );
  const covered = new Set(listed.flatMap((item) => groupsOf(item.fact.label ?? "", TEST_GROUPS)));
  const unlisted = asked
    .filter((group) => !covered.has(group))
    .map((group) => TEST_GROUPS[group]![0]!)
    // "urine culture" named: the culture group is covered by the urine test's label already.
    .filter((name) => !listed.some((item) => mentions(item.fact.label ?? "", name)));
  if (listed.length === 0 && unlisted.length === 0 && GENERIC_TESTS.test(target)) return { listed: results, unlisted };
  if (listed.length === 0 && unlisted.length === 0) {
    // A test named by a word only the case uses ("PHQ-9", "Widal"): match the label's own words.
    const words = new Set(analyzeText(target).words);
    const byWord = results.filter((item) =>
      (item.fact.label ?? "")
        .toLowerCase()
        .split(/[^a-z0-9]+/)
        .some((word) => word.length >= 3 && !LABEL_FILLER_WORDS.has(word) && words.has(stemWord(word))),
    );
    return { listed: byWord, unlisted };
  }
  return { listed, unlisted };
}
