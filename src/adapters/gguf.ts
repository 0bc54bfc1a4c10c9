/**
 * llama.cpp's LoRA adapter GGUF (what `convert_lora_to_gguf.py` writes and
 * `llama_adapter_lora_init` reads): metadata `general.type = "adapter"`, `adapter.type = "lora"`,
 * `adapter.lora.alpha` (float32), `general.architecture` equal to the base's; for every adapted
 * base tensor `<name>`, tensors `<name>.lora_a` with GGML shape [in, rank] and `<name>.lora_b`
 * with GGML shape [rank, out]. GGML shapes list the row length first, so these are exactly the
 * row-major [rank, in] A and [out, rank] B of {@link LoraTensorPair}; no transposition.
 * llama.cpp takes the rank from `lora_b`'s first dimension and scales B·A by alpha / rank.
 */
import { GgmlType, GgufFile, type GgufValue, ggmlTypeName, gv, quantize, writeGguf } from "../gguf/index.js";
import { AdapterError } from "./errors.js";
import type { LoraAdapter, LoraTensorPair } from "./types.js";
import { validateAdapter } from "./validate.js";

/** Tensor formats an adapter GGUF can be written in (llama.cpp's converter offers the same two for small ranks). */
export const ADAPTER_GGUF_TYPES = ["f32", "f16"] as const;
/** One of {@link ADAPTER_GGUF_TYPES}. */
export type AdapterGgufType = (typeof ADAPTER_GGUF_TYPES)[number];

/** Options for {@link writeAdapterGguf}. */
export interface WriteAdapterGgufOptions {
  /** Format of the A and B tensors. Default `"f32"` (exact; F16 halves the size). */
  readonly type?: AdapterGgufType;
  /** `general.name`. Default: `adapter.baseModelName` plus " LoRA", or "medsim LoRA". */
  readonly name?: string;
  /** Extra metadata entries (e.g. `training.*`), written after the required ones. */
  readonly metadata?: ReadonlyMap<string, GgufValue>;
}

const SUFFIX_A = ".lora_a";
const SUFFIX_B = ".lora_b";

/**
 * Writes `adapter` as a llama.cpp LoRA adapter GGUF at `path` (atomically: a temporary file
 * renamed over the target). Returns the file size in bytes.
 * @throws AdapterError if the adapter is inconsistent (see `validateAdapter`).
 */
export async function writeAdapterGguf(
  adapter: LoraAdapter,
  path: string,
  options: WriteAdapterGgufOptions = {},
): Promise<number> {
  validateAdapter(adapter);
  const type = options.type ?? "f32";
  const ggmlType = type === "f16" ? GgmlType.F16 : GgmlType.F32;
  const metadata = new Map<string, GgufValue>([
    ["general.architecture", gv.str(adapter.architecture)],
    ["general.type", gv.str("adapter")],
    ["general.name", gv.str(options.name ?? `${adapter.baseModelName ?? "medsim"} LoRA`)],
    // llama.cpp's LlamaFileType: 0 = all F32, 1 = mostly F16.
    ["general.file_type", gv.u32(type === "f16" ? 1 : 0)],
    ["general.quantization_version", gv.u32(2)],
    ["adapter.type", gv.str("lora")],
    ["adapter.lora.alpha", gv.f32(adapter.alpha)],
  ]);
  for (const [key, value] of options.metadata ?? []) if (!metadata.has(key)) metadata.set(key, value);
  const tensors = adapter.tensors.flatMap((pair) => [
    {
      name: pair.target + SUFFIX_A,
      shape: [pair.inFeatures, adapter.rank],
      type: ggmlType,
      data: () => quantize(ggmlType, pair.a),
    },
    {
      name: pair.target + SUFFIX_B,
      shape: [adapter.rank, pair.outFeatures],
      type: ggmlType,
      data: () => quantize(ggmlType, pair.b),
    },
  ]);
  return writeGguf(path, { metadata, tensors });
}

/** The adapter's `general.*` / `adapter.*` metadata as read back, beside the adapter itself. */
export interface ReadAdapterResult {
  readonly adapter: LoraAdapter;
  readonly metadata: ReadonlyMap<string, GgufValue>;
}

/**
 * Reads a llama.cpp LoRA adapter GGUF (written by this project or by `convert_lora_to_gguf.py`)
 * into a {@link LoraAdapter}; F32, F16, BF16 and Q8_0 tensors are dequantised.
 * @throws AdapterError naming the file and the tensor or key at fault.
 */
export function readAdapterGguf(path: string): LoraAdapter {
  return readAdapterGgufWithMetadata(path).adapter;
}

/** As {@link readAdapterGguf}, also returning the file's metadata. */
export function readAdapterGgufWithMetadata(path: string): ReadAdapterResult {
  // GgufFile's own errors (a GgufError, code gguf_error) already name the file.
  const file = GgufFile.open(path);
  try {
    return { adapter: adapterFromFile(file, path), metadata: file.metadata };
  } finally {
    file.close();
  }
}

function adapterFromFile(file: GgufFile, path: string): LoraAdapter {
  const expect = (key: string, wanted: string): void => {
    const found = file.getString(key);
    if (found !== wanted)
      throw new AdapterError(
        `${path}: metadata "${key}": expected "${wanted}", found ${found === undefined ? "none" : `"${found}"`}`,
      );
  };
  expect("general.type", "adapter");
  expect("adapter.type", "lora");
  const architecture = file.getString("general.architecture");
  if (architecture === undefined) throw new AdapterError(`${path}: metadata "general.architecture" is missing`);
  const alpha = file.getNumber("adapter.lora.alpha") ?? 0;
  const pairs = new Map<string, { a?: string; b?: string }>();
  for (const info of file.tensors) {
    const isA = info.name.endsWith(SUFFIX_A);
    if (!isA && !info.name.endsWith(SUFFIX_B)) {
      // llama.cpp skips norm vectors (mergekit adds them); anything else it refuses.
      if (info.name.endsWith("_norm.weight")) continue;
      throw new AdapterError(`${path}: tensor "${info.name}": expected a name ending in ${SUFFIX_A} or ${SUFFIX_B}`);
    }
    const target = info.name.slice(0, -SUFFIX_A.length);
    const entry = pairs.get(target) ?? {};
    if (isA) entry.a = info.name;
    else entry.b = info.name;
    pairs.set(target, entry);
  }
  let rank: number | undefined;
  const tensors: LoraTensorPair[] = [];
  for (const [target, { a, b }] of pairs) {
    if (a === undefined || b === undefined)
      throw new AdapterError(
        `${path}: tensor pair "${target}" is missing its ${a === undefined ? SUFFIX_A : SUFFIX_B}`,
      );
    const infoA = file.tensor(a);
    const infoB = file.tensor(b);
    if (infoA === undefined || infoB === undefined || infoA.shape.length !== 2 || infoB.shape.length !== 2) {
      throw new AdapterError(`${path}: tensor pair "${target}": expected 2-D ${SUFFIX_A} and ${SUFFIX_B}`);
    }
    const [inFeatures = 0, rankA = 0] = infoA.shape;
    const [rankB = 0, outFeatures = 0] = infoB.shape;
    if (rankA !== rankB) {
      throw new AdapterError(
        `${path}: tensor pair "${target}": ${SUFFIX_A} is [${infoA.shape.join(", ")}] (${ggmlTypeName(infoA.type)}) and ${SUFFIX_B} [${infoB.shape.join(", ")}]; expected [in, rank] and [rank, out]`,
      );
    }
    if (rank !== undefined && rank !== rankA)
      throw new AdapterError(
        `${path}: tensor pair "${target}" has rank ${rankA}, others ${rank}; mixed ranks are not supported`,
      );
    rank = rankA;
    tensors.push({ target, inFeatures, outFeatures, a: file.readTensor(a), b: file.readTensor(b) });
  }
  if (rank === undefined) throw new AdapterError(`${path}: no LoRA tensors found`);
  // llama.cpp applies scale 1 when alpha is 0 or absent; alpha = rank expresses the same scale.
  const adapter: LoraAdapter = { architecture, rank, alpha: alpha === 0 ? rank : alpha, tensors, ...baseName(file) };
  validateAdapter(adapter, path);
  return adapter;
}

function baseName(file: GgufFile): { baseModelName?: string } {
  const name = file.getString("general.name");
  if (name === undefined) return {};
  return { baseModelName: name.endsWith(" LoRA") ? name.slice(0, -" LoRA".length) : name };
}

/**
 * Checks that `adapter` fits the base model `base`: same architecture, and every target exists
 * there with GGML shape [in, out]. This is what llama.cpp checks when it loads the adapter.
 * @throws AdapterError naming the first mismatch.
 */
export function checkAdapterFitsBase(adapter: LoraAdapter, base: GgufFile, basePath = "base model"): void {
  const arch = base.getString("general.architecture");
  if (arch !== adapter.architecture)
    throw new AdapterError(
      `adapter architecture "${adapter.architecture}" does not match ${basePath} ("${arch ?? "none"}")`,
    );
  for (const pair of adapter.tensors) {
    const info = base.tensor(pair.target);
    if (info === undefined) throw new AdapterError(`adapter tensor "${pair.target}" does not exist in ${basePath}`);
    if (info.shape.length !== 2 || info.shape[0] !== pair.inFeatures || info.shape[1] !== pair.outFeatures) {
      throw new AdapterError(
        `adapter tensor "${pair.target}": expected base shape [${pair.inFeatures}, ${pair.outFeatures}] (in, out), ${basePath} has [${info.shape.join(", ")}]`,
      );
    }
  }
}
