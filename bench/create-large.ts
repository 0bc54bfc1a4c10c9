/**
 * Manual check (too slow for CI): create a real-shape model and generate from it with
 * node-llama-cpp. Run: npx tsx bench/create-large.ts [--preset qwen2.5-0.5b] [--quant q8_0] [--out /tmp/x.gguf]
 */
import { stat } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { getLlama, LlamaChatSession, LlamaLogLevel } from "node-llama-cpp";
import { createModelFile, presetArchitecture, type CreateQuant } from "../src/model/index.js";

const args = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const at = args.indexOf(name);
  return at >= 0 ? (args[at + 1] ?? fallback) : fallback;
};
const preset = option("--preset", "qwen2.5-0.5b");
const quant = option("--quant", "q8_0") as CreateQuant;
const out = option("--out", join(tmpdir(), `medsim-${preset}-${quant}.gguf`));
const arch = presetArchitecture(preset);
if (arch === undefined) throw new Error(`preset ${preset} has no fixed architecture`);

let start = performance.now();
const { parameterCount } = await createModelFile({ arch, preset, quant, out });
const size = (await stat(out)).size;
console.log(
  `created ${out}: ${(parameterCount / 1e6).toFixed(1)}M parameters, ${(size / 1e6).toFixed(0)} MB in ${((performance.now() - start) / 1000).toFixed(1)} s`,
);

const llama = await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });
start = performance.now();
const model = await llama.loadModel({ modelPath: out });
// node-llama-cpp defaults to more threads than this 2-core machine has; spinning threads then make generation ~100x slower.
const context = await model.createContext({ contextSize: 512, threads: availableParallelism() });
const session = new LlamaChatSession({ contextSequence: context.getSequence() });
console.log(
  `loaded in ${((performance.now() - start) / 1000).toFixed(1)} s; chat wrapper ${session.chatWrapper.wrapperName}`,
);
start = performance.now();
const tokens: number[] = [];
const answer = await session.prompt("Good morning, what brings you in today?", {
  maxTokens: 16,
  onToken: (t) => tokens.push(...t),
});
console.log(
  `generated ${tokens.length} tokens in ${((performance.now() - start) / 1000).toFixed(1)} s: ${JSON.stringify(answer)}`,
);
await context.dispose();
await model.dispose();
