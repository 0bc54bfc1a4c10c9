import type { DialogueTurn, PatientCase } from "../domain/index.js";
import type { PatientEngine } from "../engines/types.js";
import { diseaseNames, loadKnowledgeBase } from "../knowledge/index.js";
import { MedsimError } from "../util/errors.js";
import { judgeEncounter } from "./judge.js";
import { scoreEncounter } from "./score.js";
import type { EncounterFeedback } from "./types.js";

export interface EncounterFeedbackOptions {
  /** A judge model (llama, ollama or openai); without one the deterministic classifier scores. */
  judge?: PatientEngine;
  /** Disease names that make a stated impression `incorrect`; default: the knowledge base's names. */
  otherDiagnoses?: readonly string[];
  signal?: AbortSignal;
}

let knowledgeNames: Promise<string[]> | undefined;

/** The knowledge base's disease names and aliases (loaded once). */
export function knownDiseaseNames(): Promise<string[]> {
  knowledgeNames ??= loadKnowledgeBase().then((kb) => kb.diseases.flatMap(diseaseNames));
  return knowledgeNames;
}

/**
 * Feedback on a finished interview: the deterministic score, or with `judge` the judge model's,
 * in the same schema (`mode` says which).
 */
export async function createEncounterFeedback(
  patientCase: PatientCase,
  turns: readonly DialogueTurn[],
  options: EncounterFeedbackOptions = {},
): Promise<EncounterFeedback> {
  const otherDiagnoses = options.otherDiagnoses ?? (await knownDiseaseNames());
  const deterministic = scoreEncounter(patientCase, turns, { otherDiagnoses });
  if (!options.judge) return deterministic;
  if (options.judge.name === "scripted")
    throw new MedsimError("invalid_input", "the scripted engine cannot judge; use --engine llama, ollama or openai");
  return judgeEncounter(
    patientCase,
    turns,
    options.judge,
    deterministic,
    options.signal ? { signal: options.signal } : {},
  );
}
