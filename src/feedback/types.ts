import { z } from "zod";
import { BACKGROUND_TOPICS, ICE_TOPICS, SYMPTOM_DETAIL_TOPICS } from "../domain/index.js";

/** History items: met when the student asked for this part of the history. */
export const HISTORY_ITEM_IDS = [
  "presenting_complaint",
  ...SYMPTOM_DETAIL_TOPICS,
  "aggravating_relieving",
  "associated_symptoms",
  "pertinent_negatives",
  ...BACKGROUND_TOPICS,
  "tobacco",
  "alcohol",
  "occupation",
  "living_situation",
  ...ICE_TOPICS,
] as const;
export type HistoryItemId = (typeof HISTORY_ITEM_IDS)[number];

/** Communication items, after the Calgary-Cambridge guide and the Master Interview Rating Scale. */
export const COMMUNICATION_ITEM_IDS = [
  "introduction",
  "open_opening_question",
  "empathy",
  "summarising",
  "checks_understanding",
  "avoids_jargon",
  "one_question_at_a_time",
  "closing",
] as const;
export type CommunicationItemId = (typeof COMMUNICATION_ITEM_IDS)[number];

export type FeedbackItemId = HistoryItemId | CommunicationItemId;
export const FEEDBACK_ITEM_IDS: readonly FeedbackItemId[] = [...HISTORY_ITEM_IDS, ...COMMUNICATION_ITEM_IDS];

/** One line of the transcript that shows an item: its index in `turns` (0-based) and the words. */
export const EvidenceSchema = z.object({
  turn: z.number().int().min(0),
  quote: z.string(),
});
export type Evidence = z.output<typeof EvidenceSchema>;

export const FeedbackItemSchema = z.object({
  id: z.enum([...HISTORY_ITEM_IDS, ...COMMUNICATION_ITEM_IDS]),
  category: z.enum(["history", "communication"]),
  /** false also when the item is not applicable (see `applicable`). */
  met: z.boolean(),
  /** false when the case has nothing for this item; such items count neither as met nor as missed. */
  applicable: z.boolean(),
  status: z.enum(["met", "missed", "not_applicable"]),
  evidence: z.array(EvidenceSchema),
  note: z.string(),
});
export type FeedbackItem = z.output<typeof FeedbackItemSchema>;

export const ImpressionSchema = z.object({
  verdict: z.enum(["correct", "incorrect", "not_stated"]),
  /** What the student said, when they stated a working diagnosis. */
  stated: z.string().optional(),
  evidence: z.array(EvidenceSchema),
  /** The hidden diagnosis, revealed now that the encounter is over. */
  diagnosis: z.string(),
  note: z.string(),
});
export type Impression = z.output<typeof ImpressionSchema>;

const TotalSchema = z.object({ met: z.number().int(), applicable: z.number().int(), total: z.number().int() });

/** The feedback on one encounter. */
export const EncounterFeedbackSchema = z.object({
  caseId: z.string(),
  /** `deterministic` (the utterance classifier) or `judge` (a model filled the schema). */
  mode: z.enum(["deterministic", "judge"]),
  /** For judge mode: `engine:model`. */
  judge: z.string().optional(),
  items: z.array(FeedbackItemSchema),
  impression: ImpressionSchema,
  totals: z.object({ history: TotalSchema, communication: TotalSchema }),
  /** The three most useful things to do next time. */
  tips: z.array(z.string()).max(3),
});
export type EncounterFeedback = z.output<typeof EncounterFeedbackSchema>;
