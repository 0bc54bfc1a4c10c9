/**
 * Packaging a fine-tuned model for Ollama: a directory with the merged GGUF (or the adapter GGUF
 * beside a reference to the base) and a Modelfile.
 */
import { copyFile, mkdir, rename, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { GgufFile, type GgufWriteProgress } from "../gguf/index.js";
import type { ProgressCallback } from "../util/logger.js";
import { writeFileAtomic } from "../util/files.js";
import { AdapterError } from "./errors.js";
import { checkAdapterFitsBase, readAdapterGguf } from "./gguf.js";
import { mergeAdapter, type MergeQuant } from "./merge.js";
import { buildModelfile, type ModelfileOptions } from "./modelfile.js";

/** Options for {@link exportForOllama}. */
export interface ExportOptions {
  /** The base model GGUF. */
  readonly base: string;
  /** A LoRA adapter GGUF. Default: none (a Modelfile for the base alone). */
  readonly adapter?: string;
  /** Output directory (created). */
  readonly out: string;
  /** Merge the adapter into the weights (`model.gguf`) instead of shipping it as `ADAPTER`. Default false. */
  readonly merge?: boolean;
  /** Weight format of the merged model (only with `merge`). Default: the base's formats. */
  readonly quant?: MergeQuant;
  /** The Modelfile's SYSTEM prompt. */
  readonly system?: string;
  /** Sampling parameters and stops for the Modelfile (see {@link ModelfileOptions}). */
  readonly modelfile?: Pick<ModelfileOptions, "temperature" | "topP" | "numCtx" | "stop" | "parameters">;
  /** Progress of writing the merged model (only with `merge`). */
  readonly onProgress?: ProgressCallback<GgufWriteProgress>;
}

/** What {@link exportForOllama} wrote. */
export interface ExportResult {
  readonly modelfile: string;
  /** The merged GGUF (with `merge`). */
  readonly model?: string;
  /** The adapter copied beside the Modelfile (without `merge`). */
  readonly adapter?: string;
  /** The `FROM` line's target as written. */
  readonly from: string;
  readonly merged: boolean;
}

/**
 * Writes `<out>/Modelfile` and either `<out>/model.gguf` (merged) or `<out>/adapter.gguf` (the
 * adapter, with `FROM` naming the base by absolute path). Files appear atomically.
 * @throws AdapterError if the adapter does not fit the base, or `merge`/`quant` lack an adapter.
 */
export async function exportForOllama(options: ExportOptions): Promise<ExportResult> {
  if (options.merge === true && options.adapter === undefined)
    throw new AdapterError("export: merging needs an adapter");
  if (options.quant !== undefined && options.merge !== true)
    throw new AdapterError("export: a quantisation applies only to a merged model");
  const { chatTemplate, contextLength } = describeBase(options.base);
  await mkdir(options.out, { recursive: true });
  const adapter = options.adapter === undefined ? undefined : readAdapterGguf(options.adapter);
  let result: Omit<ExportResult, "modelfile">;
  if (adapter !== undefined && options.merge === true) {
    const model = join(options.out, "model.gguf");
    await mergeAdapter(options.base, adapter, model, {
      ...(options.quant === undefined ? {} : { quant: options.quant }),
      ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    });
    result = { model, from: "./model.gguf", merged: true };
  } else if (adapter !== undefined && options.adapter !== undefined) {
    const base = GgufFile.open(options.base);
    try {
      checkAdapterFitsBase(adapter, base, options.base);
    } finally {
      base.close();
    }
    const copy = join(options.out, "adapter.gguf");
    if (resolve(copy) !== resolve(options.adapter)) {
      const temporary = `${copy}.${process.pid}.tmp`;
      await copyFile(options.adapter, temporary);
      await rename(temporary, copy).catch(async (error: unknown) => {
        await rm(temporary, { force: true });
        throw error;
      });
    }
    result = { adapter: copy, from: resolve(options.base), merged: false };
  } else {
    result = { from: resolve(options.base), merged: false };
  }
  const text = buildModelfile({
    from: result.from,
    ...(result.adapter === undefined ? {} : { adapter: "./adapter.gguf" }),
    ...(options.system === undefined ? {} : { system: options.system }),
    ...(chatTemplate === undefined ? {} : { chatTemplate }),
    numCtx: Math.min(contextLength ?? 4096, 4096),
    ...options.modelfile,
  });
  const modelfile = join(options.out, "Modelfile");
  await writeFileAtomic(modelfile, text);
  return { modelfile, ...result };
}

function describeBase(path: string): { chatTemplate?: string; contextLength?: number } {
  const file = GgufFile.open(path);
  try {
    const arch = file.getString("general.architecture");
    const chatTemplate = file.getString("tokenizer.chat_template");
    const contextLength = arch === undefined ? undefined : file.getNumber(`${arch}.context_length`);
    return {
      ...(chatTemplate === undefined ? {} : { chatTemplate }),
      ...(contextLength === undefined ? {} : { contextLength }),
    };
  } finally {
    file.close();
  }
}
