import { splitSentences } from "../util/sentences.js";
import {
  JARGON,
  OPEN_FORM,
  PRELIMINARY,
  QUESTION_START,
  REQUEST,
  SYMPTOM_QUESTION,
  SYMPTOM_WORDS,
  TOPIC_PATTERNS,
  type InquiryTopic,
} from "./lexicon.js";

/** What one sentence of the student does. */
export interface SentenceAnalysis {
  /** The sentence as said. */
  text: string;
  /** Lower case, contractions written out. */
  normalized: string;
  /** `question` (ends in ? or opens like one), `request` ("Tell me about ..."), or `statement`. */
  form: "question" | "request" | "statement";
  /** Open (the patient answers in their own words) or closed; only for questions and requests. */
  openness?: "open" | "closed";
  /** Greeting, consent, identity check: not history taking. */
  preliminary: boolean;
  /** History topics the inquiry asks about (empty for statements). */
  topics: InquiryTopic[];
  /** For `symptom_check`: the symptom words asked about. */
  symptoms: string[];
  /** Statement types. */
  acts: StatementAct[];
  /** Unexplained jargon in this sentence. */
  jargon: string[];
}

export type StatementAct =
  | "introduction_name"
  | "introduction_role"
  | "empathy"
  | "summary"
  | "checks_understanding"
  | "closing"
  | "tag_question";

/** What one student turn does, sentence by sentence. */
export interface UtteranceAnalysis {
  sentences: SentenceAnalysis[];
  /** Questions that ask for something (not tags like "is that right?", not pleasantries). */
  substantiveQuestions: number;
  /** Two or more questions asked at once. */
  stacked: boolean;
}

const CONTRACTIONS: readonly [RegExp, string][] = [
  [/\bwhat's\b/g, "what is"],
  [/\bwhere's\b/g, "where is"],
  [/\bhow's\b/g, "how is"],
  [/\bthat's\b/g, "that is"],
  [/\bit's\b/g, "it is"],
  [/\bthere's\b/g, "there is"],
  [/\blet's\b/g, "let us"],
  [/\bi'm\b/g, "i am"],
  [/\b(you|we|they)'re\b/g, "$1 are"],
  [/\b(i|you|we|they)'ve\b/g, "$1 have"],
  [/\b(i|you|we|they|he|she|it|that)'ll\b/g, "$1 will"],
  [/\b(i|you|we|they|he|she)'d\b/g, "$1 would"],
  [/\bcan't\b/g, "can not"],
  [/\bwon't\b/g, "will not"],
  [/\b(\w+)n't\b/g, "$1 not"],
];

/** Lower case, straight quotes, written-out contractions, single spaces. */
export function normalizeUtterance(text: string): string {
  let result = text.toLowerCase().replace(/[’‘`]/g, "'").replace(/[“”]/g, '"');
  for (const [pattern, replacement] of CONTRACTIONS) result = result.replace(pattern, replacement);
  return result.replace(/\s+/g, " ").trim();
}

const TAG_QUESTION =
  /^(and |so )?((is|was) (that|it) (right|correct|ok|okay|so|true)|(right|ok|okay|correct|yes|yeah|really|sure|no|alright|all right|is it|hmm|sorry|pardon)|(have|did) i (got|get) (that|it) right|(does|did) (that|it) sound right|am i right|is that what you (mean|meant)|you (mean|said)[^?]{0,40})\s*[?.!]*$/;

const EMPATHY =
  /\b((i am|i am so|i am very|i am really) sorry (to hear|that|for|you)|sorry to hear|that (must|must have|would|will) (be|have been|feel)|(must|must have) (be|been) (very |really |so |quite )?(hard|difficult|tough|awful|terrible|frightening|scary|worrying|stressful|painful|upsetting|exhausting|uncomfortable|distressing)|(i can|i could|i) (see|understand|imagine|appreciate|hear) (that|how|why|you|your|this|it)|i understand\b|(that|it|this) (sounds|seems|seemed) (very |really |so |quite )?(hard|difficult|tough|awful|terrible|frightening|scary|worrying|stressful|painful|upsetting|exhausting|distressing|rough|concerning|like a lot)|(it is|that is|it would be) (completely |quite |very )?(understandable|natural|normal|okay|ok) (to|that|you)|you (seem|look|sound) (very |really |quite |a bit |a little )?(worried|anxious|scared|upset|frightened|stressed|concerned|tired|in pain|uncomfortable|frustrated)|(that is|it is) a lot to (deal|cope)|thank you for (telling|sharing)|(i am|we are) here to help|you (are|were) right to come|no wonder you|you must (be|have been|feel|be feeling) (so |very |really |quite )?(exhausted|tired|worried|scared|frightened|upset|stressed|in pain|uncomfortable|frustrated|anxious|fed up|low))/;

const SUMMARY =
  /\b(to summari[sz]e|let me (just |quickly |briefly )?(summari[sz]e|recap|sum up)|(in|a quick|a brief|to) (summary|sum up)|summari[sz]ing|to recap|let me recap|just to (recap|summari[sz]e|go over)|let me (just )?(make sure|check|confirm) (that )?i (have )?(got|understood|understand|have everything)|so (what )?you are (telling|saying)|if i (have )?(understood|understand) (you )?(correctly|right)|so far you have (told|said)|you have told me (that|about)|let me (go|run) (over|through|back over)|(let me|to) (repeat|read) (back|that back)|so,? (just )?to (go over|sum up|check))/;

const CHECKS_UNDERSTANDING =
  /\b((does|did) (that|this|it|all that|everything|all of that) make sense|do you understand|is (that|this|everything|it) clear|are you (clear|okay|ok|happy|comfortable) with (that|this|the plan|what)|(any|some) questions( for me)?\s*\??$|any (other |more )?questions (for me|you (have|want|would like|might have))|(do|have|did) you (have|got) (any )?(questions|doubts)|anything (else )?(you would|you|that you would|that you) (like|want) to ask|(something|anything) (you want|you would like|that you want) to (ask|clarify|know)|what you (have )?understood|can you (tell|explain) (me |back )?(what|in your own words)|(what is|what) your understanding|repeat (it |that )?back|tell me back|anything (that )?(i|we) (have|have not) (covered|missed|explained)|anything (else )?(i can|we can|i could) (clarify|explain|help)|anything (that is |which is )?unclear|anything (else )?(you would|you) (like|want) to (tell|discuss|add|mention|talk about|share|bring up)|(have|did) i (missed|forgotten|forget|miss) anything|anything (else )?(i should|that i should) know|anything else (on your mind|you are worried about)|is there anything else\s*\?*$)/;

const CLOSING =
  /\b((thank you|thanks) (for|very much|so much|a lot)|that is all( the questions)?( i have| for now| for today)?|(i|we) (will|am going to|are going to|would like to|need to|should|can) (now )?(examine|check|discuss|talk|speak|present|come back|get|arrange|order|send|refer|start|give|prescribe|write|do some|run|explain|review|admit|take (some|a)|do (a|an|some)|see you|follow|treat|monitor|keep)|next (step|steps|thing)|(the )?plan (is|will be|for|now)|follow[- ]?up|come back (if|in|after|when|tomorrow|to see)|take care|good ?bye|\bbye\b|see you|get well|let us (do|run|get|check|arrange|examine|take)|the (senior )?doctor will|my (senior|consultant)|(i|we) will be (back|right back)|we are (done|finished)|that (is|will be) (it|everything) for)/;

const NOT_A_NAME =
  "(?!(sorry|here|going|just|a|an|the|very|not|glad|happy|so|fine|dr|doctor|one|your|also|now|really|afraid|pleased|good|well|back|from|a)\\b)";
const INTRO_NAME = new RegExp(
  `\\b(my name is|my name's|i am (dr\\.?|doctor) [a-z]|this is (dr\\.?|doctor) [a-z]|i am ${NOT_A_NAME}([a-z]+ ){0,2}[a-z]+,? (a|an|the|one of the|your|and|from|i am|working) |(hello|hi|hey|good (morning|afternoon|evening)|namaste|namaskar)[,!.]? (i am|this is) ${NOT_A_NAME}[a-z]+|(call|called) me [a-z]|mera naam|main (dr\\.?|doctor) [a-z])`,
);
const INTRO_ROLE =
  /\b((i am|i'm|i will be|as) (a|an|the|one of the|your)? ?((final[- ]year |third[- ]year |fourth[- ]year |junior |senior |trainee |duty |resident |house |medical |nursing )*(doctor|student|intern|physician|resident|house (officer|surgeon)|registrar|clinician|nurse|medic|trainee)s?)\b|(i am|this is|my name is) (dr\.?|doctor) [a-z]+|medical student|student doctor|from the (medical|clinical) team|doctor (on duty|here|today|who will))/;

/** Splits a student turn into sentences and says what each one does. */
export function analyzeUtterance(text: string): UtteranceAnalysis {
  const sentences = splitQuestions(text).map(analyzeSentence);
  const substantive = sentences.filter((sentence) => isSubstantiveQuestion(sentence));
  const joined = substantive.some((sentence) => JOINED_QUESTIONS.test(sentence.normalized));
  return { sentences, substantiveQuestions: substantive.length, stacked: substantive.length >= 2 || joined };
}

const QUALIFIER_SYMPTOMS =
  /^(pain\w*|aches?|aching|fevers?|temperature|burning|dark|pale|cold|back|chest|eyes?|nose|skin|hands?|legs?|feet|stomach|belly|tummy|abdomen|abdominal|neck|ears?|mouth|weight|sleep\w*|energy|hair|blood\w*|stiff\w*)$/;

// A second question joined to the first inside one sentence ("When did it start and does anything help?").
const JOINED_QUESTIONS =
  /[a-z],? (and|also|plus) (what|when|where|how|why|which|who|do you|did you|have you|are you|is it|is there|are there|does it|does anything|has it|has anything|can you|could you|would you|were you|was it|any other)\b/;

function isSubstantiveQuestion(sentence: SentenceAnalysis): boolean {
  return (
    (sentence.form === "question" || sentence.form === "request") &&
    !sentence.preliminary &&
    !sentence.acts.includes("tag_question") &&
    !sentence.acts.includes("checks_understanding") &&
    !sentence.acts.includes("summary")
  );
}

// Sentences end at . ! ? as usual; a "?" followed by more words also ends one ("Fever? Any cough?").
function splitQuestions(text: string): string[] {
  // "Dr. Rao" is one name, not the end of a sentence.
  const protectedText = text.replace(/\b(Dr|Mr|Mrs|Ms|Prof|Sr|Jr)\.\s+/gi, "$1 ");
  return splitSentences(protectedText).flatMap((sentence) =>
    sentence
      .split(/(?<=\?)\s*/)
      .map((part) => part.trim())
      .filter((part) => part.length > 0),
  );
}

function analyzeSentence(text: string): SentenceAnalysis {
  const normalized = normalizeUtterance(text);
  const bare = normalized.replace(/^[^a-z]+/, "");
  const isQuestion = /\?\s*["')\]]*$/.test(normalized) || QUESTION_START.test(bare);
  const isRequest = !isQuestion && REQUEST.test(bare);
  const form = isQuestion ? "question" : isRequest ? "request" : "statement";
  const acts: StatementAct[] = [];
  if (TAG_QUESTION.test(bare)) acts.push("tag_question");
  if (INTRO_NAME.test(normalized)) acts.push("introduction_name");
  if (INTRO_ROLE.test(normalized)) acts.push("introduction_role");
  if (EMPATHY.test(normalized)) acts.push("empathy");
  if (SUMMARY.test(normalized) || isRestatement(normalized)) acts.push("summary");
  if (CHECKS_UNDERSTANDING.test(normalized)) acts.push("checks_understanding");
  if (CLOSING.test(normalized)) acts.push("closing");
  const preliminary = form !== "statement" && PRELIMINARY.test(normalized) && !hasHistoryTopic(normalized);
  const topics: InquiryTopic[] = [];
  const symptoms: string[] = [];
  if (form !== "statement" && !acts.includes("tag_question") && !acts.includes("summary")) {
    for (const [topic, pattern] of TOPIC_PATTERNS) if (pattern.test(normalized)) topics.push(topic);
    resolveOverlaps(normalized, topics);
    // A symptom named beside another topic ("How long, and any headache?") is still asked about; words
    // that only qualify the other topic ("Is the pain worse at night?") are not.
    const found = SYMPTOM_QUESTION.test(normalized)
      ? matchAll(normalized, SYMPTOM_WORDS).filter((word) => topics.length === 0 || !QUALIFIER_SYMPTOMS.test(word))
      : [];
    {
      if (found.length > 0) {
        topics.push("symptom_check");
        symptoms.push(...found);
      }
    }
  }
  const openness =
    form === "statement"
      ? undefined
      : form === "request" || OPEN_FORM.test(bare)
        ? ("open" as const)
        : ("closed" as const);
  return {
    text: text.trim(),
    normalized,
    form,
    ...(openness ? { openness } : {}),
    preliminary,
    topics,
    symptoms,
    acts,
    jargon: findJargon(normalized),
  };
}

function hasHistoryTopic(normalized: string): boolean {
  return TOPIC_PATTERNS.some(([topic, pattern]) => topic !== "presenting_complaint" && pattern.test(normalized));
}

// Where one pattern is too broad, the more specific reading wins.
function resolveOverlaps(normalized: string, topics: InquiryTopic[]): void {
  const drop = (topic: InquiryTopic) => {
    const index = topics.indexOf(topic);
    if (index >= 0) topics.splice(index, 1);
  };
  const has = (topic: InquiryTopic) => topics.includes(topic);
  // "Do you live with your family?" is about living, not the family's illnesses.
  if (
    has("family_history") &&
    has("living_situation") &&
    !/\b(ill|illness|disease|condition|problem|history|health|similar|same|runs?|diabet|pressure|heart|cancer|sick|suffer)/.test(
      normalized,
    )
  )
    drop("family_history");
  // Illness words in a family question ("Does your father have diabetes?") are family history.
  if (has("family_history") && has("past_history") && !/\b(you|your) (ever|had|have had|been)\b/.test(normalized))
    drop("past_history");
  // "Is anyone at home worried?" and "Are you worried about work?" keep their main topic.
  if (
    has("concerns") &&
    (has("occupation") || has("living_situation")) &&
    !/\b(worr|concern|afraid|scared|fear)\w* (about|that|it|this)/.test(normalized)
  )
    drop("concerns");
  // "What would you like to drink?" is not alcohol; "taken anything for it" is medication, not a remedy question.
  if (
    has("aggravating_relieving") &&
    has("medications") &&
    /\b(taking|take|taken|took|using) (any|anything)\b/.test(normalized) &&
    !/\b(better|worse|help|reliev|eas)/.test(normalized)
  )
    drop("aggravating_relieving");
  // "How long does it last?" and "How often?" are timing, "for how long" is duration.
  if (has("character") && has("presenting_complaint")) drop("character");
  if (has("severity") && has("presenting_complaint") && !/\b(how (bad|severe)|scale|out of)/.test(normalized))
    drop("severity");
  // A concern asked together with the opening ("What is worrying you today?") is still a concern.
  if (has("expectations") && has("presenting_complaint") && /\bwhat (can|could) (i|we) do for you\b/.test(normalized))
    drop("expectations");
}

// "So you have had a fever for three days, with body aches and a rash, and ..." restates several facts.
function isRestatement(normalized: string): boolean {
  if (!/^(ok(ay)?,? |right,? |alright,? )?so,? (you|your|it|the|just|basically)\b/.test(normalized)) return false;
  const links = (normalized.match(/,| and | with | also | but /g) ?? []).length;
  return normalized.length >= 60 && links >= 2;
}

function matchAll(text: string, pattern: RegExp): string[] {
  const global = new RegExp(pattern.source, "g");
  return [...new Set([...text.matchAll(global)].map((match) => match[0]))];
}

function findJargon(normalized: string): string[] {
  const found: string[] = [];
  for (const { term, lay } of JARGON) {
    const match = term.exec(normalized);
    if (!match) continue;
    const explained =
      lay.test(normalized) ||
      /\b(that is|which means|meaning|means|in other words|i mean|i\.e\.|or in plain|\()/.test(
        normalized.slice(match.index),
      );
    if (!explained) found.push(match[0]);
  }
  return found;
}
