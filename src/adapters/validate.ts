/** Consistency checks of an in-memory {@link LoraAdapter}, shared by every writer. */
import { AdapterError } from "./errors.js";
import type { LoraAdapter, LoraTensorPair } from "./types.js";

/**
 * The factor applied to B·A: `alpha / rank` (llama.cpp, PEFT), or with `rslora` (training
 * settings; stored adapters express it through alpha) `alpha / √rank`. The one definition.
 */
export function loraScale(settings: Pick<LoraAdapter, "alpha" | "rank"> & { readonly rslora?: boolean }): number {
  return settings.rslora === true ? settings.alpha / Math.sqrt(settings.rank) : settings.alpha / settings.rank;
}

/**
 * Throws an {@link AdapterError} naming the first inconsistency: a rank or alpha that is not a
 * positive finite number, a duplicate target, or an A/B whose length does not match its shape.
 * (alpha 0 is refused because llama.cpp reads `adapter.lora.alpha = 0` as "scale 1", not 0.)
 */
export function validateAdapter(adapter: LoraAdapter, source = "adapter"): void {
  const { rank, alpha } = adapter;
  if (!Number.isInteger(rank) || rank <= 0)
    throw new AdapterError(`${source}: rank: expected a positive integer, found ${rank}`);
  if (!Number.isFinite(alpha) || alpha <= 0)
    throw new AdapterError(`${source}: alpha: expected a positive number, found ${alpha}`);
  if (adapter.architecture.length === 0) throw new AdapterError(`${source}: architecture is empty`);
  const seen = new Set<string>();
  for (const pair of adapter.tensors) {
    if (seen.has(pair.target)) throw new AdapterError(`${source}: tensor "${pair.target}" is adapted twice`);
    seen.add(pair.target);
    validatePair(pair, rank, source);
  }
}

function validatePair(pair: LoraTensorPair, rank: number, source: string): void {
  const where = `${source}: tensor "${pair.target}"`;
  if (!pair.target.endsWith(".weight"))
    throw new AdapterError(`${where}: target must name a base weight ending in ".weight"`);
  for (const [name, value] of [
    ["inFeatures", pair.inFeatures],
    ["outFeatures", pair.outFeatures],
  ] as const) {
    if (!Number.isInteger(value) || value <= 0)
      throw new AdapterError(`${where}: ${name}: expected a positive integer, found ${value}`);
  }
  if (pair.a.length !== rank * pair.inFeatures)
    throw new AdapterError(`${where}: A has ${pair.a.length} values, expected rank ${rank} x in ${pair.inFeatures}`);
  if (pair.b.length !== pair.outFeatures * rank)
    throw new AdapterError(`${where}: B has ${pair.b.length} values, expected out ${pair.outFeatures} x rank ${rank}`);
}

/**
 * ΔW = scale·B·A as an [out, in] row-major matrix (float64 accumulation, float32 result): what a
 * merge adds to the base weight.
 */
export function loraDelta(pair: LoraTensorPair, rank: number, scale: number): Float32Array {
  const { inFeatures: n, outFeatures: m, a, b } = pair;
  const delta = new Float32Array(m * n);
  const row = new Float64Array(n);
  for (let o = 0; o < m; o++) {
    row.fill(0);
    for (let r = 0; r < rank; r++) {
      const coefficient = (b[o * rank + r] ?? 0) * scale;
      if (coefficient === 0) continue;
      const offset = r * n;
      for (let i = 0; i < n; i++) row[i] = (row[i] ?? 0) + coefficient * (a[offset + i] ?? 0);
    }
    delta.set(row, o * n);
  }
  return delta;
}
