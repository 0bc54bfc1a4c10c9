import type { ProgressCallback } from "../util/logger.js";
import type { CohortPlan } from "./cohort.js";
import { EhrRequestError } from "./errors.js";
import { AtomicOutput, FORMAT_WRITERS } from "./formats/index.js";
import { generatePatient } from "./generate.js";
import type { OutputFormat } from "./spec.js";

/** Which part of a cohort one machine generates: shard `index` (1-based) of `count`. */
export interface Shard {
  index: number;
  count: number;
}

/** The patient indices of a shard: contiguous blocks, so shard outputs concatenate in order. */
export function shardRange(total: number, shard: Shard = { index: 1, count: 1 }): { start: number; end: number } {
  if (
    !Number.isInteger(shard.count) ||
    shard.count < 1 ||
    !Number.isInteger(shard.index) ||
    shard.index < 1 ||
    shard.index > shard.count
  )
    throw new EhrRequestError("impossible", `shard ${shard.index}/${shard.count}: expected k/n with 1 <= k <= n`);
  return {
    start: Math.floor(((shard.index - 1) * total) / shard.count),
    end: Math.floor((shard.index * total) / shard.count),
  };
}

export interface WriteCohortOptions {
  format: OutputFormat;
  /** A file (csv) or a folder (the other formats); replaced atomically when everything is written. */
  out: string;
  seed: number;
  shard?: Shard;
  onProgress?: ProgressCallback;
  /** Stops the run between patients; nothing is left at `out`. */
  signal?: AbortSignal;
}

export interface WriteCohortResult {
  format: OutputFormat;
  out: string;
  patients: number;
  firstIndex: number;
  visits: number;
}

/**
 * Generates a cohort (or one shard of it) and writes it in a format. Patients are generated and
 * written one at a time, so memory does not grow with the cohort; the output appears at `out`
 * only when complete. Only the first shard writes CSV headers, so `cat` of the shards in order
 * is byte for byte the single-machine output.
 */
export async function writeCohort(plan: CohortPlan, options: WriteCohortOptions): Promise<WriteCohortResult> {
  const writer = FORMAT_WRITERS[options.format](plan, options.seed);
  const { start, end } = shardRange(plan.spec.count, options.shard);
  const output = new AtomicOutput(options.out, writer.kind);
  await output.prepare();
  let visits = 0;
  try {
    await writer.open(output, { header: start === 0 });
    const total = end - start;
    const every = Math.max(1, Math.floor(total / 200));
    for (let index = start; index < end; index++) {
      if (options.signal?.aborted) throw options.signal.reason ?? new Error("aborted");
      const patient = generatePatient(plan, options.seed, index);
      visits += patient.visits.length;
      await writer.write(patient);
      const done = index - start + 1;
      if (done % every === 0 || done === total)
        options.onProgress?.({ label: `writing ${options.format}`, completed: done, total });
    }
    await writer.close();
    await output.commit();
  } catch (error) {
    await writer.close().catch(() => {});
    await output.abort();
    throw error;
  }
  return { format: options.format, out: options.out, patients: end - start, firstIndex: start, visits };
}
