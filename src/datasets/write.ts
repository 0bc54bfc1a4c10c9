import { basename, dirname, extname, join } from "node:path";
import type { Persona } from "../domain/index.js";
import { writeFileAtomic } from "../util/files.js";
import { validate } from "../util/files.js";
import { toChatRecord, toMedsimRecord, toPersonaDescriptions, toPersonaPairs, type DialogueLike } from "./convert.js";
import {
  ChatRecordSchema,
  MedsimRecordSchema,
  PersonaDescriptionsFileSchema,
  PersonaPairsFileSchema,
  SPLITS,
  type DatasetFormat,
  type Split,
} from "./formats.js";
import { writeJsonl } from "./jsonl.js";
import type { SystemPromptOptions } from "../simulator/prompt.js";

type SystemPromptStyle = NonNullable<SystemPromptOptions["style"]>;

/**
 * Writes dialogues in a dataset format. `chat` and `medsim` write one JSONL file at `out`;
 * `persona-pairs` writes `conversations.json` and `personas.json` into the folder `out`.
 * `systemPrompt` is the style of the `chat` format's system prompt (default `full`).
 * Returns the paths written and the number of records.
 */
export async function writeDialogues(
  out: string,
  format: Exclude<DatasetFormat, "qa">,
  dialogues: readonly DialogueLike[],
  personas: readonly Persona[],
  generator = "scripted",
  systemPrompt: SystemPromptStyle = "full",
): Promise<{ paths: string[]; records: number }> {
  switch (format) {
    case "chat": {
      const records = dialogues.map((dialogue) => toChatRecord(dialogue, generator, systemPrompt));
      return { paths: [out], records: await writeJsonl(out, records, ChatRecordSchema) };
    }
    case "medsim": {
      const records = dialogues.map((dialogue) => toMedsimRecord(dialogue, generator));
      return { paths: [out], records: await writeJsonl(out, records, MedsimRecordSchema) };
    }
    case "persona-pairs": {
      const pairs = dialogues.flatMap(toPersonaPairs);
      const conversations = join(out, "conversations.json");
      const personaFile = join(out, "personas.json");
      const descriptions = toPersonaDescriptions(personas);
      validate(PersonaPairsFileSchema, pairs, conversations);
      validate(PersonaDescriptionsFileSchema, descriptions, personaFile);
      await writeFileAtomic(conversations, `${JSON.stringify(pairs, null, 2)}\n`);
      await writeFileAtomic(personaFile, `${JSON.stringify(descriptions, null, 2)}\n`);
      return { paths: [conversations, personaFile], records: pairs.length };
    }
  }
}

/** The file of one split beside `out`: `data.jsonl` → `data.train.jsonl`, `data.validation.jsonl`, `data.test.jsonl`. */
export function splitPath(out: string, split: Split): string {
  const extension = extname(out);
  return join(dirname(out), `${basename(out, extension)}.${split}${extension || ".jsonl"}`);
}

/**
 * Writes each split's dialogues to its own file beside `out` ({@link splitPath}), in a JSONL
 * format; dialogues are split by case, so no case is in two files. Returns the paths written.
 */
export async function writeDialogueSplits(
  out: string,
  format: "chat" | "medsim",
  dialogues: readonly DialogueLike[],
  personas: readonly Persona[],
  generator = "scripted",
  systemPrompt: SystemPromptStyle = "full",
): Promise<string[]> {
  const paths: string[] = [];
  for (const split of SPLITS) {
    const path = splitPath(out, split);
    const inSplit = dialogues.filter((dialogue) => dialogue.split === split);
    await writeDialogues(path, format, inSplit, personas, generator, systemPrompt);
    paths.push(path);
  }
  return paths;
}
