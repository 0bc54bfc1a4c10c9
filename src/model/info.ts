/** A summary of a GGUF model file, for `medsim model info`. */
import { GgufFile, ggmlTypeName } from "../gguf/index.js";
import { readConfig, type ModelConfig } from "./definition.js";

const FILE_TYPES: Record<number, string> = {
  0: "F32",
  1: "F16",
  2: "Q4_0",
  3: "Q4_1",
  7: "Q8_0",
  8: "Q5_0",
  9: "Q5_1",
  10: "Q2_K",
  12: "Q3_K_M",
  15: "Q4_K_M",
  17: "Q5_K_M",
  18: "Q6_K",
  32: "BF16",
};

/** What `describeModel` reports. */
export interface ModelInfo {
  readonly path: string;
  readonly fileSize: number;
  readonly ggufVersion: number;
  readonly architecture: string;
  readonly name: string | null;
  /** `general.file_type` as a name (e.g. "Q8_0"), or null when absent. */
  readonly quantization: string | null;
  /** Tensor count per storage type, e.g. { F32: 9, Q8_0: 14 }. */
  readonly tensorTypes: Readonly<Record<string, number>>;
  readonly parameterCount: number;
  readonly tensorCount: number;
  /** Hyper-parameters, when the architecture is one this project runs (llama, qwen2). */
  readonly config: ModelConfig | null;
  readonly tiedEmbeddings: boolean;
  readonly vocabularySize: number | null;
  readonly tokenizer: string | null;
  readonly chatTemplate: boolean;
}

/** Reads the header of a GGUF file and summarises it (no tensor data is read). */
export function describeModel(path: string): ModelInfo {
  const file = GgufFile.open(path);
  try {
    const architecture = file.getString("general.architecture") ?? "unknown";
    const tensorTypes: Record<string, number> = {};
    for (const t of file.tensors) tensorTypes[ggmlTypeName(t.type)] = (tensorTypes[ggmlTypeName(t.type)] ?? 0) + 1;
    const fileType = file.getNumber("general.file_type");
    let config: ModelConfig | null = null;
    try {
      config = readConfig(file);
    } catch {
      config = null; // Another architecture: still describable, just not runnable here.
    }
    return {
      path,
      fileSize: file.fileSize,
      ggufVersion: file.version,
      architecture,
      name: file.getString("general.name") ?? null,
      quantization: fileType === undefined ? null : (FILE_TYPES[fileType] ?? `file type ${fileType}`),
      tensorTypes,
      parameterCount: file.tensors.reduce((sum, t) => sum + t.elementCount, 0),
      tensorCount: file.tensors.length,
      config,
      tiedEmbeddings: file.tensor("output.weight") === undefined,
      vocabularySize: file.getArray("tokenizer.ggml.tokens")?.value.length ?? null,
      tokenizer: file.getString("tokenizer.ggml.model") ?? null,
      chatTemplate: (file.getString("tokenizer.chat_template") ?? "") !== "",
    };
  } finally {
    file.close();
  }
}
