/** Runs and scores simulated interviews for every chosen case x persona with one engine. */
import type { PatientCase, Persona } from "../../domain/index.js";
import type { PatientEngine } from "../../engines/index.js";
import { loadKnowledgeBase, type KnowledgeBase } from "../../knowledge/index.js";
import type { ProgressCallback } from "../../util/logger.js";
import type { PersonaClassifier } from "../persona/index.js";
import { runInterview, type Interview } from "./interview.js";
import { judgeInterview, summarizeFidelity, type FidelityScores, type FidelitySummary } from "./judge.js";
import { scoreInterviews, type EvaluationScores } from "./score.js";

/** Options of {@link evaluatePatient}. */
export interface PatientEvaluationOptions {
  engine: PatientEngine;
  cases: readonly PatientCase[];
  personas: readonly Persona[];
  /** Seeds every interview (with the case and persona ids) [1]. */
  seed?: number;
  /** Adversarial turns per interview [3]. */
  adversarial?: number;
  /** Questions per interview, closing included [all: about 27] (see {@link planInterview}). */
  maxQuestions?: number;
  classifier?: PersonaClassifier;
  /** Default: the built-in knowledge base (symptom lexicon for the checks). */
  kb?: KnowledgeBase;
  /** Stops between questions; what is done is scored and returned with `interrupted: true`. */
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
  /** Sampling temperature for model engines (default: the engine's). */
  temperature?: number;
  maxTokens?: number;
  /** Judge mode: this engine rates every interview on the 1-4 persona-fidelity rubric. */
  judge?: PatientEngine;
  /** `full` (default), `compact` or `none` (see {@link runInterview}). */
  systemPrompt?: "full" | "compact" | "none";
}

/** Interviews and their scores. */
export interface PatientEvaluation extends EvaluationScores {
  engine: string;
  model: string;
  transcripts: Interview[];
  interrupted: boolean;
  /** Judge mode's mean rubric scores (null without a judge). */
  fidelity: FidelitySummary | null;
  /** Per interview, in `transcripts` order (judge mode). */
  judgements?: (FidelityScores | undefined)[];
}

/** Interviews every case in every persona with the engine, then scores the transcripts. */
export async function evaluatePatient(options: PatientEvaluationOptions): Promise<PatientEvaluation> {
  const kb = options.kb ?? (await loadKnowledgeBase());
  const seed = options.seed ?? 1;
  const transcripts: Interview[] = [];
  const total = options.cases.length * options.personas.length;
  let interrupted = false;
  const judgements: (FidelityScores | undefined)[] = [];
  outer: for (const patientCase of options.cases) {
    for (const persona of options.personas) {
      // The scripted engine never waits on I/O, so without this a Ctrl-C (a macrotask) would only
      // be seen after the last interview.
      await new Promise((resolve) => setImmediate(resolve));
      if (options.signal?.aborted) {
        interrupted = true;
        break outer;
      }
      const interview = await runInterview({
        engine: options.engine,
        patientCase,
        persona,
        seed: (seed * 0x9e3779b1 + hashIds(patientCase.id, persona.id)) >>> 0,
        adversarial: options.adversarial,
        maxQuestions: options.maxQuestions,
        signal: options.signal,
        temperature: options.temperature,
        maxTokens: options.maxTokens,
        systemPrompt: options.systemPrompt,
      });
      if (interview.turns.length > 0) {
        transcripts.push(interview);
        if (options.judge && !options.signal?.aborted)
          judgements.push(
            await judgeInterview({ judge: options.judge, interview, persona, patientCase, signal: options.signal }),
          );
      }
      if (options.signal?.aborted) interrupted = true;
      options.onProgress?.({ label: `interviews (${options.engine.modelName})`, completed: transcripts.length, total });
      if (interrupted) break outer;
    }
  }
  const scores = scoreInterviews(transcripts, {
    cases: new Map(options.cases.map((patientCase) => [patientCase.id, patientCase])),
    personas: new Map(options.personas.map((persona) => [persona.id, persona])),
    kb,
    classifier: options.classifier,
  });
  return {
    engine: options.engine.name,
    model: options.engine.modelName,
    ...scores,
    transcripts,
    interrupted,
    fidelity: options.judge ? summarizeFidelity(judgements) : null,
    ...(options.judge ? { judgements } : {}),
  };
}

function hashIds(caseId: string, personaId: string): number {
  let hash = 0x811c9dc5;
  for (const char of `${caseId}|${personaId}`) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193);
  return hash >>> 0;
}
