/** Evaluation data: conversations in the `chat` JSONL format (`{"messages": [...], "meta": {...}}`). */
import { ChatRecordSchema, type ChatRecord } from "../datasets/formats.js";
import { readJsonl } from "../datasets/jsonl.js";
import { MedsimError } from "../util/errors.js";

/**
 * Reads a `chat` JSONL file. Evaluation must see every line the user gave it, so the first bad
 * line is an error (naming the file, line and field) rather than a skipped record.
 */
export async function readChatJsonl(path: string): Promise<ChatRecord[]> {
  const { records, errors } = await readJsonl(path, ChatRecordSchema);
  const [first] = errors;
  if (first !== undefined)
    throw new MedsimError(
      "invalid_input",
      `${first.message}${errors.length > 1 ? ` (and ${errors.length - 1} more bad lines)` : ""}`,
    );
  if (records.length === 0) throw new MedsimError("invalid_input", `${path}: no conversations found`);
  return records;
}
