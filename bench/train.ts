/**
 * Training throughput: `npx tsx bench/train.ts [preset] [seq] [batch] [steps] [lora-r]`, the same
 * argument order as shared/bench/torch_lora_step.py (plus the LoRA rank). Prints one JSON line.
 */
import { benchTrain } from "../src/train/index.js";

const [preset = "smollm2-135m", seq = "128", batch = "4", steps = "3", rank = "8"] = process.argv.slice(2);
const result = await benchTrain({ preset, seq: Number(seq), batch: Number(batch), steps: Number(steps), loraRank: Number(rank), onStep: (s, t) => console.error(`step ${s}: ${t.toFixed(2)} s`) });
console.log(JSON.stringify(result));
