import type { FactTopic } from "../../domain/index.js";
import { classifyQuestion, type Classification } from "./classifier.js";
import { couldBeExamination, readClinicalRequests } from "./clinical-requests.js";
import { analyzeText } from "./lexicon.js";
import type { QuestionLabel } from "./paraphrases.js";
import { peopleNamed, refersToPerson } from "./people.js";
import { normalizeUtterance } from "./utterance.js";
import { reconsiderLabel } from "./question-rules.js";

/** Question labels that ask for a fact topic of the history. */
export type TopicLabel = Exclude<
  QuestionLabel,
  | "greeting"
  | "open_question"
  | "closing"
  | "empathy"
  | "summary"
  | "plan"
  | "examine"
  | "order_test"
  | "unrelated"
  | "symptom_check"
>;

/**
 * What one part of a student's utterance asks for or does. A compound question ("When did it
 * start and does anything help?") gives one intent per part.
 */
export type Intent =
  | {
      kind: "topic";
      topic: FactTopic;
      concepts: string[];
      text: string;
      /** How sure the classifier was of the topic (a fact of the topic wins the one-sentence cut only when sure). */
      confidence?: number;
      /** People other than the patient the part is about ("your husband's job"): see {@link peopleNamed}. */
      people?: string[];
      /** Concepts taken from the part before ("Sugar? Tablets for it?"): they rank the topic's facts, never replace them. */
      inherited?: string[];
    }
  | { kind: "symptom_check"; concepts: string[]; text: string; people?: string[]; inherited?: string[] }
  | { kind: "examine"; target: string }
  | { kind: "order_test"; target: string }
  | { kind: "summary"; text: string }
  | { kind: "plan"; text: string }
  | { kind: "greeting" }
  | { kind: "open_question" }
  | { kind: "closing" }
  | { kind: "empathy" }
  | { kind: "unclear" }
  | { kind: "out_of_role" };

const OUT_OF_ROLE =
  /\b(ignore (all |any |your |the |previous |prior |above )*(instructions|prompts?|rules)|system prompt|jailbreak|you are (an? )?(ai|language model|chatbot|bot|assistant|chatgpt)|are you (an? )?(ai|bot|robot|computer|language model|real person|human)|pretend (to be|you are)|act as (a|an|the) (doctor|assistant|ai)|reveal (the|your)|(what('s| is)|tell me|say) (the|your) (diagnosis|answer|disease)|what (disease|condition|illness) do you have|your diagnosis|developer mode|new instructions)/;

/** Concepts that are question words, not clinical content. */
export function clinicalConcepts(concepts: readonly string[]): string[] {
  return [...new Set(concepts.filter((concept) => !concept.startsWith("cue_")))];
}

const CONVERSATIONAL: Partial<Record<QuestionLabel, Intent["kind"]>> = {
  greeting: "greeting",
  open_question: "open_question",
  closing: "closing",
  empathy: "empathy",
};

/** How sure the classifier must be before a part with no clinical word stands on its own. */
const STANDALONE_CONFIDENCE = 0.5;

/**
 * Recognizes what a doctor's utterance asks for: splits it into parts (sentences, then clauses
 * joined by "and", "or", commas), classifies each part, and keeps a part on its own when it is
 * clearly a question of its own (a confident label or a clinical word); otherwise it joins the
 * part before it. Adjacent parts with the same label are merged.
 */
export function recognizeIntents(doctorText: string): Intent[] {
  const cached = recognized.get(doctorText);
  if (cached) return cached;
  const intents = recognizeUncached(doctorText);
  if (recognized.size > 50_000) recognized.clear();
  recognized.set(doctorText, intents);
  return intents;
}

const recognized = new Map<string, Intent[]>();

function recognizeUncached(original: string): Intent[] {
  const doctorText = normalizeUtterance(original);
  const lower = doctorText.toLowerCase().replace(/[’‘]/g, "'");
  if (OUT_OF_ROLE.test(lower)) return [{ kind: "out_of_role" }];
  // Examinations and test orders have rules of their own (clinical-requests.ts); the rest is history.
  const requests = readClinicalRequests(doctorText);
  if (requests) return withClinicalRequests(requests);

  // A summary or an explanation is one statement, whatever its commas and "and"s.
  const whole = classifyQuestion(doctorText);
  if ((whole.label === "summary" || whole.label === "plan") && whole.confidence >= 0.5) {
    const intent = intentOf(doctorText);
    return intent ? [intent] : [{ kind: "unclear" }];
  }
  const parts: string[] = [];
  for (const fragment of splitFragments(doctorText)) {
    if (
      parts.length > 0 &&
      !asksAfterGreeting(parts.at(-1)!, fragment) &&
      (isContinuation(fragment) || sameLabel(parts.at(-1)!, fragment))
    )
      // Kept apart by a comma: what was listed ("chest pain, fainting") stays separate phrases.
      parts[parts.length - 1] = `${parts.at(-1)}, ${fragment}`;
    else parts.push(fragment);
  }
  // A short opening part joins the next ("Okay so, when did it start?"), unless it is a question of
  // its own about something named ("Sugar hai? Which tablets?" asks both).
  if (parts.length > 1 && isContinuation(parts[0]!) && !asksAboutNamedThing(parts[0]!))
    parts.splice(0, 2, `${parts[0]}, ${parts[1]}`);

  const intents: Intent[] = [];
  for (const part of parts) {
    const intent = withPeople(resolveReference(intentOf(part, doctorText), intents.at(-1)), intents.at(-1));
    if (intent && !intents.some((known) => sameIntent(known, intent))) intents.push(intent);
  }
  // An opening greeting before a real question needs no answer of its own: the question gets the
  // whole reply (a brief persona's one or two sentences would otherwise go on "Hello, doctor").
  if (intents[0]?.kind === "greeting" && intents.length > 1) intents.shift();
  return intents.length > 0 ? intents : [{ kind: "unclear" }];
}

/**
 * The intents of an utterance with examinations or test orders in it: those, and each other
 * sentence read as history. An instruction beside an examination ("Lie down. Let me press your
 * tummy.") is part of it, and a hello before it needs no answer of its own.
 */
function withClinicalRequests(read: NonNullable<ReturnType<typeof readClinicalRequests>>): Intent[] {
  const examines = read.some((item) => typeof item !== "string" && item.kind === "examine");
  const intents: Intent[] = [];
  for (const item of read) {
    if (typeof item !== "string") intents.push(item);
    else
      for (const intent of recognizeUncached(item))
        if (!["unclear", "greeting"].includes(intent.kind) && !(examines && intent.kind === "examine"))
          intents.push(intent);
  }
  return intents;
}

/**
 * "Hello aunty, I'm a final year student. What happened?": a question after an introduction is a
 * question of its own, however short ("What happened?" has no clinical word to stand on).
 */
function asksAfterGreeting(previous: string, fragment: string): boolean {
  if (classifyQuestion(previous).label !== "greeting") return false;
  const classification = classifyQuestion(fragment);
  if (classification.label === "greeting" || classification.confidence < STANDALONE_CONFIDENCE) return false;
  // "Hi, what brings you here?" read whole is the question: only a greeting that would swallow it is cut.
  if (classifyQuestion(`${previous} ${fragment}`).label !== "greeting") return false;
  return (
    /\?\s*$/.test(fragment) ||
    /^(so |and |ok |okay )?(what|how|why|when|where|which|kya|kaise|batao|bataiye|tell)\b/i.test(fragment)
  );
}

/** Concepts too broad to say on their own what a part is about. */
const BROAD_CONCEPTS = new Set(["pain", "past", "medicine", "family_members", "home", "occupation", "food"]);

/**
 * A later part that points back ("Any sugar or BP, and do you take tablets for *them*?", "Any
 * fever, and when did *it* start?") is about what the part before it named: it takes that part's
 * specific concepts when it names none of its own.
 */
function resolveReference(intent: Intent | undefined, previous: Intent | undefined): Intent | undefined {
  if (!intent || !previous || (intent.kind !== "topic" && intent.kind !== "symptom_check")) return intent;
  if (previous.kind !== "topic" && previous.kind !== "symptom_check") return intent;
  // "Sugar BP ki bimari? Dawai regular lete ho?", "Smoking? How much?": a part that asks a
  // dimension of something and names nothing of its own is about what the part before it named.
  const implicit =
    intent.kind === "topic" &&
    REFERRING_TOPICS.has(intent.topic) &&
    intent.concepts.every((concept) => BROAD_CONCEPTS.has(concept));
  if (!implicit && !/\b(them|it|this|that|those|these|they|its|their|same)\b/i.test(intent.text)) return intent;
  if (intent.concepts.some((concept) => !BROAD_CONCEPTS.has(concept))) return intent;
  const inherited = previous.concepts.filter((concept) => !BROAD_CONCEPTS.has(concept));
  if (inherited.length === 0) return intent;
  return { ...intent, concepts: [...new Set([...intent.concepts, ...inherited])], inherited };
}

/** Topics that ask about a dimension of something named before ("... and since when?", "tablets for it?"). */
const REFERRING_TOPICS = new Set<string>([
  "onset",
  "duration",
  "timing",
  "severity",
  "character",
  "aggravating",
  "relieving",
  "medications",
  "family_history",
]);

/**
 * The people other than the patient a part is about: those it names, or, when it points back with
 * a personal pronoun ("Unko bhi jalan?", "Does he have it too?"), those of the part before it.
 */
function withPeople(intent: Intent | undefined, previous: Intent | undefined): Intent | undefined {
  if (!intent || (intent.kind !== "topic" && intent.kind !== "symptom_check")) return intent;
  let people = peopleNamed(intent.text);
  if (
    people.length === 0 &&
    previous &&
    (previous.kind === "topic" || previous.kind === "symptom_check") &&
    previous.people?.length &&
    refersToPerson(intent.text)
  )
    people = previous.people;
  return people.length > 0 ? { ...intent, people } : intent;
}

/** A part that ends in a question mark and names a clinical thing: a question of its own, however short. */
function asksAboutNamedThing(part: string): boolean {
  return (
    /\?\s*$/.test(part) && clinicalConcepts(analyzeText(part).concepts).some((concept) => !BROAD_CONCEPTS.has(concept))
  );
}

/**
 * A fragment that continues the part before it rather than asking something new: a list item
 * ("... sugar or BP", "fever or cough"), or words with no clear question of their own.
 */
function isContinuation(fragment: string): boolean {
  const analysis = analyzeText(fragment);
  const classification = classifyQuestion(fragment);
  const content = analysis.tokens.filter((token) => !FILLERS.has(token));
  if (content.length === 0) return true;
  // "What happened?" after an introduction is the real question, short as it is.
  if (classification.label === "open_question" && classification.confidence >= 0.6) return false;
  const confidentQuestion =
    classification.confidence >= 0.6 &&
    classification.label !== "symptom_check" &&
    classification.label !== "unrelated";
  // "... like, throbbing?", "Sharp or dull?": a short list of descriptions qualifies the part before it.
  const cues = analysis.concepts.filter((concept) => concept.startsWith("cue_"));
  if (
    content.length <= 2 &&
    clinicalConcepts(analysis.concepts).length === 0 &&
    cues.every((cue) => cue === "cue_kind")
  )
    return true;
  if (confidentQuestion) return false;
  if (content.length <= 2 && cues.length === 0) return true;
  return clinicalConcepts(analysis.concepts).length === 0 && classification.confidence < STANDALONE_CONFIDENCE;
}

const FILLERS = new Set([
  "the",
  "a",
  "an",
  "any",
  "some",
  "do",
  "you",
  "is",
  "it",
  "in",
  "of",
  "to",
  "please",
  "okay",
  "so",
]);

function sameLabel(a: string, b: string): boolean {
  const left = classifyQuestion(a).label;
  const right = classifyQuestion(b).label;
  // "Hello, I'm a student, may I ask you some questions? So what happened?": the question after an
  // introduction stands on its own, or the greeting swallows it and only a hello comes back.
  return (
    left === right &&
    left !== "symptom_check" &&
    left !== "order_test" &&
    left !== "examine" &&
    left !== "open_question"
  );
}

function sameIntent(a: Intent, b: Intent): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === "topic" && b.kind === "topic") return a.topic === b.topic;
  if (a.kind === "symptom_check" && b.kind === "symptom_check") return a.concepts.join() === b.concepts.join();
  return !("target" in a) && !("text" in a);
}

/** Sentences, then clauses; "Dr." and decimals do not end a sentence. */
function splitFragments(text: string): string[] {
  return (
    text
      .replace(/\b(dr|mr|mrs|ms|no)\./gi, "$1")
      // "kisi aur ko" is "anyone else", not a list joined by "aur".
      .replace(/\b(kisi|koi|kuch) aur\b|\baur (kisi|koi|kuch|log)\b/gi, (match) => match.replace(" ", "_"))
      .split(/(?<=[?!;])\s*|(?<=[a-z)])\.\s+|\s*,\s*|\s+(?:and|or|also|aur|ya|plus|&)\s+/i)
      .map((part) => part.trim())
      .filter((part) => /[\p{L}\p{N}]/u.test(part))
  );
}

function intentOf(part: string, whole = part): Intent | undefined {
  const analysis = analyzeText(part);
  if (analysis.tokens.length === 0) return undefined;
  const classified = classifyQuestion(part);
  const label = reconsiderLabel(classified.label, analysis, part);
  // A frame that overrode the classifier is a confident reading of its own.
  const classification =
    label === classified.label
      ? classified
      : { ...classified, label, confidence: Math.max(classified.confidence, 0.6) };
  const concepts = clinicalConcepts(analysis.concepts);
  const conversational = CONVERSATIONAL[label];
  // "BP ki problem?" names a condition: a history question, not "what brings you in".
  // "How are the stools?" has the open question's frame but names what it asks about.
  if (label === "open_question" && concepts.length > 0 && classification.confidence < 0.9) {
    const next = classification.ranked.find((entry) => entry.label !== "open_question" && entry.probability >= 0.03);
    // A second reading this unsure is no reading: the symptom named is the question.
    if (!next || next.label === "symptom_check" || next.label === "unrelated" || next.probability < 0.15)
      return { kind: "symptom_check", concepts, text: part };
    if (!CONVERSATIONAL[next.label]) return intentOf2(next.label, concepts, part, next.probability);
  }
  if (conversational) return { kind: conversational } as Intent;
  // Who the patient is never names a symptom: "Are you fine in between attacks?" is a history question.
  if (label === "identity" && concepts.length > 0 && classification.confidence < STANDALONE_CONFIDENCE)
    return { kind: "symptom_check", concepts, text: part };
  switch (label) {
    case "examine":
      // "Drinking water - filtered or *tap*?": a bit of a question that examines nothing says nothing of its own.
      if (part !== whole && concepts.length === 0 && !couldBeExamination(part, whole)) return undefined;
      if (
        !isExaminationRequest(part) ||
        (part !== whole && !isExaminationRequest(whole)) ||
        !couldBeExamination(part, whole) ||
        insideCondition(part, whole)
      )
        return asHistory(classification.ranked, concepts, part);
      return { kind: "examine", target: part };
    case "order_test":
      if (!isTestOrder(part) || (part !== whole && !isTestOrder(whole)) || insideCondition(part, whole))
        return asHistory(classification.ranked, concepts, part);
      return { kind: "order_test", target: part };
    case "summary":
      return { kind: "summary", text: part };
    case "plan":
      return { kind: "plan", text: part };
    case "symptom_check":
      // "How often do you get them?": no symptom named, but a question word that a topic answers.
      return concepts.length > 0 ? { kind: "symptom_check", concepts, text: part } : topicByCue(classification, part);
    case "unrelated":
      if (concepts.length > 0) return { kind: "symptom_check", concepts, text: part };
      // A weak "unrelated" with a real second choice is a question asked oddly, not small talk.
      return classification.confidence < 0.5 && classification.ranked[1]
        ? intentOf2(classification.ranked[1].label, concepts, part, classification.ranked[1].probability)
        : { kind: "unclear" };
    default:
      return { kind: "topic", topic: label as FactTopic, concepts, text: part, confidence: classification.confidence };
  }
}

/**
 * Words that ask for a test to be done or its result now ("let's do a CBC", "send sputum", "what
 * does the ECG show", "CBC please"). A test name alone is not an order: "Ever tested for HIV?",
 * "Sugar test karwaya kabhi?" and "Coughing up blood?" ask about the patient's history.
 */
const ORDER_FRAME =
  /\b(order|orders|ordering|send|sending|sent for|get (a|an|the|some|his|her|your)|gets?|let'?s|let us|i('| a)?ll|i will|we('| a)?ll|we will|we'?d|i'?d like|i want|we want|need|needs|needed|require|should|shall|going to|gonna|do (a|an|the|some|your)|run|check (a|an|the|your)|arrange|request|advise|plan|can (i|we) (have|get|see|do)|may i (have|see)|could (i|we) (have|get|see)|show|shows|showed|what (does|did|do|about) (the |your )?|results?|reports?|report of|findings|values?|levels?|please|pls|karwa(o|iye|ao|ate|te|na)|kara(o|iye|na)|kijiye|karenge|karte hain|dekh(o|iye|te|enge)|bhej(o|iye|enge)|ho jaye|done now|today|now)\b/i;

/** An utterance that starts as a request. */
const LEADING_ORDER =
  /^\s*(?:(?:ok|okay|so|now|right|then|and)[, ]+)?(let'?s|let us|i('| a)?ll|i will|i would|i'?d|i want|we('| a)?ll|we will|we need|we should|we'?d|please|pls|order|send|(?:get|do|run) (?:a|an|the|some|his|her|your|an?)\b|arrange|can (we|i|you) (get|do|have|see|send|arrange)|could (we|i) (get|do|have|see)|may i (have|see))\b/;

/** Words that ask whether it was done before: history, not an order. */
const HISTORY_FRAME =
  /\b(ever|before|previously|previous|in the past|last time|earlier|kabhi|pehle|pahle|karwaya|karvaya|karaya|have you (been|had|got)|had you|did you (have|get|ever)|were you|has (it|your|anyone|anybody)|any (history|time))\b/i;

/** Whether a part the classifier calls a test order really orders one (see {@link ORDER_FRAME}). */
export function isTestOrder(part: string): boolean {
  const lower = part.toLowerCase().replace(/[’‘]/g, "'");
  // "Let's do a previous spirometry", "What did the last ECG show?": a request now, whatever the test's name says.
  if (LEADING_ORDER.test(lower) || /\b(results?|reports?|shows?|showed)\b/.test(lower)) return true;
  if (HISTORY_FRAME.test(lower)) return false;
  if (ORDER_FRAME.test(lower)) return true;
  // A bare name ("CBC?", "ECG", "Chest X-ray and sputum"): an order when it names a test and no symptom.
  const concepts = clinicalConcepts(analyzeText(part).concepts);
  return analyzeText(part).concepts.includes("cue_test") && concepts.length === 0;
}

/** Words that ask to examine now ("Let me check your tummy", "May I listen to your chest?", "Examine the abdomen"). */
const EXAMINATION_REQUEST =
  /^\s*(?:(?:ok|okay|so|now|right|then|and|alright)[, ]+)*(let me|let'?s|let us|may i|can i|could i|i will|i'?ll|i would|i'?d|i want|i am going|i'?m going|we will|we'?ll|we need|please|pls|examin|exam|check|listen|look|feel|press|palpate|auscultate|percuss|lie down|lie back|sit up|open|show me|take a deep breath|breathe in|vitals|pulse|bp|temperature)|\b(examin|let me|allow me|i will (check|examine|listen|look|feel)|i'?ll (check|examine|listen|look|feel))/;

/**
 * Whether a part the classifier calls an examination asks to examine now. "Is the pain worse when
 * you press on it?" and "Ever had your pressure checked?" are history questions.
 */
export function isExaminationRequest(part: string): boolean {
  const lower = part.toLowerCase().replace(/[’‘]/g, "'");
  if (EXAMINATION_REQUEST.test(lower) || /\b(vitals|vital signs|on examination|examination findings)\b/.test(lower))
    return true;
  if (HISTORY_FRAME.test(lower)) return false;
  return !/^\s*(is|does|do|did|are|was|were|have|has|had|any|how|when|what|why|where)\b/.test(lower);
}

/**
 * "If you breathe deep or I press here, does the pain change?", "When I press your tummy, does it
 * hurt more?": an examination or a test named inside a condition is part of a history question,
 * and a history question never examines or orders anything.
 */
export function insideCondition(part: string, whole: string): boolean {
  const lower = whole.toLowerCase().replace(/[’‘]/g, "'");
  const at = lower.indexOf(part.toLowerCase().replace(/[’‘]/g, "'"));
  const sentenceStart = Math.max(0, ...[".", "?", "!", ";"].map((mark) => lower.lastIndexOf(mark, at) + 1));
  const before = lower.slice(sentenceStart, at >= 0 ? at + part.length : lower.length);
  const condition = /(^|\s)(if|when|whenever|agar|jab|suppose|supposing|in case)\s/.exec(before);
  if (!condition) return false;
  // "If you don't mind, let me examine your chest": a polite condition before a request is a request.
  const clause = before.slice(condition.index);
  if (/\b(mind|allow|permit|okay|ok|alright|fine|possible|comfortable|agree|permission)\b/.test(clause)) return false;
  // The condition's sentence must go on to ask about a symptom (a question, not an instruction).
  const sentence = lower.slice(sentenceStart);
  const end = sentence.search(/[.?!;]/);
  const rest = end >= 0 ? sentence.slice(0, end + 1) : sentence;
  return /\?\s*$/.test(rest) || /\b(does|do|is|will|would|did|any|kya|hota|hoti|badhta|badhti)\b/.test(rest);
}

/** A part taken for a test order that is a history question: the best history label instead. */
function asHistory(ranked: Classification["ranked"], concepts: string[], part: string): Intent {
  const next = ranked.find((entry) => entry.label !== "order_test" && entry.label !== "examine");
  if (!next || next.label === "unrelated" || next.label === "symptom_check")
    return concepts.length > 0
      ? { kind: "symptom_check", concepts, text: part }
      : { kind: "topic", topic: "past_history", concepts, text: part };
  return intentOf2(next.label, concepts, part, next.probability);
}

/** A part with no clinical word whose best topic label is still a fair reading of its question words. */
function topicByCue(classification: Classification, part: string): Intent {
  const cues = analyzeText(part).concepts.filter((concept) => concept.startsWith("cue_"));
  if (cues.length === 0) return { kind: "unclear" };
  const next = classification.ranked.find(
    (entry) => entry.label !== "symptom_check" && entry.label !== "unrelated" && entry.probability >= 0.03,
  );
  return next ? intentOf2(next.label, [], part, next.probability) : { kind: "unclear" };
}

function intentOf2(label: QuestionLabel, concepts: string[], part: string, confidence?: number): Intent {
  const conversational = CONVERSATIONAL[label];
  if (conversational) return { kind: conversational } as Intent;
  if (label === "examine" || label === "order_test") return { kind: label, target: part };
  if (label === "summary" || label === "plan") return { kind: label, text: part };
  if (label === "symptom_check" || label === "unrelated") return { kind: "unclear" };
  return { kind: "topic", topic: label as FactTopic, concepts, text: part, confidence };
}
