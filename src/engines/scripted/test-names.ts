import type { CaseIndex, IndexedFact } from "./case-index.js";
import { analyzeText, stemWord } from "./lexicon.js";

/**
 * What a test's name says about it, read the same way from the case's label ("complete blood count
 * and CRP") and from the student's order ("CBC CRP", "sputum gram stain culture", "MP smear and
 * malaria RDT bhejo"):
 * - `kinds`: what is done (a count, a smear, a culture, a rapid test, an ultrasound, ...);
 * - `specimens`: what it is done on (blood, urine, sputum, stool, a genital swab);
 * - `targets`: the infection or organ screen it looks for (malaria, dengue, HIV, TB, ...).
 * An order item and a case label are the same test when they share a kind or a target and their
 * specimens and targets do not contradict ("blood culture" is not the "urine culture").
 */
interface TestReading {
  kinds: Set<string>;
  specimens: Set<string>;
  targets: Set<string>;
}

type Sense = `${"kind" | "specimen" | "target"}:${string}`;

/**
 * Ward names, abbreviations and synonyms of tests (lower case; "R/M" is read "rm", "X-ray" "x ray").
 * Each name gives one or more senses. Kinds marked in {@link NEEDS_SPECIMEN} mean a test only with
 * a specimen named ("urine routine", not "routine tests").
 */
const TEST_NAMES: Record<string, readonly Sense[]> = {
  // Blood counts and inflammation.
  "complete blood count": ["kind:cbc"],
  "full blood count": ["kind:cbc"],
  "blood count": ["kind:cbc"],
  "blood counts": ["kind:cbc"],
  "blood picture": ["kind:cbc"],
  "general blood picture": ["kind:cbc", "kind:smear"],
  cbc: ["kind:cbc"],
  fbc: ["kind:cbc"],
  cbp: ["kind:cbc"],
  haemogram: ["kind:cbc"],
  hemogram: ["kind:cbc"],
  hb: ["kind:cbc"],
  haemoglobin: ["kind:cbc"],
  hemoglobin: ["kind:cbc"],
  "platelet count": ["kind:cbc"],
  platelets: ["kind:cbc"],
  "tc dc": ["kind:cbc"],
  tlc: ["kind:cbc"],
  dlc: ["kind:cbc"],
  counts: ["kind:cbc"],
  hct: ["kind:cbc"],
  pcv: ["kind:cbc"],
  haematocrit: ["kind:cbc"],
  hematocrit: ["kind:cbc"],
  crp: ["kind:crp"],
  "c reactive protein": ["kind:crp"],
  esr: ["kind:esr"],
  "inflammatory markers": ["kind:crp", "kind:esr"],
  // Smears and rapid tests for fevers.
  "peripheral smear": ["kind:smear"],
  "peripheral blood smear": ["kind:smear"],
  "peripheral blood film": ["kind:smear"],
  "blood film": ["kind:smear"],
  smear: ["kind:smear"],
  ps: ["kind:smear"],
  pbs: ["kind:smear"],
  pbf: ["kind:smear"],
  "thick and thin": ["kind:smear"],
  "thick thin": ["kind:smear"],
  "thick film": ["kind:smear"],
  qbc: ["kind:smear", "target:malaria"],
  "thin film": ["kind:smear"],
  mp: ["kind:smear", "target:malaria"],
  "malaria parasite": ["kind:smear", "target:malaria"],
  "malarial parasite": ["kind:smear", "target:malaria"],
  rdt: ["kind:rapid"],
  "rapid diagnostic test": ["kind:rapid"],
  "rapid test": ["kind:rapid"],
  "rapid card": ["kind:rapid"],
  "card test": ["kind:rapid"],
  malaria: ["target:malaria"],
  malarial: ["target:malaria"],
  dengue: ["target:dengue"],
  ns1: ["kind:ns1", "target:dengue"],
  "ns 1": ["kind:ns1", "target:dengue"],
  igm: ["kind:serology"],
  igg: ["kind:serology"],
  elisa: ["kind:serology"],
  serology: ["kind:serology"],
  antibodies: ["kind:serology"],
  chikungunya: ["target:chikungunya"],
  chik: ["target:chikungunya"],
  "scrub typhus": ["target:scrub_typhus"],
  scrub: ["target:scrub_typhus"],
  "weil felix": ["target:scrub_typhus"],
  rk39: ["kind:rapid", "target:kala_azar"],
  "rk 39": ["kind:rapid", "target:kala_azar"],
  "kala azar": ["target:kala_azar"],
  "ld bodies": ["target:kala_azar"],
  widal: ["kind:widal", "target:typhoid"],
  typhidot: ["kind:serology", "target:typhoid"],
  typhoid: ["target:typhoid"],
  hiv: ["target:hiv"],
  ictc: ["target:hiv"],
  mantoux: ["kind:mantoux"],
  igra: ["kind:mantoux"],
  b12: ["kind:vitamins"],
  folate: ["kind:vitamins"],
  "retro screen": ["target:hiv"],
  "retroviral screen": ["target:hiv"],
  syphilis: ["target:syphilis"],
  vdrl: ["target:syphilis"],
  rpr: ["target:syphilis"],
  "viral markers": ["target:hepatitis"],
  "hepatitis markers": ["target:hepatitis"],
  "viral hepatitis markers": ["target:hepatitis"],
  hepatitis: ["target:hepatitis"],
  hbsag: ["target:hepatitis"],
  "hbs ag": ["target:hepatitis"],
  hav: ["target:hepatitis"],
  "anti hav": ["target:hepatitis"],
  hev: ["target:hepatitis"],
  "anti hev": ["target:hepatitis"],
  hcv: ["target:hepatitis"],
  "anti hcv": ["target:hepatitis"],
  "australia antigen": ["target:hepatitis"],
  // Cultures, stains and TB.
  culture: ["kind:culture"],
  "culture sensitivity": ["kind:culture"],
  "culture and sensitivity": ["kind:culture"],
  cs: ["kind:culture"],
  "c and s": ["kind:culture"],
  "gram stain": ["kind:gram"],
  gram: ["kind:gram"],
  cbnaat: ["kind:naat", "target:tb"],
  genexpert: ["kind:naat", "target:tb"],
  "gene xpert": ["kind:naat", "target:tb"],
  xpert: ["kind:naat", "target:tb"],
  truenat: ["kind:naat", "target:tb"],
  naat: ["kind:naat"],
  pcr: ["kind:naat"],
  afb: ["kind:afb", "target:tb"],
  "zn stain": ["kind:afb", "target:tb"],
  tb: ["target:tb"],
  // Urine, stool and swabs.
  routine: ["kind:routine"],
  "routine microscopy": ["kind:routine", "kind:microscopy"],
  rm: ["kind:routine", "kind:microscopy"],
  re: ["kind:routine"],
  urinalysis: ["kind:routine", "kind:microscopy", "kind:dipstick", "specimen:urine"],
  "urine analysis": ["kind:routine", "kind:microscopy", "kind:dipstick", "specimen:urine"],
  cue: ["kind:routine", "kind:microscopy", "specimen:urine"],
  microscopy: ["kind:microscopy"],
  micro: ["kind:microscopy"],
  dipstick: ["kind:dipstick"],
  "dip stick": ["kind:dipstick"],
  ova: ["kind:microscopy"],
  "ova and cyst": ["kind:microscopy"],
  "ova cyst": ["kind:microscopy"],
  "hanging drop": ["kind:microscopy"],
  "occult blood": ["kind:occult"],
  occult: ["kind:occult"],
  obt: ["kind:occult"],
  fobt: ["kind:occult", "specimen:stool"],
  upt: ["kind:pregnancy"],
  "pregnancy test": ["kind:pregnancy"],
  "urine pregnancy": ["kind:pregnancy"],
  "preg test": ["kind:pregnancy"],
  hcg: ["kind:pregnancy"],
  "beta hcg": ["kind:pregnancy"],
  bhcg: ["kind:pregnancy"],
  swab: ["specimen:genital"],
  endocervical: ["specimen:genital"],
  "high vaginal": ["specimen:genital"],
  hvs: ["specimen:genital"],
  "wet mount": ["kind:microscopy", "specimen:genital"],
  blood: ["specimen:blood"],
  urine: ["specimen:urine"],
  peshab: ["specimen:urine"],
  sputum: ["specimen:sputum"],
  balgam: ["specimen:sputum"],
  stool: ["specimen:stool"],
  motion: ["specimen:stool"],
  faeces: ["specimen:stool"],
  feces: ["specimen:stool"],
  // Chemistry.
  "liver function": ["kind:liver"],
  lft: ["kind:liver"],
  liver: ["kind:liver"],
  sgpt: ["kind:liver"],
  sgot: ["kind:liver"],
  "liver enzymes": ["kind:liver"],
  bilirubin: ["kind:liver"],
  "kidney function": ["kind:kidney"],
  "renal function": ["kind:kidney"],
  kft: ["kind:kidney"],
  rft: ["kind:kidney"],
  kidney: ["kind:kidney"],
  renal: ["kind:kidney"],
  creatinine: ["kind:kidney"],
  creat: ["kind:kidney"],
  urea: ["kind:kidney"],
  bun: ["kind:kidney"],
  egfr: ["kind:kidney"],
  electrolytes: ["kind:electrolytes"],
  lytes: ["kind:electrolytes"],
  "sodium potassium": ["kind:electrolytes"],
  "na k": ["kind:electrolytes"],
  glucose: ["kind:glucose"],
  "blood sugar": ["kind:glucose"],
  sugar: ["kind:glucose"],
  sugars: ["kind:glucose"],
  rbs: ["kind:glucose"],
  fbs: ["kind:glucose"],
  ppbs: ["kind:glucose"],
  grbs: ["kind:glucose"],
  cbg: ["kind:glucose"],
  fpg: ["kind:glucose"],
  ogtt: ["kind:glucose"],
  glucometer: ["kind:glucose"],
  hba1c: ["kind:hba1c"],
  "hb a1c": ["kind:hba1c"],
  a1c: ["kind:hba1c"],
  glycated: ["kind:hba1c"],
  glycosylated: ["kind:hba1c"],
  lipid: ["kind:lipids"],
  lipids: ["kind:lipids"],
  "lipid profile": ["kind:lipids"],
  cholesterol: ["kind:lipids"],
  triglycerides: ["kind:lipids"],
  ldl: ["kind:lipids"],
  thyroid: ["kind:thyroid"],
  "thyroid function": ["kind:thyroid"],
  "thyroid profile": ["kind:thyroid"],
  tft: ["kind:thyroid"],
  tsh: ["kind:thyroid"],
  t3: ["kind:thyroid"],
  t4: ["kind:thyroid"],
  ft4: ["kind:thyroid"],
  ft3: ["kind:thyroid"],
  "anti tpo": ["kind:thyroid_antibodies"],
  tpo: ["kind:thyroid_antibodies"],
  antitpo: ["kind:thyroid_antibodies"],
  "thyroid antibodies": ["kind:thyroid_antibodies"],
  "thyroid antibody": ["kind:thyroid_antibodies"],
  "anti thyroid": ["kind:thyroid_antibodies"],
  "thyroid peroxidase": ["kind:thyroid_antibodies"],
  "iron studies": ["kind:iron"],
  "iron profile": ["kind:iron"],
  iron: ["kind:iron"],
  ferritin: ["kind:iron"],
  tibc: ["kind:iron"],
  transferrin: ["kind:iron"],
  sickling: ["kind:haemoglobinopathy"],
  sickle: ["kind:haemoglobinopathy"],
  hplc: ["kind:haemoglobinopathy"],
  "hb electrophoresis": ["kind:haemoglobinopathy"],
  electrophoresis: ["kind:haemoglobinopathy"],
  lipase: ["kind:pancreas"],
  amylase: ["kind:pancreas"],
  prothrombin: ["kind:coagulation"],
  "pt inr": ["kind:coagulation"],
  inr: ["kind:coagulation"],
  coagulation: ["kind:coagulation"],
  "coag profile": ["kind:coagulation"],
  aso: ["kind:aso"],
  "aso titre": ["kind:aso"],
  antistreptolysin: ["kind:aso"],
  ige: ["kind:ige"],
  "serum proteins": ["kind:proteins"],
  "total protein": ["kind:proteins"],
  albumin: ["kind:proteins"],
  globulin: ["kind:proteins"],
  "ag ratio": ["kind:proteins"],
  abg: ["kind:blood_gas"],
  "arterial blood gas": ["kind:blood_gas"],
  "blood gas": ["kind:blood_gas"],
  vbg: ["kind:blood_gas"],
  troponin: ["kind:troponin"],
  trop: ["kind:troponin"],
  "trop i": ["kind:troponin"],
  "trop t": ["kind:troponin"],
  "hs trop": ["kind:troponin"],
  hstni: ["kind:troponin"],
  tni: ["kind:troponin"],
  tnt: ["kind:troponin"],
  "cardiac enzymes": ["kind:troponin"],
  "cardiac markers": ["kind:troponin"],
  "ck mb": ["kind:troponin"],
  "cpk mb": ["kind:troponin"],
  // Tracings, imaging and scopes.
  ecg: ["kind:ecg"],
  ekg: ["kind:ecg"],
  electrocardiogram: ["kind:ecg"],
  "12 lead": ["kind:ecg"],
  echo: ["kind:echo"],
  "2d echo": ["kind:echo"],
  echocardiography: ["kind:echo"],
  echocardiogram: ["kind:echo"],
  tte: ["kind:echo"],
  "x ray": ["kind:xray"],
  cxr: ["kind:xray"],
  radiograph: ["kind:xray"],
  "chest film": ["kind:xray"],
  "cxr pa": ["kind:xray"],
  "x ray pa": ["kind:xray"],
  "pa view": ["kind:xray"],
  ultrasound: ["kind:ultrasound"],
  usg: ["kind:ultrasound"],
  sonography: ["kind:ultrasound"],
  sonogram: ["kind:ultrasound"],
  tvs: ["kind:ultrasound"],
  ct: ["kind:ct"],
  ncct: ["kind:ct"],
  cect: ["kind:ct"],
  "cat scan": ["kind:ct"],
  "computed tomography": ["kind:ct"],
  mri: ["kind:mri"],
  endoscopy: ["kind:endoscopy"],
  endoscopic: ["kind:endoscopy"],
  scopy: ["kind:endoscopy"],
  ogd: ["kind:endoscopy"],
  egd: ["kind:endoscopy"],
  ugi: ["kind:endoscopy"],
  ugie: ["kind:endoscopy"],
  "upper gi": ["kind:endoscopy"],
  gastroscopy: ["kind:endoscopy"],
  "rapid urease": ["kind:urease"],
  urease: ["kind:urease"],
  rut: ["kind:urease"],
  "clo test": ["kind:urease"],
  "h pylori": ["kind:urease"],
  "antral biopsy": ["kind:urease"],
  biopsy: ["kind:biopsy"],
  aspirate: ["kind:aspirate"],
  aspiration: ["kind:aspirate"],
  "bone marrow": ["kind:aspirate"],
  "peak flow": ["kind:peak_flow"],
  "peak expiratory flow": ["kind:peak_flow"],
  pefr: ["kind:peak_flow"],
  pef: ["kind:peak_flow"],
  spirometry: ["kind:spirometry"],
  pft: ["kind:spirometry"],
  "lung function": ["kind:spirometry"],
  "pulmonary function": ["kind:spirometry"],
  fev1: ["kind:spirometry"],
  phq: ["kind:depression_scale"],
  "phq 9": ["kind:depression_scale"],
  "depression questionnaire": ["kind:depression_scale"],
  "depression scale": ["kind:depression_scale"],
  "depression score": ["kind:depression_scale"],
  diary: ["kind:diary"],
  "headache diary": ["kind:diary"],
  ambulatory: ["kind:bp_record"],
  abpm: ["kind:bp_record"],
  "home bp": ["kind:bp_record"],
  "bp record": ["kind:bp_record"],
  "bp chart": ["kind:bp_record"],
  "bp diary": ["kind:bp_record"],
};

/** Kinds that name a test only beside a specimen: "urine routine", but not "routine check-up". */
const NEEDS_SPECIMEN = new Set(["routine", "microscopy", "culture", "gram"]);

/** Kinds with a purpose of their own: "urine test" alone is not the urine pregnancy test. */
const DISTINCT_KINDS = new Set(["pregnancy", "naat"]);

/** Names too ambiguous to tell by themselves that a sentence orders a test ("liver", "sugar", "blood"). */
const WEAK_NAMES = new Set([
  "liver",
  "kidney",
  "renal",
  "sugar",
  "sugars",
  "thyroid",
  "iron",
  "routine",
  "re",
  "micro",
  "motion",
  "counts",
  "hb",
  "scopy",
  "diary",
  "ps",
  "gram",
  "albumin",
  "tb",
  "typhoid",
  "malaria",
  "dengue",
  "hiv",
  "hepatitis",
  "ambulatory",
  "biopsy",
  "aspiration",
  "urea",
  "occult",
  "scrub",
  "cs",
  "rm",
  "blood",
  "urine",
  "peshab",
  "sputum",
  "balgam",
  "stool",
  "faeces",
  "feces",
  "swab",
  "chik",
]);

/**
 * Lower case words, "R/M" -> "rm", "X-ray" -> "x ray", "Murphy's" -> "murphy", each word stemmed
 * (test names only lose a plural "s": stemmed, "having" would read as "HAV").
 */
export function wardWords(text: string, stem: (word: string) => string = stemWord): string[] {
  const lower = text
    .toLowerCase()
    .replace(/[’‘`]/g, "'")
    .replace(/'s\b/g, "")
    .replace(/\b([a-z])\s*\/\s*([a-z])\b/g, "$1$2")
    .replace(/\bx-?rays?\b/g, "x ray");
  return (lower.match(/[a-z0-9]+/g) ?? []).map((word) => stem(word));
}

/** A plural's "s" off ("LFTs", "platelets"), nothing else. */
export function singular(word: string): string {
  return word.length > 3 && /[^su]s$/.test(word) && !/is$/.test(word) ? word.slice(0, -1) : word;
}

/** A table of phrases (stemmed words joined by spaces) to what they mean, read longest first. */
export class PhraseTable<T> {
  private readonly entries = new Map<string, T>();
  private longest = 1;

  constructor(
    table: Iterable<[string, T]>,
    readonly stem: (word: string) => string = stemWord,
  ) {
    for (const [phrase, meaning] of table) {
      const words = wardWords(phrase, stem);
      this.entries.set(words.join(" "), meaning);
      this.longest = Math.max(this.longest, words.length);
    }
  }

  /** Every word in order, grouped into the phrases found (phrase undefined for a word in no phrase). */
  readWithWords(words: readonly string[]): { phrase?: string; words: string[] }[] {
    const pieces: { phrase?: string; words: string[] }[] = [];
    for (let at = 0; at < words.length;) {
      let length = Math.min(this.longest, words.length - at);
      for (; length > 0; length--) if (this.entries.has(words.slice(at, at + length).join(" "))) break;
      const taken = words.slice(at, at + Math.max(length, 1));
      pieces.push(length > 0 ? { phrase: taken.join(" "), words: taken } : { words: taken });
      at += taken.length;
    }
    return pieces;
  }

  /** The phrases found in order, each word read once (the longest phrase at a place wins), and the words left over. */
  read(words: readonly string[]): { found: { phrase: string; meaning: T }[]; rest: string[] } {
    const found: { phrase: string; meaning: T }[] = [];
    const rest: string[] = [];
    for (let at = 0; at < words.length;) {
      let length = Math.min(this.longest, words.length - at);
      for (; length > 0; length--) {
        const phrase = words.slice(at, at + length).join(" ");
        const meaning = this.entries.get(phrase);
        if (meaning !== undefined) {
          found.push({ phrase, meaning });
          break;
        }
      }
      if (length === 0) rest.push(words[at]!);
      at += Math.max(length, 1);
    }
    return { found, rest };
  }
}

const TEST_TABLE = new PhraseTable(Object.entries(TEST_NAMES), singular);
const WEAK = new Set([...WEAK_NAMES].map((name) => wardWords(name, singular).join(" ")));
const testWords = (text: string) => wardWords(text, singular);

function readTest(words: readonly string[]): TestReading & { strong: boolean; rest: string[] } {
  const { found, rest } = TEST_TABLE.read(words);
  const reading = { kinds: new Set<string>(), specimens: new Set<string>(), targets: new Set<string>() };
  for (const { meaning } of found)
    for (const sense of meaning) {
      const [type, value] = sense.split(":") as ["kind" | "specimen" | "target", string];
      reading[type === "kind" ? "kinds" : type === "specimen" ? "specimens" : "targets"].add(value);
    }
  return { ...reading, strong: found.some(({ phrase }) => !WEAK.has(phrase)), rest };
}

/**
 * The items of an order, each read on its own ("CXR PA, CBC CRP and sputum gram stain culture" has
 * three). An item that names no specimen takes the one before it: in "urine R/M, culture
 * sensitivity and UPT" the culture is a urine culture.
 */
function readOrder(target: string): TestReading[] {
  const items = target
    .split(/\s*[,;+&]\s*|\s+(?:and|aur|plus|then|with|also|n)\s+|(?<=[a-z]{2})\/(?=[a-z]{2})/i)
    .map((item) => readTest(testWords(item)))
    .filter((item) => item.kinds.size + item.targets.size + item.specimens.size > 0);
  let specimens = new Set<string>();
  for (const item of items) {
    if (item.specimens.size === 0) item.specimens = new Set(specimens);
    specimens = item.specimens;
    for (const kind of NEEDS_SPECIMEN) if (item.specimens.size === 0) item.kinds.delete(kind);
  }
  return items;
}

const disjoint = (a: Set<string>, b: Set<string>) => a.size > 0 && b.size > 0 && ![...a].some((x) => b.has(x));
const shares = (a: Set<string>, b: Set<string>) => [...a].some((x) => b.has(x));

/** Whether the case's test (read from its label) is what the order item asks for. */
function isOrdered(label: TestReading, item: TestReading): boolean {
  if (disjoint(label.specimens, item.specimens) || disjoint(label.targets, item.targets)) return false;
  if (shares(label.kinds, item.kinds) || shares(label.targets, item.targets)) return true;
  // "Send sputum", "stool for occult blood" with a "stool examination": the specimen names the test.
  if (!shares(label.specimens, item.specimens)) return false;
  if (item.kinds.size === 0) return ![...label.kinds].some((kind) => DISTINCT_KINDS.has(kind));
  return label.kinds.size === 0 && label.targets.size === 0;
}

const labelReadings = new Map<string, TestReading>();
function readLabel(label: string): TestReading {
  let reading = labelReadings.get(label);
  if (!reading) {
    reading = readTest(testWords(label));
    labelReadings.set(label, reading);
  }
  return reading;
}

/** Whether a sentence names a test by a name that means a test on its own ("CBC", "USG", "malaria RDT"). */
export function namesTestStrongly(text: string): boolean {
  return readTest(testWords(text)).strong;
}

/** A kind, target or specimen's name for a test the case does not list. */
function nameOf(item: TestReading): string[] {
  const specimen = [...item.specimens][0];
  return [
    ...[...item.kinds].map((kind) =>
      specimen && NEEDS_SPECIMEN.has(kind) ? `${specimen} ${kind}` : (KIND_NAMES[kind] ?? kind),
    ),
    ...(item.kinds.size === 0 ? [...item.targets].map((target) => `${target.replace(/_/g, " ")} test`) : []),
    ...(item.kinds.size === 0 && item.targets.size === 0 ? [...item.specimens].map((name) => `${name} test`) : []),
  ];
}

const KIND_NAMES: Record<string, string> = {
  cbc: "complete blood count",
  crp: "CRP",
  esr: "ESR",
  smear: "peripheral smear",
  rapid: "rapid test",
  ns1: "NS1",
  liver: "liver function tests",
  kidney: "kidney function tests",
  xray: "X-ray",
  mri: "mri",
  ct: "CT scan",
};

const GENERIC_TESTS =
  /\b(any|some|all|basic|routine|the) (tests?|investigations?|bloods?|blood tests?|blood work|reports?|results?)\b|\b(investigations|blood work|bloods|run some tests|do some tests|what do the (tests|investigations|reports) show)\b/i;

/**
 * Words of a test label too common to name the test on their own: "check your blood pressure" is
 * not an order for the "random blood glucose".
 */
const LABEL_FILLER_WORDS = new Set(
  "test tests and the with for blood urine sugar random fasting serum level levels count total profile function rapid routine screen screening report examination".split(
    " ",
  ),
);

/** Whether `target` contains `label`'s words in order, both read by `words` (tests: singular forms). */
export function mentionsLabel(target: string, label: string, words: (text: string) => string[] = testWords): boolean {
  return ` ${words(target).join(" ")} `.includes(` ${words(label).join(" ")} `);
}

/**
 * The tests an order names: every listed test that one of its items asks for, with its result, and
 * the names of those the case does not list. "Any tests?" gets every listed test.
 */
export function findTests(target: string, index: CaseIndex): { listed: IndexedFact[]; unlisted: string[] } {
  const results = index.facts.filter((item) => item.fact.revealedBy === "test");
  const items = readOrder(target);
  // "Let's order some blood tests": no test named, so every listed one.
  if (items.every((item) => item.kinds.size + item.targets.size === 0) && GENERIC_TESTS.test(target))
    return { listed: results, unlisted: [] };
  const listed: IndexedFact[] = [];
  const unlisted: string[] = [];
  for (const item of items) {
    const found = results.filter((result) => isOrdered(readLabel(result.fact.label ?? ""), item));
    listed.push(...found);
    if (found.length === 0) unlisted.push(...nameOf(item));
  }
  for (const result of results) if (mentionsLabel(target, result.fact.label ?? "")) listed.push(result);
  const unique = [...new Set(listed)];
  const missing = [...new Set(unlisted)].filter(
    (name) => !unique.some((item) => mentionsLabel(item.fact.label ?? "", name)),
  );
  if (unique.length === 0 && missing.length === 0 && GENERIC_TESTS.test(target))
    return { listed: results, unlisted: [] };
  if (unique.length === 0 && missing.length === 0) {
    // A test named by a word only the case uses ("PHQ-9", "Widal"): match the label's own words.
    const words = new Set(analyzeText(target).words);
    const byWord = results.filter((item) =>
      (item.fact.label ?? "")
        .toLowerCase()
        .split(/[^a-z0-9]+/)
        .some((word) => word.length >= 3 && !LABEL_FILLER_WORDS.has(word) && words.has(stemWord(word))),
    );
    return { listed: byWord, unlisted: [] };
  }
  // Results in the case's order, as the case file lists them.
  return { listed: results.filter((item) => unique.includes(item)), unlisted: missing };
}

/** The words left when strong test names are taken out ("feel your liver" keeps "liver"; "liver function" goes). */
export function readStrongTestWords(text: string): string[] {
  const rest: string[] = [];
  for (const { phrase, words: taken } of TEST_TABLE.readWithWords(testWords(text)))
    if (phrase === undefined || WEAK.has(phrase)) rest.push(...taken);
  return rest;
}
