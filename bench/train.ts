/**
 * Training throughput: `npx tsx bench/train.ts [preset] [seq] [batch] [steps] [lora-r] [quant]`, the
 * same argument order as shared/bench/torch_lora_step.py (plus the LoRA rank and the encoding of
 * the frozen projections: f32, or f16/q8_0/q4_0 kept encoded). Prints one JSON line.
 */
import { BENCH_QUANTS, type BenchQuant, benchTrain } from "../src/train/index.js";

const [preset = "smollm2-135m", seq = "128", batch = "4", steps = "3", rank = "8", quant = "f32"] =
  process.argv.slice(2);
if (!(BENCH_QUANTS as readonly string[]).includes(quant))
  throw new RangeError(`quant: expected one of ${BENCH_QUANTS.join(", ")}, found "${quant}"`);
const result = await benchTrain({
  preset,
  seq: Number(seq),
  batch: Number(batch),
  steps: Number(steps),
  loraRank: Number(rank),
  quant: quant as BenchQuant,
  onStep: (s, t) => console.error(`step ${s}: ${t.toFixed(2)} s`),
});
console.log(JSON.stringify(result));
