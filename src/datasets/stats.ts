import { extname } from "node:path";
import { dialogueStats, type DialogueStats } from "../synth/stats.js";
import { FileError } from "../util/errors.js";
import { readStructuredFile, validate } from "../util/files.js";
import {
  ChatRecordSchema,
  MedsimRecordSchema,
  PersonaPairsFileSchema,
  QaRecordSchema,
  type DatasetFormat,
} from "./formats.js";
import { parseLine, readJsonl, readLines, type LineError } from "./jsonl.js";

/** Counts of a dataset file (records, per-persona and per-split balance, turn lengths) from {@link datasetStats}. */
export interface DatasetStats {
  file: string;
  format: DatasetFormat;
  records: number;
  /** Lines that failed validation (the statistics cover the valid ones). */
  invalid: LineError[];
  /** Exact duplicates: the same patient-turn sequence (dialogues) or the same input (Q&A, pairs). */
  duplicates: number;
  dialogues?: DialogueStats;
  qa?: { perDisease: Record<string, number>; meanInputChars: number; meanOutputChars: number };
  pairs?: { perPersona: Record<string, number> };
}

/** Detects a dataset file's format from its first record (or the `.json` array of persona pairs). */
export async function detectFormat(path: string): Promise<DatasetFormat> {
  if (extname(path).toLowerCase() === ".json") return "persona-pairs";
  for await (const { line, text } of readLines(path)) {
    const value = parseLine(text, path, line) as Record<string, unknown>;
    if (value && typeof value === "object") {
      if ("messages" in value) return "chat";
      if ("script" in value) return "medsim";
      if ("input_text" in value) return "qa";
    }
    throw new FileError(
      `${path}:${line}`,
      "unknown record layout: expected messages (chat), script (medsim) or input_text (qa)",
    );
  }
  throw new FileError(path, "the file is empty");
}

/** Validates a dataset file and computes its balance and size statistics. */
export async function datasetStats(path: string, format?: DatasetFormat): Promise<DatasetStats> {
  const detected = format ?? (await detectFormat(path));
  switch (detected) {
    case "chat": {
      const { records, errors } = await readJsonl(path, ChatRecordSchema);
      const dialogues = records.map((record) => ({
        patientTurns: record.messages
          .filter((message) => message.role === "assistant")
          .map((message) => message.content),
        personaId: record.meta?.personaId,
        diseaseId: record.meta?.diseaseId,
        split: record.meta?.split,
        doctorTurns: record.messages.filter((message) => message.role === "user").length,
      }));
      return dialogueDatasetStats(path, detected, dialogues, errors);
    }
    case "medsim": {
      const { records, errors } = await readJsonl(path, MedsimRecordSchema);
      const dialogues = records.map((record) => ({
        patientTurns: record.dialogue.filter((turn) => turn.role === "patient").map((turn) => turn.content),
        personaId: record.meta?.personaId,
        diseaseId: record.meta?.diseaseId ?? record.script.id,
        split: record.meta?.split,
        doctorTurns: record.dialogue.filter((turn) => turn.role === "doctor").length,
      }));
      return dialogueDatasetStats(path, detected, dialogues, errors);
    }
    case "qa": {
      const { records, errors } = await readJsonl(path, QaRecordSchema);
      const perDisease: Record<string, number> = {};
      for (const record of records)
        perDisease[record.meta?.diseaseId ?? "(none)"] = (perDisease[record.meta?.diseaseId ?? "(none)"] ?? 0) + 1;
      const mean = (values: number[]) =>
        values.length ? Math.round(values.reduce((a, b) => a + b, 0) / values.length) : 0;
      return {
        file: path,
        format: detected,
        records: records.length,
        invalid: errors,
        duplicates: records.length - new Set(records.map((record) => record.input_text)).size,
        qa: {
          perDisease: Object.fromEntries(Object.entries(perDisease).sort()),
          meanInputChars: mean(records.map((record) => record.input_text.length)),
          meanOutputChars: mean(records.map((record) => record.output_text.length)),
        },
      };
    }
    case "persona-pairs": {
      const pairs = validate(PersonaPairsFileSchema, await readStructuredFile(path), path);
      const perPersona: Record<string, number> = {};
      for (const pair of pairs) perPersona[pair.persona] = (perPersona[pair.persona] ?? 0) + 1;
      return {
        file: path,
        format: detected,
        records: pairs.length,
        invalid: [],
        duplicates:
          pairs.length -
          new Set(pairs.map((pair) => `${pair.persona}\u0000${pair.doctor_input}\u0000${pair.patient_response}`)).size,
        pairs: { perPersona: Object.fromEntries(Object.entries(perPersona).sort()) },
      };
    }
  }
}

type DialogueSummary = Parameters<typeof dialogueStats>[0][number] & { patientTurns: string[] };

/** Statistics of a dialogue file (chat or medsim); a duplicate is a repeated patient-turn sequence. */
function dialogueDatasetStats(
  file: string,
  format: DatasetFormat,
  dialogues: DialogueSummary[],
  invalid: LineError[],
): DatasetStats {
  const keys = dialogues.map((dialogue) => dialogue.patientTurns.join("\u0000"));
  return {
    file,
    format,
    records: dialogues.length,
    invalid,
    duplicates: keys.length - new Set(keys).size,
    dialogues: dialogueStats(dialogues),
  };
}
