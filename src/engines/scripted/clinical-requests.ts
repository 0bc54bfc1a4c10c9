import { namesBodySystem } from "./examination.js";
import { namesTestStrongly } from "./test-names.js";

/**
 * Telling an examination or a test order from a history question before the question classifier
 * reads it: ward requests are clipped, Hinglish and full of abbreviations ("sit forward, I'll
 * percuss and listen to ur back", "tilli dekhte hain", "CXR PA, CBC CRP and sputum gram stain
 * culture"), and a history question may name a body part or a manoeuvre ("If I press here, does
 * the pain change?", "Drinking water - filtered or tap?"). A sentence is an examination when it
 * asks or announces one now: a verb of examining and a clear body system; an order when it names a
 * test by a name that means a test and is not a question about the past.
 */
export type ClinicalRequest = { kind: "examine"; target: string } | { kind: "order_test"; target: string };

/** Verbs and instructions of examining, English and Hinglish. */
const EXAMINING =
  /\b(examine|examining|examination|exam|check|checking|listen|auscultate|percuss|palpate|feel|press|look|see|show|open|lie|lay|sit|lean|turn|roll|remove|take off|bend|stand|walk|breathe|take a deep breath|dilate|pinch|squeeze|raise|lift|arms up|hands up|stick out|put out|say aah|say 99|do (a|an|the|your|my)?\s*(pr|pv|ps|p\/v|p\/s|p\/r|per|internal|speculum|bimanual|fundoscopy)|perform|dekh\w*|dikha\w*|daba\w*|sun(ta|ti|na|enge|unga|ungi|o)|let jao|lait jao|lete|karwat|upar karo|uthao|uthaiye|khol\w*|saans lo|karna padega|karenge|karunga|karungi|karte hain|karta hun|karti hun)\b/;

/** Asking or announcing that it is done now ("let me", "I'll", "can I", "karna padega"). */
const REQUEST_FRAME =
  /\b(let me|lemme|let'?s|let us|allow me|may i|can i|could i|shall i|i will|i'?ll|i'?d like|i would like|i want to|i need to|i have to|i am going to|i'?m going to|going to|gonna|we will|we'?ll|we need to|need to|have to|is it (ok|okay|alright|fine) if|would you mind|please|pls|plz|\w+(?:unga|ungi)|dekhte hain|dekhta hun|dekhti hun|dekhenge|dekh lu|dekh lun|dekhu|karna padega|karenge|karunga|karungi|karte hain|karta hun|karti hun)\b/;

/** Speech acts that are not examining, after "let me" ("let me know", "let me ask"). */
const NOT_EXAMINING =
  /\b(let me|can i|may i|allow me to) (just )?(know|ask|understand|explain|tell|clarify|confirm|summar\w*|recap|get this|talk|see if i)\b|\bshow (me )?(with|where|which|how|the (place|spot|area) where)\b/;

/** Asking about the past: history, not a request now. */
const ABOUT_THE_PAST =
  /\b(ever|previously|in the past|last time|earlier|kabhi|pehle|pahle|pichle|pichhle|hota tha|hoti thi|hote the|karwaya|karvaya|karaya|did (the|any|a) (doctor|doctors|someone|anyone)|has (anyone|anybody|a doctor|the doctor)|have you (been|had|got|done)|had you|did you (have|get|ever|do)|were you|was (it|there|your)|done before|checked before|told you)\b|\b(last|old|previous|purani|purana) (\w+ )?(reports?|results?|tests?|ecg|x ray|scan|was|were|showed)\b/;

/** A conditional ("if I press here...", "agar dabaun to") asks what happens, it does not examine. */
const CONDITIONAL = /(^|[,;]\s*)(if|agar|when|whenever|jab)\b|\b(if|agar|whenever) (i|you|we|it)\b/;

/** A question in the form of one ("Does it hurt...", "Any swelling...", "Kya..."). */
const QUESTION_START =
  /^\s*(?:(?:ok|okay|so|and|now|also|right|achha|acha|hmm)[, ]+)*(does|do|did|is|are|was|were|have|has|had|any|how|what|why|where|which|who|whose|when|kya|kab|kaise|kitna|kitni|kaun|kahan)\b/;

/** A sentence that starts as an instruction ("Sit forward, ...", "Show me your tongue?"). */
const IMPERATIVE_START =
  /^\s*(?:(?:ok|okay|so|now|right|then|and|alright|achha|acha)[, ]+)*(examine|check|listen|look at|press|show|open|lie|lay|sit|lean|turn|roll|remove|take|bend|stand|walk|breathe|dilate|raise|lift|stick|put|say)\b/;

/** A plain request to examine the patient with no system named ("Let me examine you"). */
const EXAMINE_WORDS = /\b(examine|examination|exam|vitals|vital signs)\b/;

function lowerOf(text: string): string {
  return text.toLowerCase().replace(/[’‘`]/g, "'");
}

/** Whether a sentence asks about the past or what would happen, rather than asking to examine now. */
function isQuestionNotRequest(lower: string): boolean {
  const framed = REQUEST_FRAME.test(lower) && !NOT_EXAMINING.test(lower);
  if (ABOUT_THE_PAST.test(lower)) return true;
  // "Chest tight hota hai?": a question mark with no request in it ("..., ok?" after one is a courtesy).
  const asked =
    /\?\s*$/.test(lower) && !/[, ]+(ok|okay|theek hai|thik hai|alright|right|fine|haan|na|hai na)\s*\?\s*$/.test(lower);
  if (asked && !framed && !IMPERATIVE_START.test(lower)) return true;
  if (framed && !/^\s*(does|do|did|is|are|was|were|have|has|had|any)\b/.test(lower)) return false;
  return CONDITIONAL.test(lower) || QUESTION_START.test(lower);
}

/** Whether a sentence asks to examine the patient now (see {@link ClinicalRequest}). */
export function asksToExamine(sentence: string): boolean {
  const lower = lowerOf(sentence);
  if (NOT_EXAMINING.test(lower) || isQuestionNotRequest(lower)) return false;
  if (!EXAMINING.test(lower)) return false;
  return namesBodySystem(sentence) || EXAMINE_WORDS.test(lower);
}

/** Whether a sentence orders a test now (see {@link ClinicalRequest}). */
export function ordersTest(sentence: string): boolean {
  const lower = lowerOf(sentence);
  if (!namesTestStrongly(sentence)) return false;
  // "Blood culture before starting the antibiotic" is a plan, not the past.
  const past =
    ABOUT_THE_PAST.test(lower) || /\bbefore\b(?! (starting|giving|we|you|discharge|treatment|antibiotic))/.test(lower);
  if (past && !/^\s*(let'?s|let us|please|pls|send|order|get|do|run|arrange|book)\b/.test(lower)) return false;
  // "What does the ECG show?", "Is the CBC done?": questions about a test are the history reading's.
  return !QUESTION_START.test(lower) || REQUEST_FRAME.test(lower);
}

/**
 * Whether a part the question classifier took for an examination really is one: it must name
 * something examined or a verb of examining, and the sentence around it must not be a question
 * about the past or a conditional ("If you breathe deep or I press here, does the pain change?").
 */
export function couldBeExamination(part: string, whole: string): boolean {
  const lowerPart = lowerOf(part);
  if (!EXAMINING.test(lowerPart) && !namesBodySystem(part) && !EXAMINE_WORDS.test(lowerPart)) return false;
  const sentence = sentencesOf(whole).find((item) => item.includes(part)) ?? whole;
  return !isQuestionNotRequest(lowerOf(sentence));
}

/** Sentences, as the student typed them ("Dr." and decimals do not end one). */
function sentencesOf(text: string): string[] {
  return text
    .replace(/\b(dr|mr|mrs|ms|no)\./gi, "$1")
    .split(/(?<=[?!;])\s*|(?<=[a-z)\d])\.\s+/i)
    .map((part) => part.trim())
    .filter((part) => /[\p{L}\p{N}]/u.test(part));
}

/** Clauses of a sentence that both examines and orders ("listen to the chest and send a CXR"). */
function clausesOf(sentence: string): string[] {
  return sentence
    .split(/\s*,\s*|\s+(?:and then|then|and|also|aur|plus)\s+/i)
    .map((part) => part.trim())
    .filter(Boolean);
}

/**
 * The examinations and test orders of an utterance, sentence by sentence, with the other sentences
 * left as text for the history reading; undefined when no sentence examines or orders.
 */
export function readClinicalRequests(text: string): (ClinicalRequest | string)[] | undefined {
  const read: (ClinicalRequest | string)[] = [];
  for (const sentence of sentencesOf(text)) {
    const examines = asksToExamine(sentence);
    const orders = ordersTest(sentence);
    if (examines && orders) {
      // Each clause joins the kind it names; a clause naming neither ("sit up") goes with the one before it.
      const groups: { kind: ClinicalRequest["kind"]; clauses: string[] }[] = [];
      for (const clause of clausesOf(sentence)) {
        const kind = namesTestStrongly(clause) ? "order_test" : namesBodySystem(clause) ? "examine" : undefined;
        const last = groups.at(-1);
        if (last && (kind === undefined || kind === last.kind)) last.clauses.push(clause);
        else groups.push({ kind: kind ?? "examine", clauses: [clause] });
      }
      for (const group of groups) read.push({ kind: group.kind, target: group.clauses.join(", ") });
    } else if (examines) read.push({ kind: "examine", target: sentence });
    else if (orders) read.push({ kind: "order_test", target: sentence });
    else read.push(sentence);
  }
  return read.some((item) => typeof item !== "string") ? read : undefined;
}
