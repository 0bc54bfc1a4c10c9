/**
 * The doctor's side of a synthetic interview: the steps of a history (after the Calgary-Cambridge
 * guide: greeting, open question, each part of the history, ideas/concerns/expectations, empathy,
 * closing) and several phrasings of each. Every phrasing is one the scripted engine's intent
 * recogniser maps to the step's topic (a test checks this), so answers stay on the question.
 */
import { BACKGROUND_TOPICS, ICE_TOPICS, ILLNESS_TOPICS } from "../domain/index.js";
import { PARAPHRASES } from "../engines/scripted/paraphrases.js";

/** History steps in the order a doctor takes them; a plan keeps this order. */
export const HISTORY_ORDER = [
  ...ILLNESS_TOPICS,
  "symptom_check",
  ...BACKGROUND_TOPICS,
  "tobacco",
  "alcohol",
  "living",
  "occupation",
  "travel",
  "contacts",
  "mood",
  "sleep",
  "weight_change",
  ...ICE_TOPICS,
] as const;

/** One step of the scripted doctor's interview (greeting, open question, history topics, closing). */
export type QuestionStep = "greeting" | "open_question" | (typeof HISTORY_ORDER)[number] | "empathy" | "closing";

export const DOCTOR_NAMES = ["Mehta", "Iyer", "Sen", "Kapoor", "Rao", "Fernandes", "Qureshi", "Bhat", "Joshi", "Menon"];

/**
 * Steps whose interview phrasings are not the paraphrase bank's first ones: the symptom check names
 * real symptoms, and a few steps use forms picked from further down the bank.
 */
const OWN_PHRASINGS = {
  symptom_check: [
    "Do you have a cough?",
    "Have you had any fever?",
    "Any vomiting?",
    "Have you noticed any rash?",
    "Any headache?",
    "Have you had any loose motions?",
    "Do you feel breathless?",
    "Have you noticed any night sweats?",
    "Any pain when passing urine?",
    "Have you noticed any yellow colour in your eyes?",
    "Any chest pain?",
    "Do you feel tired?",
  ],
  travel: ["Have you travelled anywhere recently?", "Any recent travel?", "Have you been out of station lately?"],
  mood: ["How has your mood been?", "Have you been feeling low?", "Do you still enjoy things?"],
  sleep: ["How is your sleep?", "Are you sleeping well?", "Neend theek aati hai?"],
  weight_change: ["Have you lost weight?", "Any change in your weight?"],
} as const;

/**
 * For every other step, how many of the paraphrase bank's first phrasings a synthetic interview
 * asks it with. The bank lists the plain textbook forms first; the interviews keep to those, so the
 * training data's doctor is a clear interviewer and the colloquial forms stay input to understand.
 */
const TEXTBOOK_PHRASING_COUNTS: Readonly<Record<Exclude<QuestionStep, keyof typeof OWN_PHRASINGS>, number>> = {
  greeting: 5,
  open_question: 5,
  onset: 4,
  duration: 3,
  location: 3,
  character: 2,
  severity: 3,
  timing: 3,
  aggravating: 2,
  relieving: 3,
  associated: 3,
  past_history: 4,
  medications: 3,
  allergies: 2,
  family_history: 3,
  tobacco: 2,
  alcohol: 2,
  living: 2,
  occupation: 3,
  contacts: 3,
  ideas: 3,
  concerns: 3,
  expectations: 3,
  empathy: 3,
  closing: 3,
};

type TextbookStep = keyof typeof TEXTBOOK_PHRASING_COUNTS;

function textbookPhrasings(): Record<TextbookStep, readonly string[]> {
  const result = {} as Record<TextbookStep, readonly string[]>;
  for (const [step, count] of Object.entries(TEXTBOOK_PHRASING_COUNTS) as [TextbookStep, number][])
    result[step] = PARAPHRASES[step].slice(0, count);
  return result;
}

/** The doctor's phrasings of each step of a synthetic interview. */
export const PHRASINGS: Readonly<Record<QuestionStep, readonly string[]>> = {
  ...textbookPhrasings(),
  ...OWN_PHRASINGS,
};
