/**
 * Training data: the `chat`, `medsim` and `qa` JSONL formats of `src/datasets`, turned into chat
 * messages and tokenised with the model's own tokenizer and chat template (`ModelTokenizer`), so
 * training sees exactly the tokens inference will see. Assistant replies are the targets.
 */
import {
  ChatRecordSchema,
  MedsimRecordSchema,
  QaRecordSchema,
  medsimToChat,
  readJsonlStrict,
  type DatasetFormat,
  type Split,
} from "../datasets/index.js";
import { personas } from "../library/index.js";
import type { ChatMessage } from "../domain/index.js";
import type { ModelTokenizer } from "../tokenizer/index.js";
import { ValidationError } from "../util/errors.js";
import type { TokenizedExample } from "./batch.js";

/** Formats the trainer reads. */
export const TRAIN_DATA_FORMATS = ["chat", "medsim", "qa"] as const satisfies readonly DatasetFormat[];
/** One of {@link TRAIN_DATA_FORMATS}. */
export type TrainDataFormat = (typeof TRAIN_DATA_FORMATS)[number];

/** One conversation, with the split its generator assigned (if any). */
export interface Conversation {
  readonly messages: readonly ChatMessage[];
  readonly split?: Split;
}

/**
 * Reads a data file. Any invalid line is an error naming the line (training on a silently
 * shortened data set would be worse than stopping).
 */
export async function readConversations(path: string, format: TrainDataFormat = "chat"): Promise<Conversation[]> {
  if (format === "chat") {
    const records = await readJsonlStrict(path, ChatRecordSchema);
    return records.map((r) => ({
      messages: r.messages,
      ...(r.meta?.split === undefined ? {} : { split: r.meta.split }),
    }));
  }
  if (format === "qa") {
    const records = await readJsonlStrict(path, QaRecordSchema);
    return records.map((r) => ({
      messages: [
        { role: "user", content: r.input_text },
        { role: "assistant", content: r.output_text },
      ],
      ...(r.meta?.split === undefined ? {} : { split: r.meta.split }),
    }));
  }
  const records = await readJsonlStrict(path, MedsimRecordSchema);
  const fallback = (await personas.list())[0];
  const out: Conversation[] = [];
  for (const r of records) {
    const id = r.meta?.personaId;
    const persona = id === undefined ? fallback : await personas.get(id);
    if (persona === undefined)
      throw new ValidationError(path, [
        { field: "meta.personaId", message: "no persona given and none in the library" },
      ]);
    const chat = medsimToChat(r, persona);
    // A medsim dialogue may end on the doctor's turn; the trainer needs the patient's reply last.
    const messages = chat.messages.at(-1)?.role === "assistant" ? chat.messages : chat.messages.slice(0, -1);
    out.push({ messages, ...(r.meta?.split === undefined ? {} : { split: r.meta.split }) });
  }
  return out;
}

/** Tokenises conversations with the model's tokenizer and chat template. */
export function tokenizeConversations(
  tokenizer: ModelTokenizer,
  conversations: readonly Conversation[],
): TokenizedExample[] {
  return conversations.map((c) => tokenizer.trainingExample(c.messages));
}
