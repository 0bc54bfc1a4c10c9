import { join } from "node:path";
import type { Persona } from "../domain/index.js";
import { writeFileAtomic } from "../util/files.js";
import { validate } from "../util/files.js";
import { toChatRecord, toMedsimRecord, toPersonaDescriptions, toPersonaPairs, type DialogueLike } from "./convert.js";
import {
  ChatRecordSchema,
  MedsimRecordSchema,
  PersonaDescriptionsFileSchema,
  PersonaPairsFileSchema,
  type DatasetFormat,
} from "./formats.js";
import { writeJsonl } from "./jsonl.js";

/**
 * Writes dialogues in a dataset format. `chat` and `medsim` write one JSONL file at `out`;
 * `persona-pairs` writes `conversations.json` and `personas.json` into the folder `out`.
 * Returns the paths written and the number of records.
 */
export async function writeDialogues(
  out: string,
  format: Exclude<DatasetFormat, "qa">,
  dialogues: readonly DialogueLike[],
  personas: readonly Persona[],
  generator = "scripted",
): Promise<{ paths: string[]; records: number }> {
  switch (format) {
    case "chat":
      return {
        paths: [out],
        records: await writeJsonl(
          out,
          dialogues.map((dialogue) => toChatRecord(dialogue, generator)),
          ChatRecordSchema,
        ),
      };
    case "medsim":
      return {
        paths: [out],
        records: await writeJsonl(
          out,
          dialogues.map((dialogue) => toMedsimRecord(dialogue, generator)),
          MedsimRecordSchema,
        ),
      };
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
