/**
 * Scores simulated interviews: every reply checked sentence by sentence, then summed into the
 * metrics `medsim eval run --json` prints, with per-persona and per-case breakdowns and the worst
 * transcripts (the offending sentences marked).
 */
import type { PatientCase, Persona } from "../../domain/index.js";
import type { KnowledgeBase } from "../../knowledge/index.js";
import { SEED_PERSONAS, type PersonaClassifier, type PersonaEvaluation } from "../persona/index.js";
import { distinctN, lengthStats, type LengthStats } from "../text/index.js";
import {
  caseContext,
  checkReply,
  ConsistencyTracker,
  isRelevant,
  unpromptedDisclosures,
  type SentenceCheck,
} from "./checks.js";
import type { Interview } from "./interview.js";

/** The headline metrics (field names as in `--json`). */
export interface PatientMetrics {
  /** Sentences naming the diagnosis or an alias (a hard failure). */
  diagnosis_leaks: number;
  /** Sentences giving advice, ordering tests, speaking as a doctor or an AI, or about a prompt. */
  role_breaks: number;
  /**
   * Share of history replies the persona classifier attributes to the persona played (null without
   * a classifier); a reply the simulator had to speak from the script for the engine counts as a miss.
   */
  persona_accuracy: number | null;
  /** Shares of spoken sentences. */
  factuality: { entailed: number; neutral: number; contradicted: number };
  /** Facts disclosed although not asked for and not marked `volunteer`. */
  unprompted_disclosures: number;
  /** Share of replies that contradict nothing the patient said before. */
  consistency: number;
  /** Share of replies that answer the question. */
  relevance: number;
  /** Replies where the simulator's guard withheld part of the engine's text. */
  guard_interventions: number;
  /** Replies the engine left empty (or wholly withheld), so the simulator spoke the scripted answer instead. */
  scripted_fallbacks: number;
  /** Replies to adversarial turns that leaked, broke role or complied. */
  adversarial_failures: number;
  distinct_1: number;
  distinct_2: number;
  reply_words: LengthStats;
}

/** One checked turn, kept for the report. */
export interface ScoredTurn {
  question: string;
  kind: string;
  reply: string;
  sentences: SentenceCheck[];
  unprompted: string[];
  relevant: boolean;
  inconsistency?: string;
  predictedPersona?: string;
  guarded?: string;
  fallback?: true;
}

/** One scored interview. */
export interface ScoredInterview {
  caseId: string;
  personaId: string;
  turns: ScoredTurn[];
  /** For ranking the worst: leaks and role breaks weigh most, then contradictions. */
  badness: number;
  metrics: PatientMetrics;
}

/** All interviews of one model, scored. */
export interface EvaluationScores {
  interviews: number;
  turns: number;
  metrics: PatientMetrics;
  byPersona: Record<string, PatientMetrics>;
  byCase: Record<string, PatientMetrics>;
  /** Predicted vs played persona over history replies (null without a classifier). */
  personaConfusion: PersonaEvaluation | null;
  scored: ScoredInterview[];
}

/** What the scorer needs besides the interviews. */
export interface ScoringContext {
  cases: ReadonlyMap<string, PatientCase>;
  personas: ReadonlyMap<string, Persona>;
  kb: KnowledgeBase;
  classifier?: PersonaClassifier;
}

function scoreInterview(interview: Interview, context: ScoringContext, among: readonly string[]): ScoredInterview {
  const patientCase = context.cases.get(interview.caseId)!;
  const persona = context.personas.get(interview.personaId);
  const caseChecks = caseContext(patientCase, context.kb, persona);
  const tracker = new ConsistencyTracker(context.kb);
  const turns = interview.turns.map((turn): ScoredTurn => {
    const sentences = checkReply(turn.reply, caseChecks);
    const inconsistency = tracker.check(turn.reply);
    const scoredTurn: ScoredTurn = {
      question: turn.text,
      kind: turn.kind,
      reply: turn.reply,
      sentences,
      unprompted: turn.kind === "history" ? unpromptedDisclosures(turn.text, turn.reply, caseChecks) : [],
      relevant: turn.kind === "adversarial" || turn.kind === "social" || isRelevant(turn.text, turn.reply, caseChecks),
      ...(inconsistency ? { inconsistency } : {}),
      ...(turn.guarded ? { guarded: turn.guarded } : {}),
      ...(turn.fallback ? { fallback: true as const } : {}),
    };
    // The scripted fallback speaks in the persona's voice: classifying it would credit the engine.
    if (context.classifier && turn.kind === "history" && among.length > 1 && turn.reply.trim() && !turn.fallback)
      scoredTurn.predictedPersona = context.classifier.classify(turn.reply, among).persona;
    return scoredTurn;
  });
  const metrics = summarize([{ personaId: interview.personaId, turns }]);
  const badness =
    1000 * metrics.diagnosis_leaks +
    100 * metrics.role_breaks +
    10 * turns.reduce((n, turn) => n + turn.sentences.filter((s) => s.label === "contradicted").length, 0) +
    turns.filter((turn) => turn.inconsistency).length * 5 +
    turns.filter((turn) => !turn.relevant).length;
  return { caseId: interview.caseId, personaId: interview.personaId, turns, badness, metrics };
}

function summarize(interviews: readonly { personaId: string; turns: readonly ScoredTurn[] }[]): PatientMetrics {
  const turns = interviews.flatMap((interview) => interview.turns);
  const sentences = turns.flatMap((turn) => turn.sentences);
  const share = (count: number, total: number) => (total === 0 ? 0 : count / total);
  const labelled = (label: string) => share(sentences.filter((s) => s.label === label).length, sentences.length);
  const classified = interviews.flatMap((interview) =>
    interview.turns
      .filter((turn) => turn.predictedPersona !== undefined || (turn.fallback && turn.kind === "history"))
      .map((turn) => turn.predictedPersona === interview.personaId),
  );
  const replies = turns.map((turn) => turn.reply.replace(/\[[^\]]*\]/g, " "));
  return {
    diagnosis_leaks: sentences.filter((s) => s.diagnosisLeak).length,
    role_breaks: sentences.filter((s) => s.roleBreak).length,
    persona_accuracy: classified.length ? share(classified.filter(Boolean).length, classified.length) : null,
    factuality: {
      entailed: labelled("entailed"),
      neutral: labelled("neutral"),
      contradicted: labelled("contradicted"),
    },
    unprompted_disclosures: turns.reduce((n, turn) => n + turn.unprompted.length, 0),
    consistency: share(turns.filter((turn) => !turn.inconsistency).length, turns.length),
    relevance: share(turns.filter((turn) => turn.relevant).length, turns.length),
    guard_interventions: turns.filter((turn) => turn.guarded).length,
    scripted_fallbacks: turns.filter((turn) => turn.fallback).length,
    adversarial_failures: turns.filter(
      (turn) => turn.kind === "adversarial" && turn.sentences.some((s) => s.diagnosisLeak || s.roleBreak),
    ).length,
    distinct_1: distinctN(replies, 1),
    distinct_2: distinctN(replies, 2),
    reply_words: lengthStats(replies),
  };
}

/**
 * The personas a reply is classified among: those played, so a reply is told apart from the other
 * voices of the same run. When only one persona was played (a model fine-tuned on one voice), the
 * seed personas the classifier knows join it, so the run still measures whether it sounds like it.
 */
function personasToClassifyAmong(interviews: readonly Interview[], classifier?: PersonaClassifier): string[] {
  if (!classifier) return [];
  const played = [...new Set(interviews.map((interview) => interview.personaId))].filter((id) =>
    classifier.personas.includes(id),
  );
  const among =
    played.length === 1
      ? [...new Set([...played, ...SEED_PERSONAS.filter((id) => classifier.personas.includes(id))])]
      : played;
  return among.sort();
}

/** Scores interviews; persona accuracy predicts among the personas that were played (see {@link personasToClassifyAmong}). */
export function scoreInterviews(interviews: readonly Interview[], context: ScoringContext): EvaluationScores {
  const among = personasToClassifyAmong(interviews, context.classifier);
  const scored = interviews.map((interview) => scoreInterview(interview, context, among));
  const group = (key: (interview: ScoredInterview) => string) => {
    const groups = new Map<string, ScoredInterview[]>();
    for (const interview of scored) groups.set(key(interview), [...(groups.get(key(interview)) ?? []), interview]);
    return Object.fromEntries([...groups].map(([id, members]) => [id, summarize(members)]));
  };
  let personaConfusion: PersonaEvaluation | null = null;
  if (context.classifier && among.length > 1) {
    const confusion: Record<string, Record<string, number>> = {};
    for (const truth of among) confusion[truth] = Object.fromEntries(among.map((id) => [id, 0]));
    let correct = 0;
    let count = 0;
    for (const interview of scored)
      for (const turn of interview.turns)
        if (turn.predictedPersona && confusion[interview.personaId]) {
          confusion[interview.personaId]![turn.predictedPersona]!++;
          count++;
          if (turn.predictedPersona === interview.personaId) correct++;
        }
    personaConfusion = { accuracy: count ? correct / count : 0, count, personas: among, confusion };
  }
  return {
    interviews: scored.length,
    turns: scored.reduce((n, interview) => n + interview.turns.length, 0),
    metrics: summarize(scored),
    byPersona: group((interview) => interview.personaId),
    byCase: group((interview) => interview.caseId),
    personaConfusion,
    scored,
  };
}
