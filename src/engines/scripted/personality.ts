import type { FactTopic } from "../../domain/index.js";
import { forbiddenDiagnosisTerms } from "../../domain/index.js";
import { pick } from "../../util/random.js";
import type { AnswerContext, AnswerPart } from "./answer.js";
import { recognizeIntents } from "./intents.js";
import { analyzeText } from "./lexicon.js";
import { speakFact, vagueAboutNumbers } from "./voice.js";

/**
 * What a personality changes in the content of an answer, not only its tone: the pleasing patient
 * plays symptoms down until probed, the distrustful one holds back sensitive facts until the
 * student explains or empathises, the self-diagnosing one pushes a theory of their own (never the
 * diagnosis), talkative ones wander into tangents from the case's social history, the rude one
 * answers each part in one sentence, and a patient with low recall is vague about numbers.
 */
export interface PersonalityContext extends AnswerContext {
  parts: AnswerPart[];
  turnNumber: number;
}

export interface ShapedAnswer {
  parts: AnswerPart[];
  /** Sentences added after the answer (a tangent, a pet theory). */
  extra: string[];
}

const SENSITIVE_TOPICS = new Set<FactTopic>([
  "alcohol",
  "sexual_history",
  "self_harm",
  "mood",
  "contraception",
  "obstetric",
  "tobacco",
]);
const TANGENT_CHANCE: Readonly<Record<string, number>> = {
  overly_patient: 0.4,
  anxious: 0.05,
  self_diagnosing: 0.1,
  pleasing: 0.1,
};
const TANGENT_TOPICS = new Set<FactTopic>(["social_other", "living", "occupation", "family_history", "diet"]);

/** The student explains why they ask, promises confidentiality, or shows empathy. */
export function isRapportBuilding(doctorText: string): boolean {
  return (
    analyzeText(doctorText).concepts.includes("cue_explain") ||
    recognizeIntents(doctorText).some((intent) => intent.kind === "empathy")
  );
}

export function applyPersonality(context: PersonalityContext): ShapedAnswer {
  const { persona, random, memory } = context;
  const personality = persona.axes.personality;
  let parts = context.parts;
  const extra: string[] = [];
  const answersFacts = parts.some((part) => part.sentences.some((sentence) => sentence.factId && !sentence.repeated));

  if (personality === "distrustful" && !memory.rapport && !isRapportBuilding(context.question)) {
    parts = parts.map((part) =>
      part.topics?.some((topic) => SENSITIVE_TOPICS.has(topic)) && part.sentences.some((s) => s.factId)
        ? {
            ...part,
            sentences: [
              {
                text: pick(random, [
                  "Why do you need to know that?",
                  "That's personal. Why are you asking me that?",
                  "I'd rather not say, unless you tell me why it matters.",
                  "What does that have to do with anything?",
                ])!,
              },
            ],
          }
        : part,
    );
  }

  if (personality === "pleasing") {
    const askedBefore = (kind: string) =>
      memory.doctorTurns.some((turn) =>
        recognizeIntents(turn).some((intent) => intent.kind === "topic" && intent.topic === kind),
      );
    parts = parts.map((part) => {
      if (part.intent.kind !== "topic") return part;
      if (part.intent.topic === "severity" && !askedBefore("severity")) {
        // The number stays true (the facts are the facts); the words around it play it down.
        const severity = context.patientCase.historyOfPresentIllness.severity;
        return {
          ...part,
          sentences: part.sentences.map((sentence) => ({
            ...sentence,
            text: pick(random, [
              `Maybe ${severity} out of 10, but it's not so bad really.`,
              `I suppose ${severity} out of 10, but I can manage it.`,
              `About ${severity} out of 10, nothing I can't handle.`,
            ])!,
          })),
        };
      }
      if (part.intent.topic === "associated" && !askedBefore("associated"))
        return { ...part, sentences: [{ text: "Nothing much else, doctor, I'm managing." }] };
      return part;
    });
  }

  // Brief, but still an answer to what was asked: the one sentence that fits the question best.
  if (personality === "rude") parts = parts.map((part) => ({ ...part, sentences: bestFitting(part.sentences) }));

  if (persona.axes.recall === "low")
    parts = parts.map((part) => ({
      ...part,
      sentences: part.sentences.map((sentence) => ({ ...sentence, text: blurNumbers(sentence.text, random) })),
    }));

  if (personality === "self_diagnosing") {
    const theory = wrongTheory(context);
    const askedIdeas = parts.some((part) => part.intent.kind === "topic" && part.intent.topic === "ideas");
    if (theory && (askedIdeas || (answersFacts && random() < 0.3)))
      extra.push(
        pick(random, [
          `I'm quite sure it's ${theory}, I read all about it.`,
          `Everything I read says ${theory}.`,
          `It must be ${theory}, the symptoms match exactly.`,
          `My cousin had ${theory} and it started just like this.`,
        ])!,
      );
  }

  const tangentChance = TANGENT_CHANCE[personality] ?? 0;
  if (tangentChance > 0 && answersFacts && random() < tangentChance) {
    const unsaid = context.index.facts.filter(
      (item) =>
        item.fact.revealedBy === "ask" &&
        !item.guarded &&
        TANGENT_TOPICS.has(item.fact.topic) &&
        !memory.saidFactIds.has(item.fact.id) &&
        !parts.some((part) => part.sentences.some((sentence) => sentence.factId === item.fact.id)),
    );
    const chosen = pick(random, unsaid);
    if (chosen)
      extra.push(
        `${pick(random, ["By the way,", "Oh, and", "You know,", "That reminds me,", "Not that it matters, but"])} ${lowerFirst(speakFact(chosen.fact))}`,
      );
  }
  return { parts, extra };
}

/**
 * The sentence that fits the question best, plus, for a question that names several things ("Any
 * fever or back pain?"), the best sentence for each thing the first one leaves out: brief, but
 * every part asked gets its answer.
 */
export function bestFitting(sentences: AnswerPart["sentences"]): AnswerPart["sentences"] {
  let best = sentences[0];
  for (const sentence of sentences) if ((sentence.fit ?? 0) > (best?.fit ?? 0)) best = sentence;
  if (!best) return [];
  const kept = [best];
  const covered = new Set(best.covers ?? []);
  const byFit = [...sentences].sort((a, b) => (b.fit ?? 0) - (a.fit ?? 0));
  // A question that does not single one fact out ("What medicines have you tried?" with two
  // medicines equally fitting) gets both, briefly.
  const tie = byFit.find(
    (sentence) => sentence !== best && sentence.factId && (sentence.fit ?? 0) >= (best.fit ?? 0) - 1e-9,
  );
  if (tie && best.factId) {
    kept.push(tie);
    for (const concept of tie.covers ?? []) covered.add(concept);
  }
  for (const sentence of byFit) {
    if (kept.includes(sentence) || kept.length >= 3) continue;
    const adds = (sentence.covers ?? []).filter((concept) => !covered.has(concept));
    if (adds.length === 0) continue;
    kept.push(sentence);
    for (const concept of adds) covered.add(concept);
  }
  return kept;
}

/** A disease the patient is convinced of: one of the case's differentials, never the diagnosis. */
function wrongTheory(context: PersonalityContext): string | undefined {
  const forbidden = forbiddenDiagnosisTerms(context.patientCase).map((term) => term.toLowerCase());
  const candidates = context.patientCase.diagnosis.differentials.filter(
    (name) =>
      name.length < 40 &&
      !forbidden.some((term) => name.toLowerCase().includes(term) || term.includes(name.toLowerCase())),
  );
  const theory = candidates[0];
  return theory ? theory.charAt(0).toLowerCase() + theory.slice(1) : undefined;
}

/** Vague about numbers and dates, as a patient with poor recall is. */
function blurNumbers(sentence: string, random: () => number): string {
  const vague = vagueAboutNumbers(sentence);
  if (vague === sentence) return sentence;
  return `${pick(random, ["I think", "Maybe", "I'm not sure, but"])} ${lowerFirst(vague)}`;
}

function lowerFirst(text: string): string {
  return /^I\b/.test(text) ? text : text.charAt(0).toLowerCase() + text.slice(1);
}
