import { z } from "zod";
import type { PatientCase, Persona } from "../domain/index.js";
import type { PatientEngine } from "../engines/types.js";
import { readStructuredFile, validate } from "../util/files.js";
import { findDiagnosisLeak } from "./guard.js";
import { PatientSimulator } from "./simulator.js";

/**
 * A bank of realistic student questions, per case id: `[question, facts]`, where each entry of
 * `facts` is a fact id or alternatives joined by `|` ("hpi.onset|hpi.duration"); the reply must
 * reveal one fact of every entry.
 */
export const QuestionBankSchema = z.record(
  z.string().min(1),
  z.array(z.tuple([z.string().trim().min(1), z.array(z.string().min(1)).min(1)])),
);
export type QuestionBank = z.output<typeof QuestionBankSchema>;

export async function loadQuestionBank(path: string): Promise<QuestionBank> {
  return validate(QuestionBankSchema, await readStructuredFile(path), path);
}

export interface UnderstandingResult {
  questions: number;
  understood: number;
  /** understood / questions. */
  rate: number;
  /** Replies whose spoken part named the diagnosis (narration excluded). */
  leaks: { caseId: string; question: string; reply: string }[];
  misses: { caseId: string; question: string; expected: string[]; revealed: string[]; reply: string }[];
  /**
   * Replies that narrate an examination finding or a test result (the bracketed lines) to a
   * question whose expected facts are all history: a result nobody ordered is a leak of its own
   * ("Ever tested for HIV?" must not print the HIV result).
   */
  unaskedResults: { caseId: string; question: string; reply: string }[];
}

/** Fact ids that only an examination or a test order reveals. */
const ORDERED_FACT = /^(tests|exam|vitals)\b/;

/**
 * Asks every question of a bank in a fresh session (so nothing said before helps) and checks that
 * the reply reveals the expected facts and never names the diagnosis.
 */
export async function measureUnderstanding(options: {
  bank: QuestionBank;
  getCase: (id: string) => Promise<PatientCase>;
  persona: Persona;
  engine: PatientEngine;
}): Promise<UnderstandingResult> {
  const result: UnderstandingResult = {
    questions: 0,
    understood: 0,
    rate: 0,
    leaks: [],
    misses: [],
    unaskedResults: [],
  };
  for (const [caseId, entries] of Object.entries(options.bank)) {
    const patientCase = await options.getCase(caseId);
    for (const [question, expected] of entries) {
      const simulator = await PatientSimulator.create({
        patientCase,
        persona: options.persona,
        engine: options.engine,
      });
      const reply = await simulator.respond(question);
      await simulator.dispose();
      result.questions++;
      const revealed = reply.newlyDisclosedFactIds;
      if (expected.every((entry) => entry.split("|").some((id) => revealed.includes(id)))) result.understood++;
      else result.misses.push({ caseId, question, expected, revealed, reply: reply.text });
      const speech = reply.text.replace(/\[[^\]]*\]/g, "");
      if (findDiagnosisLeak(speech, patientCase)) result.leaks.push({ caseId, question, reply: reply.text });
      const asksHistory = expected.every((entry) => entry.split("|").every((id) => !ORDERED_FACT.test(id)));
      if (asksHistory && /\[[^\]]*\]/.test(reply.text))
        result.unaskedResults.push({ caseId, question, reply: reply.text });
    }
  }
  result.rate = result.questions === 0 ? 0 : result.understood / result.questions;
  return result;
}
