import { z } from "zod";

/** One turn of a history-taking conversation. */
export const DialogueTurnSchema = z.object({
  role: z.enum(["doctor", "patient"]),
  content: z.string(),
});
/** A value of {@link DialogueTurnSchema}, as validated. */
export type DialogueTurn = z.output<typeof DialogueTurnSchema>;
/** Who speaks a {@link DialogueTurn}: the doctor or the patient. */
export type DialogueRole = DialogueTurn["role"];

/**
 * One chat message in the role names model servers, chat templates and the `chat` dataset format
 * use; the patient is the assistant. The one chat-message type of medsim: engines send it, the
 * tokenizer formats it, the trainer and perplexity read it, the `chat` JSONL records hold it.
 */
export const ChatMessageSchema = z.strictObject({
  role: z.enum(["system", "user", "assistant"]),
  content: z.string(),
});
/** A value of {@link ChatMessageSchema}, as validated. */
export type ChatMessage = z.output<typeof ChatMessageSchema>;
/** The role of a {@link ChatMessage}. */
export type ChatRole = ChatMessage["role"];

/** A saved conversation: which case and persona, and what was said. */
export const SessionRecordSchema = z.object({
  caseId: z.string().min(1),
  personaId: z.string().min(1),
  engine: z.string().min(1),
  startedAt: z.string().datetime(),
  turns: z.array(DialogueTurnSchema),
  disclosedFactIds: z.array(z.string()),
});
/** A value of {@link SessionRecordSchema}, as validated. */
export type SessionRecord = z.output<typeof SessionRecordSchema>;
