import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { EngineError } from "../../util/errors.js";
import type { ProgressCallback } from "../../util/logger.js";

/** A small, ungated instruct model that runs on a laptop CPU. */
export const DEFAULT_LLAMA_MODEL = "hf:Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q4_k_m.gguf";

/** Where downloaded models are kept: `MEDSIM_MODEL_CACHE`, else `~/.cache/medsim/models`. */
export function defaultModelCacheDirectory(): string {
  return process.env.MEDSIM_MODEL_CACHE ?? join(homedir(), ".cache", "medsim", "models");
}

/** Where and how a model is fetched (a subset of the engine's options). */
export interface ModelSourceOptions {
  /** Default {@link defaultModelCacheDirectory}. */
  cacheDirectory?: string;
  /** Give up on a download that makes no progress for this long. Default 60000 ms. */
  downloadStallTimeoutMs?: number;
  /** Download progress of an `hf:` model. */
  onProgress?: ProgressCallback;
}

/**
 * A local path for a model source: a GGUF path as it is, or an `hf:` URI / URL downloaded once
 * into the cache (with progress; a download without progress for a minute is abandoned). The
 * trainer and the CLI use it too, so `--base hf:...` works wherever `--model` does.
 */
export async function resolveModelSource(source: string, options: ModelSourceOptions = {}): Promise<string> {
  if (!source.startsWith("hf:") && !/^https?:\/\//.test(source)) {
    if (!existsSync(source)) throw new EngineError("llama", `model file not found: ${source}`);
    return source;
  }
  const { resolveModelFile } = await import("node-llama-cpp");
  const directory = options.cacheDirectory ?? defaultModelCacheDirectory();
  try {
    return await resolveModelFile(source, { directory, cli: false, download: false });
  } catch {
    // Not in the cache yet: download it below.
  }
  // node-llama-cpp retries failed connections for a long time; find out first whether the model
  // host can be reached at all, so an offline user gets an answer (or the fallback) at once.
  const host = source.startsWith("hf:") ? "https://huggingface.co" : new URL(source).origin;
  try {
    await fetch(host, { method: "HEAD", signal: AbortSignal.timeout(10_000) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    throw new EngineError(
      "llama",
      `cannot get model ${source}: ${host} cannot be reached (${cause}); pass --model <file.gguf> to use a local file`,
    );
  }
  // A download that stops making progress is given up on rather than left to hang.
  const stallMs = options.downloadStallTimeoutMs ?? 60_000;
  const abort = new AbortController();
  let rejectStall!: (error: Error) => void;
  const stalled = new Promise<never>((_, reject) => (rejectStall = reject));
  const onStall = () => {
    abort.abort();
    rejectStall(new EngineError("llama", `cannot get model ${source}: no download progress for ${stallMs / 1000} s`));
  };
  let watchdog = setTimeout(onStall, stallMs);
  try {
    return await Promise.race([
      resolveModelFile(source, {
        directory,
        cli: false,
        signal: abort.signal,
        onProgress: ({ downloadedSize, totalSize }) => {
          clearTimeout(watchdog);
          watchdog = setTimeout(onStall, stallMs);
          options.onProgress?.({
            label: "downloading model",
            completed: downloadedSize,
            ...(totalSize ? { total: totalSize } : {}),
          });
        },
      }),
      stalled,
    ]);
  } catch (error) {
    if (error instanceof EngineError) throw error;
    throw new EngineError("llama", `cannot get model ${source}: ${(error as Error).message.split("\n")[0]}`, {
      cause: error,
    });
  } finally {
    clearTimeout(watchdog);
  }
}
