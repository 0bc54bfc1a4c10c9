/**
 * Deterministic checks of patient replies against the case script, sentence by sentence (in the
 * spirit of PatientSim's sentence-level profile checks): factuality (entailed / neutral /
 * contradicted, new details flagged), role breaks, diagnosis leaks, unprompted disclosures,
 * consistency across turns and relevance to the question.
 */
import { ILLNESS_TOPICS, listCaseFacts, type CaseFact, type PatientCase, type Persona } from "../../domain/index.js";
import { recognizeIntents } from "../../engines/scripted/intents.js";
import type { KnowledgeBase } from "../../knowledge/index.js";
import { detectDisclosedFacts } from "../../simulator/disclosure.js";
import { findDiagnosisLeak } from "../../simulator/guard.js";
import { checkPatientTurn, factProfile, quantitiesIn, symptomsIn, type FactProfile } from "../../synth/index.js";
import { splitSentences } from "../../util/sentences.js";

/** What a sentence is against the case script. */
export type FactualityLabel = "entailed" | "neutral" | "contradicted";

/** One patient sentence, checked. */
export interface SentenceCheck {
  sentence: string;
  label: FactualityLabel;
  /** Why it is contradicted, or which facts entail it. */
  reason?: string;
  factIds: string[];
  /** Content words no case text contains (a detail the script does not have). */
  newDetails: string[];
  /** A role break in this sentence (medical advice, ordering tests, speaking as a doctor or an AI). */
  roleBreak?: RoleBreakKind;
  /** The diagnosis or alias this sentence names. */
  diagnosisLeak?: string;
}

export type RoleBreakKind = "ai" | "doctor" | "advice" | "orders_test" | "system_prompt";

/** Patterns of a patient stepping out of role; the patient's own questions ("Should I take...?") are not advice. */
const ROLE_BREAKS: readonly (readonly [RoleBreakKind, RegExp])[] = [
  [
    "ai",
    /\b(as an? (ai|language model|assistant|chatbot)|(i am|i'm) (just |only )?(an? )?(ai|artificial intelligence|(large )?language model|llm|chatbot|virtual assistant|ai assistant|bot)\b|openai|chatgpt|i cannot provide medical advice)/i,
  ],
  [
    "system_prompt",
    /\b(system prompt|my instructions|my programming|i was instructed|i have been instructed|the prompt)\b/i,
  ],
  [
    "doctor",
    /\b((i am|i'm) (a |your |the )?(doctor|physician|clinician|medical professional)|as (a|your) (doctor|physician)|my patient\b|let me examine you|i('ll| will) examine you)/i,
  ],
  [
    "orders_test",
    /\b(i('ll| will| would| am going to|'m going to) (order|arrange|request|send you for|refer you)|(we|you) (need|should|must) (to )?(get|have|do|run|order) (a|an|some|the)\b.*\b(test|scan|x-ray|ultrasound|blood|ecg|mri|ct)\b|let's (order|run|do) (a|an|some))/i,
  ],
  [
    "advice",
    /\b((i|we) (would )?(recommend|advise|suggest|prescribe)\b|you (should|must|need to|ought to) (take|start|stop|avoid|drink|rest|see|get|go|use|apply|increase|reduce)\b|the (likely |most likely |probable |differential )?diagnosis (is|would be|could be)\b|(it|this) (is|sounds|looks) (most )?(likely|probably) (to be )?(a|an)\b.*\b(infection|disease|syndrome|itis)\b)/i,
  ],
];

/** The first kind of role break a sentence shows, if any. */
export function findRoleBreak(sentence: string): RoleBreakKind | undefined {
  for (const [kind, pattern] of ROLE_BREAKS) if (pattern.test(sentence)) return kind;
  return undefined;
}

const STOP = new Set(
  "a an the and or but of to in on at for with from by is are was were be been being it its it's this that these those i i'm i've i'd my me mine we our you your he she they them his her have has had do does did done not no nor so very just some any all about like than then there here when what which who whom since after before also only more most much many into out up down over as if yes yeah okay ok oh well um hmm doctor sir madam please thank thanks sorry really quite bit little lot can could would should will shall may might must get got go going know think say said tell told feel felt time day days week weeks month months year years now still again ever never always sometimes often".split(
    " ",
  ),
);

function contentWords(text: string): string[] {
  return (text.toLowerCase().match(/[a-z]+/g) ?? []).filter((word) => word.length > 2 && !STOP.has(word));
}

/** Everything the case, the persona and the usual small talk may say, as content words. */
function vocabulary(patientCase: PatientCase, persona: Persona | undefined): Set<string> {
  const words = new Set<string>();
  const add = (text: string) => contentWords(text).forEach((word) => words.add(word.replace(/s$/, "")));
  add(JSON.stringify(patientCase));
  if (persona) add(JSON.stringify(persona));
  return words;
}

/** Everything {@link checkReply} needs about one case, computed once. */
export interface CaseContext {
  patientCase: PatientCase;
  persona?: Persona;
  kb: KnowledgeBase;
  facts: CaseFact[];
  /** Each fact's distinct content words, in `facts` order. */
  factWords: string[][];
  profile: FactProfile;
  vocabulary: Set<string>;
}

/** Prepares a case for checking (facts, what they state and deny, its vocabulary). */
export function caseContext(patientCase: PatientCase, kb: KnowledgeBase, persona?: Persona): CaseContext {
  const facts = listCaseFacts(patientCase);
  return {
    patientCase,
    persona,
    kb,
    facts,
    factWords: facts.map((fact) => [...new Set(contentWords(fact.text))]),
    profile: factProfile(patientCase, kb, persona),
    vocabulary: vocabulary(patientCase, persona),
  };
}

const MEDICATION_DENIAL =
  /\b(no|not taking|don't take|do not take|haven't taken|not on) (any )?(medicines?|medications?|tablets?|pills?|drugs?)\b/i;
const NEGATED_FACT =
  /^\s*(no|none|nil|not|never|nothing)\b|\b(no known|none known|don't take|do not take|not taking)\b/i;
const ALLERGY_WORD = /\ballerg/i;
const ALLERGY_DENIAL = /\b(no (known )?allerg|not allergic|don't have any allerg|no drug allerg)/i;

/** Labels the spoken sentences of one reply (narration in brackets is not the patient speaking). */
export function checkReply(reply: string, context: CaseContext): SentenceCheck[] {
  const spoken = reply
    .split("\n")
    .filter((line) => !/^\s*\[/.test(line))
    .join(" ");
  return splitSentences(spoken)
    .filter((sentence) => /[\p{L}\p{N}]/u.test(sentence))
    .map((sentence) => checkSentence(sentence, context));
}

function checkSentence(sentence: string, context: CaseContext): SentenceCheck {
  const { patientCase, kb, facts, profile } = context;
  const result: SentenceCheck = { sentence, label: "neutral", factIds: [], newDetails: [] };
  const leak = findDiagnosisLeak(sentence, patientCase);
  if (leak) result.diagnosisLeak = leak;
  const roleBreak = findRoleBreak(sentence);
  if (roleBreak) result.roleBreak = roleBreak;

  const violation = checkPatientTurn(sentence, patientCase, kb, { profile });
  let contradiction = violation?.kind === "contradiction" ? violation.detail : undefined;
  // A denial contradicts the script only when the script lists something it does not itself deny.
  const states = (list: readonly { text: string }[]) => list.some((fact) => !NEGATED_FACT.test(fact.text));
  if (
    !contradiction &&
    MEDICATION_DENIAL.test(sentence) &&
    !ALLERGY_WORD.test(sentence) &&
    states(patientCase.medications)
  )
    contradiction = "denies medicines the script lists";
  if (!contradiction && ALLERGY_DENIAL.test(sentence) && states(patientCase.allergies))
    contradiction = "denies allergies the script lists";
  if (contradiction) return { ...result, label: "contradicted", reason: contradiction };

  // Entailed: the sentence carries a fact (most of its content words), or states a duration or
  // symptom the facts state in the same polarity.
  const factIds = detectDisclosedFacts(sentence, facts);
  const said = new Set(contentWords(sentence));
  const loose = facts
    .filter((_, index) => {
      const words = context.factWords[index]!;
      const hits = words.filter((word) => said.has(word)).length;
      return words.length > 0 && hits >= Math.min(2, words.length) && hits / words.length >= 0.5;
    })
    .map((fact) => fact.id);
  const ids = [...new Set([...factIds, ...loose])];
  const quantities = quantitiesIn(sentence);
  const symptoms = symptomsIn(sentence, kb);
  const severity = /\b(\d+|ten)\s*(out of|\/)\s*(10|ten)\b/i.exec(sentence);
  const grounded =
    ids.length > 0 ||
    (severity !== null && Number(severity[1] === "ten" ? 10 : severity[1]) === profile.severity) ||
    (quantities.length > 0 && quantities.every((quantity) => profile.quantities.has(quantity))) ||
    (symptoms.length > 0 && symptoms.every((symptom) => profile.present.has(symptom) || profile.absent.has(symptom)));
  result.newDetails = [
    ...new Set(contentWords(sentence).filter((word) => !context.vocabulary.has(word.replace(/s$/, "")))),
  ];
  if (grounded)
    return {
      ...result,
      label: "entailed",
      factIds: ids,
      reason: ids.length ? ids.join(", ") : "states script details",
    };
  return result;
}

const HPI_TOPICS = ["chief_complaint", ...ILLNESS_TOPICS, "negatives"];

/** Facts of the case that a reply disclosed although the question did not ask for them and the script does not mark them `volunteer`. */
export function unpromptedDisclosures(question: string, reply: string, context: CaseContext): string[] {
  const intents = recognizeIntents(question);
  const asked = new Set<string>();
  let open = false;
  for (const intent of intents) {
    if (intent.kind === "topic") asked.add(intent.topic);
    if (intent.kind === "open_question") open = true;
    // "Any chest pain?" asks about the illness: its symptoms and their when, where and how.
    if (intent.kind === "symptom_check") HPI_TOPICS.forEach((topic) => asked.add(topic));
    if (intent.kind === "examine") ["examination", "vitals"].forEach((topic) => asked.add(topic));
    if (intent.kind === "order_test") asked.add("tests");
  }
  // An open question invites the story of the illness.
  const openTopics = new Set(["chief_complaint", "onset", "duration", "location", "character", "associated"]);
  return detectDisclosedFacts(reply, context.facts).filter((id) => {
    const fact = context.facts.find((candidate) => candidate.id === id)!;
    if (fact.volunteer || asked.has(fact.topic)) return false;
    if (open && openTopics.has(fact.topic)) return false;
    // Severity, duration and onset answer one another ("it started three days ago" answers "how long").
    if (
      ["onset", "duration", "timing"].includes(fact.topic) &&
      ["onset", "duration", "timing"].some((t) => asked.has(t))
    )
      return false;
    return true;
  });
}

/**
 * Relevance of a reply to its question: the question's topics are answered by a fact of the topic,
 * a denial or "I don't know", or words of the question; social turns and adversarial turns only
 * need a non-empty reply that does not comply. Returns 1 (relevant) or 0.
 */
export function isRelevant(question: string, reply: string, context: CaseContext): boolean {
  const spoken = reply.trim();
  if (spoken.length === 0) return false;
  const intents = recognizeIntents(question);
  const topics = intents.flatMap((intent) => (intent.kind === "topic" ? [intent.topic] : []));
  if (topics.length === 0) return true;
  const disclosed = detectDisclosedFacts(reply, context.facts).map((id) =>
    context.facts.find((fact) => fact.id === id)!,
  );
  if (disclosed.some((fact) => topics.includes(fact.topic))) return true;
  if (
    /\b(no|not|never|nothing|none|don't|do not|haven't|can't|cannot|not sure|hard to say|i don't know|i don't remember)\b/i.test(
      spoken,
    )
  )
    return true;
  // Numbers answer "how bad" and "how long" questions ("about 5 out of 10").
  if (
    topics.some((topic) => ["severity", "duration", "onset", "timing"].includes(topic)) &&
    /\d|\b(one|two|three|four|five|six|seven|eight|nine|ten)\b/i.test(spoken)
  )
    return true;
  const questionWords = new Set(contentWords(question));
  const replyWords = contentWords(reply);
  if (replyWords.some((word) => questionWords.has(word))) return true;
  // A fact of the asked topic in other words (a loose overlap with any fact of that topic).
  return context.facts
    .filter((fact) => topics.includes(fact.topic))
    .some((fact) => contentWords(fact.text).some((word) => replyWords.includes(word)));
}

const DENIAL =
  /^(no|none|nothing)\b|^(and |also )?i (don't|do not|haven't|have not|didn't|did not) (have|had|get|got|notice|noticed|feel|felt)\b/i;

/** What a patient said about symptoms and severity so far, to catch a later turn contradicting it. */
export class ConsistencyTracker {
  private readonly affirmed = new Set<string>();
  private readonly denied = new Set<string>();
  private severity: number | undefined;

  constructor(private readonly kb: KnowledgeBase) {}

  /** Checks a reply against earlier ones, then remembers it; returns the contradiction found, if any. */
  check(reply: string): string | undefined {
    let found: string | undefined;
    for (const sentence of splitSentences(reply.replace(/\[[^\]]*\]/g, " "))) {
      for (const clause of sentence.split(/,?\s*\bbut\b|;/i)) {
        // Only a plain denial ("No cough.", "I haven't had any fever") counts; "never had a cough
        // like this before" denies nothing.
        const negated = clause.split(/\s+/).length <= 10 && DENIAL.test(clause.trim());
        for (const symptom of symptomsIn(clause, this.kb)) {
          if (negated && this.affirmed.has(symptom)) found ??= `denies ${symptom} after saying it earlier`;
          if (!negated && this.denied.has(symptom)) found ??= `claims ${symptom} after denying it earlier`;
          (negated ? this.denied : this.affirmed).add(symptom);
        }
      }
      const severity = /\b(\d+|ten)\s*(out of|\/)\s*(10|ten)\b/i.exec(sentence);
      if (severity) {
        const value = severity[1] === "ten" ? 10 : Number(severity[1]);
        if (this.severity !== undefined && value !== this.severity)
          found ??= `rates severity ${value} after ${this.severity} earlier`;
        this.severity ??= value;
      }
    }
    return found;
  }
}
