import type { DialogueTurn, PatientCase, Persona } from "../domain/index.js";
import { answerFromScript } from "../engines/scripted/answer.js";
import { createRandom, hashString } from "../util/random.js";
import type { ProgressCallback } from "../util/logger.js";
import { MedsimError } from "../util/errors.js";
import { DuplicateFilter } from "./dedup.js";
import { DOCTOR_NAMES, HISTORY_ORDER, PHRASINGS, type QuestionStep } from "./questions.js";
import { assignSplits, DEFAULT_SPLIT_RATIOS, type Split } from "./split.js";
import { choose, shuffle } from "./text.js";

/** A case to talk through, with the disease it belongs to (for balance and statistics). */
export interface DialogueCase {
  patientCase: PatientCase;
  diseaseId: string;
}

/** One synthetic interview. */
export interface SynthDialogue {
  id: string;
  patientCase: PatientCase;
  diseaseId: string;
  persona: Persona;
  split: Split;
  turns: DialogueTurn[];
}

/** A turn the responder refused to produce (the teacher's reply failed the checks). */
export class RejectedTurnError extends MedsimError {
  constructor(readonly reason: string) {
    super("rejected_turn", reason);
  }
}

/** Writes the patient's turns. The offline responder is the scripted engine; the teacher wraps any engine. */
export interface Responder {
  readonly name: string;
  /** The patient's reply to the last (doctor) turn; throws {@link RejectedTurnError} to drop the dialogue. */
  answer(
    patientCase: PatientCase,
    persona: Persona,
    transcript: readonly DialogueTurn[],
    seed: number,
  ): string | Promise<string>;
  /**
   * Optional: all patient turns of a planned dialogue at once (one request to a teacher model);
   * when present it is used instead of `answer`. Returns one reply per question.
   */
  answerAll?(patientCase: PatientCase, persona: Persona, questions: readonly string[], seed: number): Promise<string[]>;
}

/**
 * Answers with the scripted engine: from the case script, in the persona's voice (deterministic,
 * grounded, offline). Talkative personalities' tangents and the other persona behaviours come
 * from the engine itself, so synthetic data and chat sound the same.
 */
export const scriptedResponder: Responder = {
  name: "scripted",
  answer: (patientCase, persona, transcript) => answerFromScript(patientCase, persona, transcript).text,
};

/** Options for {@link synthesizeDialogues}. */
export interface DialogueSynthesisOptions {
  cases: readonly DialogueCase[];
  personas: readonly Persona[];
  count: number;
  /** Default 1. */
  seed?: number;
  /** Doctor turns per dialogue, inclusive. Default 6 and 16. */
  minTurns?: number;
  maxTurns?: number;
  /** Default: the scripted (offline) responder. */
  responder?: Responder;
  /** Near-duplicate threshold (estimated Jaccard of word 3-grams). Default 0.9. */
  nearDuplicateThreshold?: number;
  /** Train/validation/test shares, by case. Default 0.8/0.1/0.1. */
  splitRatios?: readonly [number, number, number];
  /** Tries per slot before it is given up (duplicates, rejected teacher turns). Default 20. */
  maxAttempts?: number;
  onProgress?: ProgressCallback;
}

/** What {@link synthesizeDialogues} produced: the dialogues and what was dropped (duplicates, rejected turns). */
export interface DialogueSynthesisResult {
  dialogues: SynthDialogue[];
  duplicatesRemoved: { exact: number; near: number };
  /** Dialogues dropped because a responder turn was rejected, by reason. */
  rejected: { count: number; reasons: Record<string, number> };
  /** Slots that could not be filled within `maxAttempts`. */
  unfilled: number;
}

/**
 * Generates `count` dialogues, balanced: persona `i mod P` for slot i (so every persona gets an
 * equal share, within one), diseases in turn, each disease's cases in turn. Each dialogue follows
 * a seeded plan of doctor questions; duplicates (exact patient-turn sequences and near-duplicate
 * dialogues) are regenerated with another plan. The same options give the same dialogues.
 */
export async function synthesizeDialogues(options: DialogueSynthesisOptions): Promise<DialogueSynthesisResult> {
  const { cases, personas, count } = options;
  if (cases.length === 0) throw new MedsimError("invalid_input", "no cases to synthesise dialogues from");
  if (personas.length === 0) throw new MedsimError("invalid_input", "no personas to synthesise dialogues with");
  const seed = options.seed ?? 1;
  const minTurns = options.minTurns ?? 6;
  const maxTurns = options.maxTurns ?? 16;
  if (minTurns < 2 || maxTurns < minTurns)
    throw new MedsimError("invalid_input", `turns: expected 2 <= min <= max, found ${minTurns}..${maxTurns}`);
  const responder = options.responder ?? scriptedResponder;
  const maxAttempts = options.maxAttempts ?? 20;
  const splits = assignSplits(
    cases.map((item) => item.patientCase.id),
    seed,
    options.splitRatios ?? DEFAULT_SPLIT_RATIOS,
  );

  const byDisease = new Map<string, DialogueCase[]>();
  for (const item of cases) byDisease.set(item.diseaseId, [...(byDisease.get(item.diseaseId) ?? []), item]);
  const diseases = [...byDisease.keys()];

  const filter = new DuplicateFilter({ threshold: options.nearDuplicateThreshold ?? 0.9 });
  const result: DialogueSynthesisResult = {
    dialogues: [],
    duplicatesRemoved: { exact: 0, near: 0 },
    rejected: { count: 0, reasons: {} },
    unfilled: 0,
  };
  for (let slot = 0; slot < count; slot++) {
    // Personas in strict turn; diseases shifted by one each round of personas, so every disease
    // meets every persona and each gets count/D (within a few) dialogues; a disease's cases in turn.
    const persona = personas[slot % personas.length]!;
    const diseaseCases = byDisease.get(diseases[(slot + Math.floor(slot / personas.length)) % diseases.length]!)!;
    const item = diseaseCases[Math.floor(slot / diseases.length) % diseaseCases.length]!;
    let filled = false;
    for (let attempt = 0; attempt < maxAttempts && !filled; attempt++) {
      const dialogueSeed = hashString(`dialogue|${seed}|${slot}|${attempt}`);
      let turns: DialogueTurn[];
      try {
        turns = await runPlan(
          item.patientCase,
          persona,
          planQuestions(createRandom(dialogueSeed), minTurns, maxTurns),
          responder,
          dialogueSeed,
        );
      } catch (error) {
        if (!(error instanceof RejectedTurnError)) throw error;
        result.rejected.count++;
        const reason = error.reason.split(":")[0] ?? error.reason;
        result.rejected.reasons[reason] = (result.rejected.reasons[reason] ?? 0) + 1;
        continue;
      }
      const patientKey = turns
        .filter((turn) => turn.role === "patient")
        .map((turn) => turn.content)
        .join("\u0000");
      const duplicate = filter.add(patientKey, turns.map((turn) => turn.content).join("\n"));
      if (duplicate) {
        result.duplicatesRemoved[duplicate]++;
        continue;
      }
      result.dialogues.push({
        id: `d${String(slot + 1).padStart(6, "0")}`,
        patientCase: item.patientCase,
        diseaseId: item.diseaseId,
        persona,
        split: splits.get(item.patientCase.id) ?? "train",
        turns,
      });
      filled = true;
    }
    if (!filled) result.unfilled++;
    if (options.onProgress && (slot % 50 === 49 || slot === count - 1))
      options.onProgress({ label: "synthesising dialogues", completed: slot + 1, total: count });
  }
  return result;
}

/**
 * A seeded plan of doctor utterances: an optional greeting, the open question, a subset of the
 * history steps in the usual order (ideas, concerns and expectations included), sometimes an
 * empathic remark, and a closing; between `minTurns` and `maxTurns` utterances.
 */
export function planQuestions(random: () => number, minTurns: number, maxTurns: number): string[] {
  const total = minTurns + Math.floor(random() * (maxTurns - minTurns + 1));
  const greeting = random() < 0.8 && total >= 4;
  const empathy = random() < 0.5 && total >= 5;
  const historyCount = Math.max(0, total - 2 - (greeting ? 1 : 0) - (empathy ? 1 : 0));
  const chosen = new Set(shuffle(random, HISTORY_ORDER).slice(0, historyCount));
  const history = HISTORY_ORDER.filter((step) => chosen.has(step));
  // Repeat symptom checks to fill plans longer than the list of history steps.
  while (history.length < historyCount)
    history.splice(
      history.indexOf("past_history") >= 0 ? history.indexOf("past_history") : history.length,
      0,
      "symptom_check",
    );
  const steps: QuestionStep[] = [...(greeting ? (["greeting"] as const) : []), "open_question", ...history, "closing"];
  if (empathy) {
    const after = steps.indexOf("concerns") >= 0 ? steps.indexOf("concerns") : steps.indexOf("open_question");
    steps.splice(after + 1, 0, "empathy");
  }
  const doctor = choose(random, DOCTOR_NAMES);
  const usedChecks = new Set<string>();
  return steps.map((step) => {
    let phrasing = choose(random, PHRASINGS[step]);
    if (step === "symptom_check") {
      for (let tries = 0; usedChecks.has(phrasing) && tries < 10; tries++) phrasing = choose(random, PHRASINGS[step]);
      usedChecks.add(phrasing);
    }
    return phrasing.replace("{doctor}", doctor);
  });
}

async function runPlan(
  patientCase: PatientCase,
  persona: Persona,
  questions: readonly string[],
  responder: Responder,
  seed: number,
): Promise<DialogueTurn[]> {
  const turns: DialogueTurn[] = [];
  if (responder.answerAll) {
    const replies = await responder.answerAll(patientCase, persona, questions, seed);
    questions.forEach((question, index) =>
      turns.push({ role: "doctor", content: question }, { role: "patient", content: replies[index] ?? "" }),
    );
    return turns;
  }
  for (const question of questions) {
    turns.push({ role: "doctor", content: question });
    turns.push({ role: "patient", content: await responder.answer(patientCase, persona, turns, seed) });
  }
  return turns;
}
