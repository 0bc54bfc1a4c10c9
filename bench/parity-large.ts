/**
 * Manual check (too slow for CI): last-position logits of a real-shape model, medsim's forward
 * pass (onnxruntime backend) against llama.cpp through node-llama-cpp.
 * Run: npx tsx bench/parity-large.ts [--preset smollm2-135m] [--quant f32] [--tokens 128] [--backend onnxruntime|reference]
 */
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createOnnxBackend, createReferenceBackend } from "../src/backend/index.js";
import {
  createModelFile,
  forwardLastLogits,
  loadModelWeights,
  presetArchitecture,
  type CreateQuant,
} from "../src/model/index.js";
import { llamaCppLastLogits, loadLlamaCpp, relativeMaxDifference } from "../src/model/testing/llamacpp.js";

const args = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const at = args.indexOf(name);
  return at >= 0 ? (args[at + 1] ?? fallback) : fallback;
};
const preset = option("--preset", "smollm2-135m");
const quant = option("--quant", "f32") as CreateQuant;
const count = Number(option("--tokens", "128"));
const arch = presetArchitecture(preset);
if (arch === undefined) throw new Error(`preset ${preset} has no fixed architecture`);
const out = join(tmpdir(), `medsim-parity-${preset}-${quant}.gguf`);
await createModelFile({ arch, preset, quant, out });
const weights = loadModelWeights(out);
const llama = await loadLlamaCpp();
const model = await llama.loadModel({ modelPath: out });
const text = "The patient is a 54 year old man who presents with chest pain that started two hours ago. ".repeat(20);
const tokens = model.tokenize(text).slice(0, count);
const expected = await llamaCppLastLogits(model, tokens, weights.config.vocabSize);
const backend =
  option("--backend", "onnxruntime") === "reference" ? createReferenceBackend() : await createOnnxBackend();
const ours = await forwardLastLogits(weights, tokens, { backend });
console.log(
  `${preset} ${quant}, ${backend.name}, ${tokens.length} tokens: relative max difference ${relativeMaxDifference(ours, expected).toExponential(2)}`,
);
await backend.dispose();
await model.dispose();
