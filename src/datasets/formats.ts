import { z } from "zod";
import { ChatMessageSchema, DialogueTurnSchema, PatientCaseSchema } from "../domain/index.js";

/** The dataset formats medsim reads and writes; one schema each drives validation both ways. */
export const DATASET_FORMATS = ["chat", "medsim", "persona-pairs", "qa"] as const;
/** One of {@link DATASET_FORMATS}. */
export type DatasetFormat = (typeof DATASET_FORMATS)[number];

export { ChatMessageSchema, type ChatMessage } from "../domain/index.js";

/** The data splits a record can belong to; whole cases go to one split (`assignSplits` in `medsim/synth`). */
export const SPLITS = ["train", "validation", "test"] as const;
/** Zod schema of a split name. */
export const SplitSchema = z.enum(SPLITS);
/** One of {@link SPLITS}. */
export type Split = z.output<typeof SplitSchema>;

/** Provenance and balance labels carried by every generated record (all optional on read). */
export const RecordMetaSchema = z
  .object({
    id: z.string().optional(),
    caseId: z.string().optional(),
    diseaseId: z.string().optional(),
    personaId: z.string().optional(),
    split: SplitSchema.optional(),
    generator: z.string().optional(),
  })
  .catchall(z.unknown());
/** A value of {@link RecordMetaSchema}, as validated. */
export type RecordMeta = z.output<typeof RecordMetaSchema>;

/**
 * `chat`: `{"messages": [...], "meta": {...}}`, the layout TRL, Unsloth, axolotl, MLX and this
 * project's trainer read. The patient is the assistant; an optional system message comes first,
 * then user and assistant alternate, ending with the assistant.
 */
export const ChatRecordSchema = z
  .strictObject({ messages: z.array(ChatMessageSchema).min(2), meta: RecordMetaSchema.optional() })
  .superRefine((record, context) => {
    const turns = record.messages[0]?.role === "system" ? record.messages.slice(1) : record.messages;
    const offset = record.messages.length - turns.length;
    turns.forEach((message, index) => {
      const expected = index % 2 === 0 ? "user" : "assistant";
      if (message.role !== expected)
        context.addIssue({
          code: "custom",
          path: ["messages", index + offset, "role"],
          message: `expected "${expected}" (user and assistant alternate after the system message), found "${message.role}"`,
        });
    });
    if (turns.at(-1)?.role !== "assistant")
      context.addIssue({ code: "custom", path: ["messages"], message: "must end with an assistant message" });
  });
/** A value of {@link ChatRecordSchema}, as validated. */
export type ChatRecord = z.output<typeof ChatRecordSchema>;

/** `medsim`: `{"script": <case>, "dialogue": [{"role": "doctor"|"patient", "content"}]}`. */
export const MedsimRecordSchema = z.strictObject({
  script: PatientCaseSchema,
  dialogue: z.array(DialogueTurnSchema).min(1),
  meta: RecordMetaSchema.optional(),
});
/** A value of {@link MedsimRecordSchema}, as validated. */
export type MedsimRecord = z.output<typeof MedsimRecordSchema>;

/** `persona-pairs`: one entry of `conversations.json` (the original generator's layout). */
export const PersonaPairSchema = z.strictObject({
  persona: z.string().min(1),
  doctor_input: z.string().min(1),
  patient_response: z.string().min(1),
});
/** A value of {@link PersonaPairSchema}, as validated. */
export type PersonaPair = z.output<typeof PersonaPairSchema>;
/** Zod schema of `conversations.json` in the `persona-pairs` format. */
export const PersonaPairsFileSchema = z.array(PersonaPairSchema);

/** One entry of `personas.json` beside `conversations.json`. */
export const PersonaDescriptionSchema = z.strictObject({
  persona: z.string().min(1),
  name: z.string().min(1),
  description: z.string().min(1),
  traits: z.array(z.string()),
  examples: z.array(z.string()),
});
/** Zod schema of `personas.json` in the `persona-pairs` format. */
export const PersonaDescriptionsFileSchema = z.array(PersonaDescriptionSchema);

/** `qa`: `{"input_text", "output_text"}`, with the prompt layout in `text` when asked for. */
export const QaRecordSchema = z.strictObject({
  input_text: z.string().trim().min(1),
  output_text: z.string().trim().min(1),
  text: z.string().optional().describe("### Input:\\n...\\n\\n### Output:\\n..."),
  meta: RecordMetaSchema.optional(),
});
/** A value of {@link QaRecordSchema}, as validated. */
export type QaRecord = z.output<typeof QaRecordSchema>;

/** The prompt layout of a Q&A pair: `### Input:\n...\n\n### Output:\n...`. */
export function formatQaPrompt(input: string, output: string): string {
  return `### Input:\n${input}\n\n### Output:\n${output}`;
}

/** The schema of one JSONL line of a line-based format. */
export const LINE_SCHEMAS = { chat: ChatRecordSchema, medsim: MedsimRecordSchema, qa: QaRecordSchema } as const;
