import type { CaseIndex, IndexedFact } from "./case-index.js";
import { stemWord } from "./lexicon.js";
import { mentionsLabel, PhraseTable, namesTestStrongly, readStrongTestWords, wardWords } from "./test-names.js";

export { findTests } from "./test-names.js";

/**
 * Matching what the student examines to the case's examination systems, the way students on an
 * Indian ward say it: by the system ("chest", "tummy", "pet"), a part of the body ("nails",
 * "tilli", "under your right ribs"), a sign ("pallor", "Murphy's", "eschar") or a manoeuvre
 * ("percuss", "bell at the apex", "dilate and see the fundus"). Each word gives weight to one or
 * more systems; the case's systems with the most weight are examined.
 */
type System =
  | "general"
  | "abdomen"
  | "chest"
  | "heart"
  | "skin"
  | "eyes"
  | "neuro"
  | "mental"
  | "systemic"
  | "rectal"
  | "speculum"
  | "bimanual"
  | "throat"
  | "neck"
  | "feet"
  | "genital"
  | "joints"
  | "back"
  | "head";

/** The names a case gives its systems ("per rectal", "nose and throat", "cardiovascular and chest"). */
const SYSTEM_LABELS: Record<string, System[]> = {
  general: ["general"],
  abdomen: ["abdomen"],
  abdominal: ["abdomen"],
  "per abdomen": ["abdomen"],
  chest: ["chest"],
  respiratory: ["chest"],
  lungs: ["chest"],
  cardiovascular: ["heart"],
  heart: ["heart"],
  cvs: ["heart"],
  skin: ["skin"],
  eyes: ["eyes"],
  eye: ["eyes"],
  fundus: ["eyes"],
  "nervous system": ["neuro"],
  neurological: ["neuro"],
  "mental state": ["mental"],
  "mental status": ["mental"],
  systemic: ["systemic"],
  "per rectal": ["rectal"],
  rectal: ["rectal"],
  speculum: ["speculum"],
  bimanual: ["bimanual"],
  "per vaginal": ["bimanual"],
  throat: ["throat"],
  nose: ["throat"],
  mouth: ["throat"],
  ent: ["throat"],
  neck: ["neck"],
  thyroid: ["neck"],
  "head and neck": ["head", "neck"],
  head: ["head"],
  feet: ["feet"],
  foot: ["feet"],
  genital: ["genital"],
  genitalia: ["genital"],
  musculoskeletal: ["joints"],
  joints: ["joints"],
  back: ["back"],
  spine: ["back"],
};

type Weights = Partial<Record<System, number>>;

/**
 * Words of an examination request and the systems they point to. A system's own names (above)
 * weigh 1.5; a part of the body 1-1.5; a manoeuvre that several systems use less, shared.
 */
const EXAM_CUES: Record<string, Weights> = {
  // Abdomen.
  tummy: { abdomen: 1.5 },
  pa: { abdomen: 1.2 },
  belly: { abdomen: 1.5 },
  stomach: { abdomen: 1.5 },
  pet: { abdomen: 1.5 },
  "pet ko": { abdomen: 1.5 },
  liver: { abdomen: 1.2 },
  jigar: { abdomen: 1.2 },
  spleen: { abdomen: 1.5 },
  tilli: { abdomen: 1.5 },
  hepatomegaly: { abdomen: 1.5 },
  splenomegaly: { abdomen: 1.5 },
  organomegaly: { abdomen: 1.5 },
  "murphy sign": { abdomen: 1.5 },
  murphy: { abdomen: 1.5 },
  mcburney: { abdomen: 1.5 },
  rebound: { abdomen: 1 },
  guarding: { abdomen: 1 },
  "bowel sounds": { abdomen: 1.5 },
  ascites: { abdomen: 1.5 },
  "shifting dullness": { abdomen: 1.5 },
  "fluid thrill": { abdomen: 1.5 },
  "costal margin": { abdomen: 1 },
  ribs: { abdomen: 0.6, chest: 0.4 },
  rib: { abdomen: 0.6, chest: 0.4 },
  "right upper quadrant": { abdomen: 1.2 },
  ruq: { abdomen: 1.2 },
  "iliac fossa": { abdomen: 1.2 },
  rif: { abdomen: 1.2 },
  epigastrium: { abdomen: 1.2 },
  epigastric: { abdomen: 1.2 },
  umbilicus: { abdomen: 1 },
  navel: { abdomen: 1 },
  naabhi: { abdomen: 1 },
  nabhi: { abdomen: 1 },
  "hernial orifices": { abdomen: 1.5 },
  palpate: { abdomen: 0.8 },
  palpation: { abdomen: 0.8 },
  press: { abdomen: 0.8 },
  dabake: { abdomen: 1 },
  "daba ke": { abdomen: 1 },
  dabaunga: { abdomen: 1 },
  dabaungi: { abdomen: 1 },
  dabana: { abdomen: 1 },
  "bend knees": { abdomen: 1 },
  "bend your knees": { abdomen: 1 },
  "knees bent": { abdomen: 1 },
  "lie down": { abdomen: 0.3 },
  "lie flat": { abdomen: 0.4 },
  "let jao": { abdomen: 0.3 },
  "lait jao": { abdomen: 0.3 },
  percuss: { chest: 0.6, abdomen: 0.6 },
  percussion: { chest: 0.6, abdomen: 0.6 },
  // Chest.
  lung: { chest: 1.5 },
  "breath sounds": { chest: 1.5 },
  "air entry": { chest: 1.5 },
  rs: { chest: 1.5 },
  crepitations: { chest: 1 },
  creps: { chest: 1 },
  crackles: { chest: 1 },
  wheeze: { chest: 1 },
  rhonchi: { chest: 1 },
  "vocal resonance": { chest: 1.5 },
  "tactile fremitus": { chest: 1.5 },
  expansion: { chest: 1 },
  "say 99": { chest: 1.2 },
  "ninety nine": { chest: 1.2 },
  "sit forward": { chest: 0.5 },
  "lean forward": { chest: 0.5 },
  "sit up": { chest: 0.4 },
  "deep breath": { chest: 0.5, abdomen: 0.3 },
  "breathe in": { chest: 0.4, abdomen: 0.2 },
  "breathe out": { chest: 0.4 },
  "saans lo": { chest: 0.5, abdomen: 0.2 },
  "lambi saans": { chest: 0.5, abdomen: 0.2 },
  listen: { chest: 0.6, heart: 0.6 },
  auscultate: { chest: 0.7, heart: 0.6 },
  auscultation: { chest: 0.7, heart: 0.6 },
  stethoscope: { chest: 0.6, heart: 0.6 },
  steth: { chest: 0.6, heart: 0.6 },
  sunta: { chest: 0.6, heart: 0.6 },
  sunti: { chest: 0.6, heart: 0.6 },
  sunna: { chest: 0.6, heart: 0.6 },
  sunenge: { chest: 0.6, heart: 0.6 },
  sununga: { chest: 0.6, heart: 0.6 },
  // Heart.
  cardiac: { heart: 1.5 },
  "heart sounds": { heart: 1.5 },
  murmur: { heart: 1.5 },
  apex: { heart: 1.5 },
  "apex beat": { heart: 1.5 },
  precordium: { heart: 1.5 },
  "left lateral": { heart: 1.2 },
  karwat: { heart: 0.8 },
  bell: { heart: 0.8 },
  jvp: { heart: 0.8, general: 0.6 },
  dil: { heart: 1 },
  dhadkan: { heart: 1.2 },
  // Skin.
  rash: { skin: 1.5 },
  spots: { skin: 1 },
  "rose spots": { skin: 1.5 },
  eschar: { skin: 1.5 },
  scab: { skin: 1.2 },
  petechiae: { skin: 1.2 },
  lesion: { skin: 1 },
  patches: { skin: 1 },
  daane: { skin: 1 },
  chamdi: { skin: 1.5 },
  tourniquet: { skin: 1 },
  // Eyes.
  fundi: { eyes: 2 },
  fundoscopy: { eyes: 2 },
  ophthalmoscope: { eyes: 2 },
  ophthalmoscopy: { eyes: 2 },
  retina: { eyes: 2 },
  dilate: { eyes: 1 },
  pupils: { eyes: 1.5 },
  pupil: { eyes: 1.5 },
  vision: { eyes: 1.5 },
  "visual acuity": { eyes: 1.5 },
  snellen: { eyes: 1.5 },
  aankh: { eyes: 1.5, general: 0.4 },
  aankhein: { eyes: 1.5, general: 0.4 },
  aankhen: { eyes: 1.5, general: 0.4 },
  // General: signs looked for at the bedside.
  pallor: { general: 1.5 },
  gpe: { general: 1.5 },
  "general physical": { general: 1.5 },
  icterus: { general: 1.5 },
  jaundice: { general: 1 },
  cyanosis: { general: 1.5 },
  clubbing: { general: 1.5 },
  koilonychia: { general: 1.5 },
  oedema: { general: 1.5 },
  edema: { general: 1.5 },
  lymphadenopathy: { general: 1.5 },
  "lymph nodes": { general: 1, neck: 0.8 },
  nodes: { general: 1, neck: 0.6 },
  glands: { general: 0.8, neck: 0.8 },
  nails: { general: 1.5 },
  nail: { general: 1.5 },
  nakhun: { general: 1.5 },
  eyelid: { general: 1.5, eyes: 0.3 },
  "lower lid": { general: 1.5, eyes: 0.3 },
  conjunctiva: { general: 1.5, eyes: 0.3 },
  palms: { general: 1 },
  tongue: { general: 1, throat: 1.2 },
  jeebh: { general: 1, throat: 1.2 },
  pinch: { general: 1.5 },
  turgor: { general: 1.5 },
  dehydration: { general: 1.5 },
  hydration: { general: 1.2 },
  "capillary refill": { general: 1 },
  ankles: { general: 0.8 },
  hands: { general: 0.6, joints: 0.5 },
  armpit: { general: 0.6, skin: 0.5 },
  axilla: { general: 0.6, skin: 0.5 },
  "look at you": { general: 1 },
  // Nervous system.
  neuro: { neuro: 1.5 },
  cns: { neuro: 1.5 },
  reflexes: { neuro: 1.5 },
  reflex: { neuro: 1.5 },
  jerks: { neuro: 1.5 },
  hammer: { neuro: 1.2 },
  power: { neuro: 1 },
  tone: { neuro: 1 },
  sensation: { neuro: 1.2 },
  "cranial nerves": { neuro: 1.5 },
  gait: { neuro: 1.2, joints: 0.5 },
  walk: { neuro: 0.5, joints: 0.3 },
  "neck stiffness": { neuro: 1.5 },
  "neck rigidity": { neuro: 1.5 },
  kernig: { neuro: 1.5 },
  plantar: { neuro: 1.5 },
  plantars: { neuro: 1.5 },
  romberg: { neuro: 1.5 },
  tinel: { neuro: 1.5 },
  "finger nose": { neuro: 1.5 },
  monofilament: { feet: 1.5, neuro: 0.8 },
  vibration: { feet: 0.8, neuro: 0.8 },
  "tuning fork": { feet: 1, neuro: 0.8 },
  // Mental state, systemic, pelvic and rectal.
  mse: { mental: 1.5 },
  mmse: { mental: 1.5 },
  cognition: { mental: 1.2 },
  "all systems": { systemic: 1.5 },
  "head to toe": { systemic: 1.5 },
  "full examination": { systemic: 1.5 },
  "complete examination": { systemic: 1.5 },
  pr: { rectal: 1.5 },
  "per rectum": { rectal: 1.5 },
  dre: { rectal: 1.5 },
  "digital rectal": { rectal: 1.5 },
  "back passage": { rectal: 1.5 },
  ps: { speculum: 1.5 },
  "per speculum": { speculum: 1.5 },
  cusco: { speculum: 1.5 },
  pv: { bimanual: 1.5 },
  "internal examination": { bimanual: 1.5 },
  "internal exam": { bimanual: 1.5 },
  "vaginal examination": { bimanual: 1.5 },
  "cervical motion": { bimanual: 1.5 },
  // Throat, neck, feet, genitals, joints, back, head.
  gala: { throat: 1.5 },
  muh: { throat: 1.5 },
  munh: { throat: 1.5 },
  aah: { throat: 1.5 },
  ahh: { throat: 1.5 },
  aaa: { throat: 1.5 },
  tonsils: { throat: 1.5 },
  pharynx: { throat: 1.5 },
  gums: { throat: 1.5 },
  teeth: { throat: 1.2 },
  nasal: { throat: 1.5 },
  turbinates: { throat: 1.5 },
  ear: { throat: 1 },
  torch: { throat: 0.5 },
  gardan: { neck: 1.5 },
  goitre: { neck: 1.5 },
  goiter: { neck: 1.5 },
  swallow: { neck: 1 },
  toes: { feet: 1.5 },
  pair: { feet: 1.5 },
  pairon: { feet: 1.5 },
  paon: { feet: 1.5 },
  shoes: { feet: 1 },
  chappal: { feet: 1 },
  socks: { feet: 1 },
  soles: { feet: 1.5 },
  "pedal pulses": { feet: 1.5 },
  "dorsalis pedis": { feet: 1.5 },
  "private parts": { genital: 1.5 },
  testicles: { genital: 1.5 },
  testis: { genital: 1.5 },
  scrotum: { genital: 1.5 },
  vulva: { genital: 1.5 },
  joint: { joints: 1.5 },
  jod: { joints: 1.5 },
  knees: { joints: 1 },
  knee: { joints: 1 },
  wrists: { joints: 1 },
  fingers: { joints: 0.8 },
  msk: { joints: 1.5 },
  locomotor: { joints: 1.5 },
  "renal angle": { back: 1.5, abdomen: 0.5 },
  loin: { back: 1.2 },
  flank: { back: 1.2 },
  costovertebral: { back: 1.5 },
  kamar: { back: 1.2 },
  peeth: { back: 1.2 },
  cva: { back: 1.5 },
  sinuses: { head: 1.5 },
  sinus: { head: 1.5 },
  scalp: { head: 1.5 },
  "temporal artery": { head: 1.5 },
  temples: { head: 1 },
};

/** Where a system the case does not examine on its own is covered ("heart" in a case with only a chest). */
const COVERED_BY: Partial<Record<System, Weights>> = {
  heart: { chest: 0.4, systemic: 0.6 },
  chest: { heart: 0.2, systemic: 0.6 },
  abdomen: { systemic: 0.6 },
  neuro: { systemic: 0.6, head: 0.3 },
  back: { chest: 0.5 },
  throat: { general: 0.5, head: 0.5 },
  neck: { general: 0.5, head: 0.5 },
  eyes: { general: 0.4 },
  skin: { general: 0.3 },
  feet: { general: 0.4 },
  head: { neuro: 0.3 },
  joints: { general: 0.3 },
};

const SYSTEM_TABLE = new PhraseTable<Weights>([
  ...Object.entries(SYSTEM_LABELS).map(([name, systems]): [string, Weights] => [
    name,
    Object.fromEntries(systems.map((system) => [system, 1.5])),
  ]),
  ...Object.entries(EXAM_CUES),
]);
const LABEL_TABLE = new PhraseTable(Object.entries(SYSTEM_LABELS));

const VITAL_WORDS =
  /\b(vitals?|vital signs|pulse|heart rate|blood pressure|bp|temperature|temp|fever|saturation|spo2|sats|oxygen|respiratory rate|breathing rate|weight|weigh|bmi|nabz|naadi)\b/i;

/** How much each system is asked for, from the request's words (a test's name, "liver function", is no body part). */
function weighSystems(target: string): Map<System, number> {
  const weights = new Map<System, number>();
  for (const { meaning } of SYSTEM_TABLE.read(readStrongTestWords(target).map(stemWord)).found)
    for (const [system, weight] of Object.entries(meaning) as [System, number][])
      weights.set(system, (weights.get(system) ?? 0) + weight);
  return weights;
}

/** The systems a case label names ("cardiovascular and chest" -> heart, chest). */
function systemsOfLabel(label: string): System[] {
  return LABEL_TABLE.read(wardWords(label)).found.flatMap(({ meaning }) => meaning);
}

/** A system must weigh this much to be examined on its own: "lie down" alone is not "examine the abdomen". */
const CLEAR_SYSTEM = 0.8;
/** Systems weighing at least this share of the heaviest are examined with it ("chest and abdomen"). */
const ALSO_EXAMINED = 0.6;

/** The case's examination findings the request asks for, by their systems' weight; none when no system is clear. */
function chooseFindings(target: string, findings: readonly IndexedFact[]): IndexedFact[] {
  const asked = weighSystems(target);
  const present = new Map<IndexedFact, System[]>();
  for (const item of findings) if (item.fact.label) present.set(item, systemsOfLabel(item.fact.label));
  const has = (system: System) => [...present.values()].some((systems) => systems.includes(system));
  const weights = new Map<System, number>();
  for (const [system, weight] of asked) {
    if (has(system)) weights.set(system, (weights.get(system) ?? 0) + weight);
    else
      for (const [cover, share] of Object.entries(COVERED_BY[system] ?? {}) as [System, number][])
        if (has(cover)) weights.set(cover, (weights.get(cover) ?? 0) + weight * share);
  }
  const score = (item: IndexedFact) =>
    Math.max(0, ...(present.get(item) ?? []).map((system) => weights.get(system) ?? 0));
  const best = Math.max(0, ...findings.map(score));
  if (best < CLEAR_SYSTEM) return [];
  return findings.filter((item) => score(item) >= best * ALSO_EXAMINED);
}

/** Whether a request names one of the case's examination systems (by name, a body part, sign or manoeuvre). */
export function namesExamination(target: string, index: CaseIndex): boolean {
  const findings = index.facts.filter((item) => item.fact.revealedBy === "examine" && item.fact.label);
  return (
    findings.some((item) => mentionsLabel(target, item.fact.label!, wardWords)) ||
    chooseFindings(target, findings).length > 0
  );
}

/** The examination findings a request asks for; a request naming no system gets general + vitals. */
export function findExaminations(target: string, index: CaseIndex): IndexedFact[] {
  const findings = index.facts.filter((item) => item.fact.revealedBy === "examine");
  const vitals = findings.find((item) => item.fact.id === "vitals");
  const chosen = [
    ...findings.filter((item) => item.fact.label && mentionsLabel(target, item.fact.label, wardWords)),
    ...chooseFindings(target, findings),
  ];
  const wantsVitals = VITAL_WORDS.test(target) && !/\b(heart sounds|listen)\b/i.test(target);
  if (wantsVitals && vitals) chosen.unshift(vitals);
  if (chosen.length > 0) return findings.filter((item) => chosen.includes(item));
  const general = findings.filter((item) => item.fact.label && /general/i.test(item.fact.label));
  return [...(vitals ? [vitals] : []), ...general];
}

/** Whether a request asks for the vital signs (pulse, blood pressure, temperature, ...). */
export function namesVitals(target: string): boolean {
  return VITAL_WORDS.test(target);
}

/** Whether the words point clearly enough to a body system (or the vital signs) to be an examination. */
export function namesBodySystem(text: string): boolean {
  const weights = weighSystems(text);
  return Math.max(0, ...weights.values()) >= CLEAR_SYSTEM || VITAL_WORDS.test(text);
}

export { namesTestStrongly };
