/**
 * Judge mode: a model of any engine rates an interview on PatientSim's 1-4 persona-fidelity
 * rubric (personality, language level, recall, confusion, realism), answering in JSON that a
 * JSON Schema constrains (OpenAI `response_format`, Ollama `format`, a llama.cpp grammar). The
 * reply is validated again here, since servers may ignore the schema; an unusable reply is
 * retried once and then counted as failed, never guessed.
 */
import { z } from "zod";
import type { PatientCase, Persona } from "../../domain/index.js";
import type { PatientEngine } from "../../engines/index.js";
import type { Interview } from "./interview.js";

/** The rubric's dimensions. */
export const FIDELITY_DIMENSIONS = ["personality", "language_level", "recall", "confusion", "realism"] as const;
export type FidelityDimension = (typeof FIDELITY_DIMENSIONS)[number];

const score = z.number().int().min(1).max(4);
/** One judgement: a score 1-4 per dimension and a one-sentence reason. */
export const FidelityScoresSchema = z.strictObject({
  personality: score,
  language_level: score,
  recall: score,
  confusion: score,
  realism: score,
  reason: z.string(),
});
export type FidelityScores = z.output<typeof FidelityScoresSchema>;

/** The JSON Schema the judge's reply is constrained to. */
export const FIDELITY_JSON_SCHEMA: Record<string, unknown> = {
  type: "object",
  additionalProperties: false,
  required: [...FIDELITY_DIMENSIONS, "reason"],
  properties: {
    ...Object.fromEntries(FIDELITY_DIMENSIONS.map((name) => [name, { type: "integer", minimum: 1, maximum: 4 }])),
    reason: { type: "string" },
  },
};

/** The written rubric the judge gets. */
export function fidelityRubric(persona: Persona, patientCase: PatientCase): string {
  return [
    "You are an examiner rating a simulated patient played by an actor in a medical-school interview.",
    `The actor was asked to play: ${persona.name}. ${persona.description}`,
    `Personality: ${persona.axes.personality}; language level ${persona.axes.languageProficiency} (A basic, B intermediate, C fluent); recall ${persona.axes.recall}; confusion ${persona.axes.confusion}.`,
    `Traits: ${persona.traits.join("; ")}.`,
    `The case: ${patientCase.demographics.age}-year-old ${patientCase.demographics.sex}, ${patientCase.chiefComplaint}`,
    "Rate each dimension from 1 to 4:",
    "- personality: 4 the personality shows in every reply as described; 3 mostly; 2 rarely; 1 not at all or the opposite.",
    "- language_level: 4 vocabulary and sentence complexity fit the language level throughout; 1 clearly wrong (e.g. medical jargon from a basic speaker).",
    "- recall: 4 remembers exactly as well as described (precise when high, vague or unsure when low); 1 the opposite.",
    "- confusion: 4 the level of confusion matches (none: always coherent); 1 it does not.",
    "- realism: 4 sounds like a real patient of this kind; 2 stilted or repetitive; 1 speaks like a doctor, an AI or a textbook.",
    'Answer with JSON only: {"personality":n,"language_level":n,"recall":n,"confusion":n,"realism":n,"reason":"one sentence"}.',
  ].join("\n");
}

/** Asks the judge engine for one interview's scores; undefined when it gives no valid JSON twice. */
export async function judgeInterview(options: {
  judge: PatientEngine;
  interview: Interview;
  persona: Persona;
  patientCase: PatientCase;
  signal?: AbortSignal;
}): Promise<FidelityScores | undefined> {
  const { judge, interview, persona, patientCase } = options;
  const transcript = interview.turns.map((turn) => `Student: ${turn.text}\nPatient: ${turn.reply}`).join("\n");
  for (let attempt = 0; attempt < 2; attempt++) {
    const conversation = await judge.openConversation({
      patientCase,
      persona,
      systemPrompt: fidelityRubric(persona, patientCase),
    });
    try {
      let text = "";
      for await (const chunk of conversation.reply(
        [{ role: "doctor", content: `Transcript:\n${transcript}\n\nYour rating as JSON:` }],
        {
          jsonSchema: FIDELITY_JSON_SCHEMA,
          temperature: 0,
          maxTokens: 200,
          seed: attempt + 1,
          ...(options.signal ? { signal: options.signal } : {}),
        },
      ))
        text += chunk;
      const json = /\{[\s\S]*\}/.exec(text)?.[0];
      if (json) {
        try {
          const parsed = FidelityScoresSchema.safeParse(JSON.parse(json));
          if (parsed.success) return parsed.data;
        } catch {
          // not JSON: ask again
        }
      }
    } finally {
      await conversation.dispose();
    }
  }
  return undefined;
}

/** Mean scores over judged interviews, and how many the judge could not score. */
export interface FidelitySummary {
  judged: number;
  failed: number;
  means: Record<FidelityDimension, number> | null;
}

/** Averages judgements. */
export function summarizeFidelity(judgements: readonly (FidelityScores | undefined)[]): FidelitySummary {
  const valid = judgements.filter((item): item is FidelityScores => item !== undefined);
  return {
    judged: valid.length,
    failed: judgements.length - valid.length,
    means: valid.length
      ? (Object.fromEntries(
          FIDELITY_DIMENSIONS.map((name) => [name, valid.reduce((sum, item) => sum + item[name], 0) / valid.length]),
        ) as Record<FidelityDimension, number>)
      : null,
  };
}
