import { z } from "zod";
import type { DialogueTurn, PatientCase, Persona } from "../domain/index.js";
import type { PatientEngine } from "../engines/types.js";
import { MedsimError } from "../util/errors.js";
import { ITEM_DEFINITIONS, IMPRESSION_TIPS } from "./definitions.js";
import { totalsOf } from "./score.js";
import {
  COMMUNICATION_ITEM_IDS,
  FEEDBACK_ITEM_IDS,
  HISTORY_ITEM_IDS,
  type EncounterFeedback,
  type FeedbackItem,
} from "./types.js";

/** What the judge model returns: met/missed per item with turn numbers; quotes are taken from the transcript. */
export const JudgeOutputSchema = z.object({
  items: z.array(
    z.object({
      id: z.enum([...HISTORY_ITEM_IDS, ...COMMUNICATION_ITEM_IDS]),
      met: z.boolean(),
      applicable: z.boolean().default(true),
      turns: z.array(z.number().int().min(0)).default([]),
      note: z.string().default(""),
    }),
  ),
  impression: z.object({
    verdict: z.enum(["correct", "incorrect", "not_stated"]),
    turn: z.number().int().min(0).optional(),
  }),
  tips: z.array(z.string()).default([]),
});
export type JudgeOutput = z.output<typeof JudgeOutputSchema>;

export const JUDGE_JSON_SCHEMA = z.toJSONSchema(JudgeOutputSchema, { io: "input" }) as Record<string, unknown>;

/** The judge's placeholder persona: the engines' API opens conversations for a case and persona. */
const JUDGE_PERSONA: Persona = {
  id: "judge",
  name: "Examiner",
  description: "An OSCE examiner scoring a history-taking station.",
  axes: { personality: "plain", languageProficiency: "C", recall: "high", confusion: "none" },
  traits: ["precise"],
  sentenceLimit: 12,
  examples: ["{}"],
};

function judgePrompt(patientCase: PatientCase): string {
  const definitions = FEEDBACK_ITEM_IDS.map((id) => `- ${id}: ${ITEM_DEFINITIONS[id].definition}`).join("\n");
  return [
    "You are an OSCE examiner scoring a medical student's history-taking interview with a simulated patient.",
    `The case: ${patientCase.title}. The hidden diagnosis is ${patientCase.diagnosis.primary} (also: ${patientCase.diagnosis.aliases.join(", ") || "none"}).`,
    "Score every item below. History items are met when the student asked for that part of the history.",
    "For each item give the numbers of the turns (as numbered in the transcript) that show it; for a missed item give none.",
    "impression: correct if the student stated the diagnosis or an alias as their working diagnosis, incorrect if they stated another, not_stated otherwise.",
    "Give three short tips for next time. Answer with JSON only.",
    "Items:",
    definitions,
  ].join("\n");
}

/**
 * Scores an interview with a judge model: the model fills {@link JudgeOutputSchema} (constrained
 * by its JSON Schema where the engine supports it); quotes are then taken from the transcript turns
 * it names, so a quote is always real. Items the model leaves out, or the case makes not
 * applicable, are filled from `fallback` (the deterministic result).
 */
export async function judgeEncounter(
  patientCase: PatientCase,
  turns: readonly DialogueTurn[],
  engine: PatientEngine,
  fallback: EncounterFeedback,
  options: { signal?: AbortSignal; maxTokens?: number } = {},
): Promise<EncounterFeedback> {
  const transcript = turns
    .map((turn, index) => `[${index}] ${turn.role === "doctor" ? "Student" : "Patient"}: ${turn.content}`)
    .join("\n");
  const conversation = await engine.openConversation({
    patientCase,
    persona: JUDGE_PERSONA,
    systemPrompt: judgePrompt(patientCase),
  });
  let text = "";
  try {
    for await (const chunk of conversation.reply([{ role: "doctor", content: `Transcript:\n${transcript}` }], {
      temperature: 0,
      maxTokens: options.maxTokens ?? 2000,
      jsonSchema: JUDGE_JSON_SCHEMA,
      ...(options.signal ? { signal: options.signal } : {}),
    }))
      text += chunk;
  } finally {
    await conversation.dispose();
  }
  let parsed: JudgeOutput;
  try {
    const json = JSON.parse(text.slice(text.indexOf("{"), text.lastIndexOf("}") + 1));
    parsed = JudgeOutputSchema.parse(json);
  } catch (error) {
    throw new MedsimError(
      "engine_error",
      `the judge model did not return the feedback JSON (${error instanceof Error ? error.message.split("\n")[0] : String(error)})`,
    );
  }
  const quoteOf = (turn: number) =>
    turns[turn] ? turns[turn].content.replace(/\s+/g, " ").trim().slice(0, 240) : undefined;
  const items = fallback.items.map((base): FeedbackItem => {
    const judged = parsed.items.find((item) => item.id === base.id);
    if (!judged || !base.applicable) return base;
    const evidence = judged.turns
      .map((turn) => ({ turn, quote: quoteOf(turn) }))
      .filter((entry): entry is { turn: number; quote: string } => entry.quote !== undefined);
    return {
      ...base,
      met: judged.met,
      status: judged.met ? "met" : "missed",
      evidence,
      note: judged.note || (judged.met ? `Met (judge).` : `Missed (judge): ${ITEM_DEFINITIONS[base.id].definition}`),
    };
  });
  const impressionTurn = parsed.impression.turn;
  const impressionQuote = impressionTurn === undefined ? undefined : quoteOf(impressionTurn);
  const impression = {
    ...fallback.impression,
    verdict: parsed.impression.verdict,
    evidence: impressionTurn !== undefined && impressionQuote ? [{ turn: impressionTurn, quote: impressionQuote }] : [],
    note:
      parsed.impression.verdict === "correct"
        ? `The working diagnosis matches: ${patientCase.diagnosis.primary}.`
        : parsed.impression.verdict === "incorrect"
          ? `The working diagnosis does not match; the diagnosis was ${patientCase.diagnosis.primary}.`
          : `No working diagnosis was stated. The diagnosis was ${patientCase.diagnosis.primary}.`,
  };
  const tips = parsed.tips.filter((tip) => tip.trim().length > 0).slice(0, 3);
  if (tips.length === 0 && impression.verdict !== "correct") tips.push(IMPRESSION_TIPS[impression.verdict]);
  return {
    ...fallback,
    mode: "judge",
    judge: `${engine.name}:${engine.modelName}`,
    items,
    impression,
    totals: totalsOf(items),
    tips: tips.length > 0 ? tips : fallback.tips,
  };
}
