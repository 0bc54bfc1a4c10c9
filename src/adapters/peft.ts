/**
 * Hugging Face PEFT LoRA adapters: `adapter_model.safetensors` + `adapter_config.json`, as
 * `PeftModel.save_pretrained` writes them and `PeftModel.from_pretrained` reads them. Tensor
 * names are `base_model.model.model.layers.N.{self_attn|mlp}.<proj>.lora_{A|B}.weight`, A of
 * shape [r, in], B of shape [out, r] (PyTorch's [out, in] `nn.Linear` convention, the same
 * row-major layout as {@link LoraTensorPair}). For llama-architecture bases, B's q/k rows are moved
 * between GGUF and HF order (see `permute.ts`).
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { writeFileAtomic } from "../util/files.js";
import { AdapterError } from "./errors.js";
import { ggufToHfRows, hfToGgufRows, permutationHeads, type HeadCounts } from "./permute.js";
import { decodeSafetensors, encodeSafetensors, type SafeTensor } from "./safetensors.js";
import { LORA_TARGET_SUFFIXES, type LoraAdapter, type LoraTargetModule, type LoraTensorPair } from "./types.js";
import { validateAdapter } from "./validate.js";

/** GGUF block-tensor suffix → HF module path within a decoder layer. */
const HF_MODULES: Readonly<Record<string, string>> = {
  attn_q: "self_attn.q_proj",
  attn_k: "self_attn.k_proj",
  attn_v: "self_attn.v_proj",
  attn_output: "self_attn.o_proj",
  ffn_gate: "mlp.gate_proj",
  ffn_up: "mlp.up_proj",
  ffn_down: "mlp.down_proj",
};
const GGUF_SUFFIX_OF_HF = new Map(Object.entries(HF_MODULES).map(([gguf, hf]) => [hf, gguf]));

/** Architectures whose GGUF tensor names map onto HF `LlamaForCausalLM`/`Qwen2ForCausalLM` names. */
const PEFT_ARCHITECTURES: readonly string[] = ["llama", "qwen2"];

/** The PEFT adapter folder's weights file name. */
export const PEFT_WEIGHTS_FILE = "adapter_model.safetensors";
/** The PEFT adapter folder's config file name. */
export const PEFT_CONFIG_FILE = "adapter_config.json";

/** The HF module name (`q_proj`, …) of a target module key (`q`, …) or HF name. */
export function hfModuleName(module: string): string {
  const suffix = (LORA_TARGET_SUFFIXES as Record<string, string>)[module];
  const path =
    suffix === undefined ? [...GGUF_SUFFIX_OF_HF.keys()].find((p) => p.endsWith(`.${module}`)) : HF_MODULES[suffix];
  if (path === undefined)
    throw new AdapterError(
      `target module "${module}": expected one of ${Object.keys(LORA_TARGET_SUFFIXES).join(", ")} or an HF projection name (q_proj, …, down_proj)`,
    );
  return path.slice(path.indexOf(".") + 1);
}

/** GGUF target `blk.N.attn_q.weight` → PEFT key prefix `base_model.model.model.layers.N.self_attn.q_proj`. */
export function peftModulePath(target: string): string {
  const match = /^blk\.(\d+)\.(\w+)\.weight$/.exec(target);
  const module = match === null ? undefined : HF_MODULES[match[2] ?? ""];
  if (match === null || module === undefined)
    throw new AdapterError(
      `tensor "${target}": PEFT export supports the block projections ${Object.keys(HF_MODULES).join(", ")} only`,
    );
  return `base_model.model.model.layers.${match[1]}.${module}`;
}

/** Options for {@link writePeftAdapter}. */
export interface WritePeftOptions {
  /** `base_model_name_or_path` (an HF model id or local path). Default: `adapter.baseModelName` or null. */
  readonly baseModelNameOrPath?: string;
  /** `target_modules`, as keys (`q`, `k`, …) or HF names (`q_proj`, …). Default: the modules the tensors adapt. */
  readonly targetModules?: readonly (LoraTargetModule | string)[];
  /** Head counts of the base; required for a llama-architecture adapter on q or k (its B rows are un-permuted). */
  readonly heads?: HeadCounts;
  /** `lora_dropout` recorded in the config (training-time only). Default 0. */
  readonly loraDropout?: number;
  /**
   * Write `use_rslora: true` with `lora_alpha = alpha / sqrt(r)` (same scale). Default false:
   * `lora_alpha = alpha`, `use_rslora: false`, the form every PEFT version reads.
   */
  readonly useRslora?: boolean;
  /** Tensor dtype. Default `"F32"`. */
  readonly dtype?: "F32" | "F16";
}

/**
 * Writes `adapter` as a PEFT LoRA adapter directory (`adapter_model.safetensors` and
 * `adapter_config.json`, each written atomically; the directory is created).
 * @returns the two paths written.
 * @throws AdapterError for targets PEFT cannot name, missing head counts, or modules absent from `targetModules`.
 */
export async function writePeftAdapter(
  adapter: LoraAdapter,
  dir: string,
  options: WritePeftOptions = {},
): Promise<{ weights: string; config: string }> {
  validateAdapter(adapter);
  if (!PEFT_ARCHITECTURES.includes(adapter.architecture))
    throw new AdapterError(
      `PEFT export: architecture "${adapter.architecture}" is not supported (${PEFT_ARCHITECTURES.join(", ")})`,
    );
  const dtype = options.dtype ?? "F32";
  const tensors = new Map<string, SafeTensor>();
  const used = new Set<string>();
  for (const pair of adapter.tensors) {
    const path = peftModulePath(pair.target);
    used.add(path.slice(path.lastIndexOf(".") + 1));
    tensors.set(`${path}.lora_A.weight`, { dtype, shape: [adapter.rank, pair.inFeatures], data: pair.a });
    tensors.set(`${path}.lora_B.weight`, {
      dtype,
      shape: [pair.outFeatures, adapter.rank],
      data: toHfB(adapter, pair, options.heads),
    });
  }
  const targetModules =
    options.targetModules === undefined ? [...used].sort() : [...new Set(options.targetModules.map(hfModuleName))];
  const missing = [...used].filter((m) => !targetModules.includes(m));
  if (missing.length > 0)
    throw new AdapterError(
      `PEFT export: the adapter has ${missing.join(", ")} tensors but targetModules is [${targetModules.join(", ")}]`,
    );
  const rslora = options.useRslora ?? false;
  const config = {
    alpha_pattern: {},
    auto_mapping: null,
    base_model_name_or_path: options.baseModelNameOrPath ?? adapter.baseModelName ?? null,
    bias: "none",
    fan_in_fan_out: false,
    inference_mode: true,
    init_lora_weights: true,
    layers_pattern: null,
    layers_to_transform: null,
    lora_alpha: rslora ? adapter.alpha / Math.sqrt(adapter.rank) : adapter.alpha,
    lora_dropout: options.loraDropout ?? 0,
    modules_to_save: null,
    peft_type: "LORA",
    r: adapter.rank,
    rank_pattern: {},
    revision: null,
    target_modules: targetModules,
    task_type: "CAUSAL_LM",
    use_rslora: rslora,
  };
  const weights = join(dir, PEFT_WEIGHTS_FILE);
  const configPath = join(dir, PEFT_CONFIG_FILE);
  await writeFileAtomic(weights, encodeSafetensors(tensors, { format: "pt" }));
  await writeFileAtomic(configPath, `${JSON.stringify(config, null, 2)}\n`);
  return { weights, config: configPath };
}

function toHfB(adapter: LoraAdapter, pair: LoraTensorPair, heads: HeadCounts | undefined): Float32Array {
  const needsHeads = adapter.architecture === "llama" && /\.attn_[qk]\.weight$/.test(pair.target);
  if (!needsHeads) return pair.b;
  if (heads === undefined)
    throw new AdapterError(
      `PEFT export: tensor "${pair.target}" of a llama adapter needs the base's head counts (options.heads) to un-permute its rows`,
    );
  const count = permutationHeads(adapter.architecture, pair.target, heads) ?? 1;
  return ggufToHfRows(pair.b, pair.outFeatures, count);
}

const peftConfigSchema = z
  .object({
    peft_type: z.literal("LORA"),
    r: z.number().int().positive(),
    lora_alpha: z.number().positive(),
    target_modules: z.union([z.array(z.string()), z.string()]).optional(),
    fan_in_fan_out: z.boolean().optional(),
    bias: z.string().optional(),
    use_rslora: z.boolean().optional(),
    use_dora: z.boolean().optional(),
    rank_pattern: z.record(z.string(), z.unknown()).nullish(),
    alpha_pattern: z.record(z.string(), z.unknown()).nullish(),
    base_model_name_or_path: z.string().nullish(),
    modules_to_save: z.array(z.string()).nullish(),
  })
  .passthrough();

/** Options for {@link readPeftAdapter}. */
export interface ReadPeftOptions extends HeadCounts {
  /** Architecture of the GGUF base the adapter will be applied to (`llama` or `qwen2`). */
  readonly architecture: string;
}

/**
 * Reads a PEFT LoRA adapter directory (e.g. trained with PEFT, TRL or Unsloth on a GPU) into a
 * {@link LoraAdapter} on GGUF tensor names, re-permuting llama q/k B rows into GGUF order.
 * rsLoRA adapters are converted to the plain scale (alpha' = alpha·sqrt(r)).
 * @throws AdapterError naming the file and the field or tensor that cannot be converted.
 */
export async function readPeftAdapter(dir: string, options: ReadPeftOptions): Promise<LoraAdapter> {
  if (!PEFT_ARCHITECTURES.includes(options.architecture))
    throw new AdapterError(
      `PEFT import: architecture "${options.architecture}" is not supported (${PEFT_ARCHITECTURES.join(", ")})`,
    );
  const configPath = join(dir, PEFT_CONFIG_FILE);
  const weightsPath = join(dir, PEFT_WEIGHTS_FILE);
  const readBytes = async (path: string): Promise<Buffer> => {
    try {
      return await readFile(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new AdapterError(
        `${path}: ${code === "ENOENT" ? "file not found" : `cannot read (${code ?? String(error)})`}`,
        { cause: error },
      );
    }
  };
  let json: unknown;
  try {
    json = JSON.parse((await readBytes(configPath)).toString("utf8"));
  } catch (error) {
    if (error instanceof AdapterError) throw error;
    throw new AdapterError(`${configPath}: not valid JSON (${(error as Error).message})`, { cause: error });
  }
  const parsed = peftConfigSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AdapterError(`${configPath}: ${issue?.path.join(".") || "(root)"}: ${issue?.message ?? "invalid"}`);
  }
  const config = parsed.data;
  const refuse = (field: string, why: string): never => {
    throw new AdapterError(`${configPath}: ${field}: ${why}`);
  };
  if (config.fan_in_fan_out === true) refuse("fan_in_fan_out", "true (Conv1D weights) is not supported");
  if (config.bias !== undefined && config.bias !== "none")
    refuse("bias", `"${config.bias}" is not supported (llama.cpp adapters have no bias)`);
  if (config.use_dora === true) refuse("use_dora", "DoRA adapters are not supported");
  if (Object.keys(config.rank_pattern ?? {}).length > 0) refuse("rank_pattern", "per-module ranks are not supported");
  if (Object.keys(config.alpha_pattern ?? {}).length > 0)
    refuse("alpha_pattern", "per-module alphas are not supported");
  if ((config.modules_to_save ?? []).length > 0)
    refuse("modules_to_save", "fully trained modules cannot be expressed as a LoRA adapter");
  const { tensors } = decodeSafetensors(await readBytes(weightsPath), weightsPath);
  const halves = new Map<
    string,
    { a?: Float32Array; aShape?: readonly number[]; b?: Float32Array; bShape?: readonly number[] }
  >();
  for (const [name, tensor] of tensors) {
    const match =
      /^base_model\.model\.model\.layers\.(\d+)\.((?:self_attn|mlp)\.\w+)\.lora_([AB])(?:\.[\w-]+)?\.weight$/.exec(
        name,
      );
    const suffix = match === null ? undefined : GGUF_SUFFIX_OF_HF.get(match[2] ?? "");
    if (match === null || suffix === undefined)
      throw new AdapterError(
        `${weightsPath}: tensor "${name}": expected base_model.model.model.layers.N.<self_attn|mlp>.<proj>.lora_<A|B>.weight`,
      );
    const target = `blk.${match[1]}.${suffix}.weight`;
    const entry = halves.get(target) ?? {};
    if (match[3] === "A") Object.assign(entry, { a: tensor.data, aShape: tensor.shape });
    else Object.assign(entry, { b: tensor.data, bShape: tensor.shape });
    halves.set(target, entry);
  }
  const rank = config.r;
  const pairs: LoraTensorPair[] = [];
  // Block by block, projections in the order llama.cpp's converter lists them (q, k, v, o, gate, up, down).
  const order = Object.keys(HF_MODULES);
  const rankOf = (target: string): number => {
    const [, block = "0", suffix = ""] = /^blk\.(\d+)\.(\w+)\.weight$/.exec(target) ?? [];
    return Number(block) * order.length + order.indexOf(suffix);
  };
  for (const [target, { a, aShape, b, bShape }] of [...halves].sort(([x], [y]) => rankOf(x) - rankOf(y))) {
    if (a === undefined || b === undefined || aShape === undefined || bShape === undefined)
      throw new AdapterError(
        `${weightsPath}: ${peftModulePath(target)} is missing lora_${a === undefined ? "A" : "B"}`,
      );
    if (aShape.length !== 2 || bShape.length !== 2 || aShape[0] !== rank || bShape[1] !== rank) {
      throw new AdapterError(
        `${weightsPath}: ${peftModulePath(target)}: lora_A [${aShape.join(", ")}] and lora_B [${bShape.join(", ")}] do not match r = ${rank} ([r, in] and [out, r])`,
      );
    }
    const inFeatures = aShape[1] ?? 0;
    const outFeatures = bShape[0] ?? 0;
    const heads = permutationHeads(options.architecture, target, options);
    pairs.push({
      target,
      inFeatures,
      outFeatures,
      a,
      b: heads === undefined ? b : hfToGgufRows(b, outFeatures, heads),
    });
  }
  if (pairs.length === 0) throw new AdapterError(`${weightsPath}: no LoRA tensors found`);
  const alpha = config.use_rslora === true ? config.lora_alpha * Math.sqrt(rank) : config.lora_alpha;
  const adapter: LoraAdapter = {
    architecture: options.architecture,
    rank,
    alpha,
    tensors: pairs,
    ...(config.base_model_name_or_path ? { baseModelName: config.base_model_name_or_path } : {}),
  };
  validateAdapter(adapter, dir);
  return adapter;
}
