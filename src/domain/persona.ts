import { z } from "zod";

/**
 * A persona: how the patient talks, independent of what is wrong with them. The style axes follow
 * the patient-simulation literature (personality, language proficiency, recall, confusion).
 */
export const PersonaSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, "expected lowercase letters, digits, '_' and '-', e.g. 'anxious'"),
  name: z.string().min(1),
  description: z.string().min(1),
  axes: z.object({
    personality: z
      .string()
      .min(1)
      .describe("e.g. plain, anxious, rude, overly_patient, distrustful, self_diagnosing, pleasing, low_literacy"),
    languageProficiency: z.enum(["A", "B", "C"]).describe("A basic, B intermediate, C fluent (CEFR-like)"),
    recall: z.enum(["low", "high"]).describe("how well the patient remembers their own history"),
    confusion: z.enum(["none", "moderate", "high"]),
  }),
  traits: z.array(z.string().min(1)).min(1).describe("speech traits the patient shows"),
  sentenceLimit: z.number().int().min(1).max(12).describe("at most this many sentences a reply"),
  examples: z.array(z.string().min(1)).min(1).describe("a few lines in this persona's voice"),
  /** Phrases the offline (scripted) engine mixes in; optional, derived from the axes when absent. */
  phrases: z
    .object({
      openers: z.array(z.string()).default([]),
      closers: z.array(z.string()).default([]),
      hedges: z.array(z.string()).default([]),
    })
    .optional(),
});
/** A value of {@link PersonaSchema}, as validated. */
export type Persona = z.output<typeof PersonaSchema>;
/** What {@link PersonaSchema} accepts (before its defaults are filled in). */
export type PersonaInput = z.input<typeof PersonaSchema>;
