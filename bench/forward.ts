/**
 * Forward pass throughput: 512 tokens through the smollm2-135m shape (random fp32 weights; speed
 * does not depend on values), as GFLOP/s and as a share of the backend's GEMM throughput.
 * With --llamacpp, also times llama.cpp (node-llama-cpp, F32 weights) on the same shape and tokens.
 * Run: npx tsx bench/forward.ts [--preset smollm2-135m] [--tokens 512] [--threads N] [--llamacpp]
 */
import { rm } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { createOnnxBackend } from "../src/backend/index.js";
import {
  createModelFile,
  MODEL_FACTORY_VERSION,
  forwardFlops,
  forwardLastLogits,
  presetShape,
  presetArchitecture,
  randomModelWeights,
} from "../src/model/index.js";

const args = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const at = args.indexOf(name);
  return at >= 0 ? (args[at + 1] ?? fallback) : fallback;
};
const preset = option("--preset", "smollm2-135m");
const tokens = Number(option("--tokens", "512"));
const threads = Number(option("--threads", String(availableParallelism())));
const shape = presetShape(preset, presetArchitecture(preset) ?? "llama");
const backend = await createOnnxBackend({ threads });

// GEMM reference figure: the best throughput over the forward pass's weight products
// (tokens × in × out, A·Bᵀ), so the percentage below is conservative.
async function gemmThroughput(m: number, k: number, n: number): Promise<number> {
  const a = Float32Array.from({ length: m * k }, () => Math.random() - 0.5);
  const b = Float32Array.from({ length: n * k }, () => Math.random() - 0.5);
  await backend.matmul(a, b, { m, k, n, transB: true });
  let runs = 0;
  const begin = performance.now();
  while (performance.now() - begin < 1500) {
    await backend.matmul(a, b, { m, k, n, transB: true });
    runs++;
  }
  return (2 * m * k * n) / ((performance.now() - begin) / runs) / 1e6;
}
const width = shape.embeddingLength;
const ffn = shape.feedForwardLength;
const gemmShapes: [number, number, number][] = [
  [tokens, width, width],
  [tokens, width, ffn],
  [tokens, ffn, width],
];
const gemmFigures: string[] = [];
let gemm = 0;
for (const [m, k, n] of gemmShapes) {
  const figure = await gemmThroughput(m, k, n);
  gemmFigures.push(`${m}x${k}x${n}: ${figure.toFixed(1)}`);
  gemm = Math.max(gemm, figure);
}

const weights = randomModelWeights(shape, 1);
const ids = Array.from({ length: tokens }, (_, i) => (i * 7919) % shape.vocabSize);
await forwardLastLogits(weights, ids, { backend }); // warm-up: compiles the block graph
const times: number[] = [];
for (let i = 0; i < 3; i++) {
  const start = performance.now();
  await forwardLastLogits(weights, ids, { backend });
  times.push(performance.now() - start);
}
const best = Math.min(...times);
const flops = forwardFlops(shape, tokens);
const forward = flops / best / 1e6;
console.log(
  `backend onnxruntime, ${threads} threads, preset ${preset} (${shape.blockCount} blocks, width ${shape.embeddingLength}), ${tokens} tokens`,
);
console.log(`GEMM A·Bᵀ GFLOP/s: ${gemmFigures.join(", ")}; best ${gemm.toFixed(1)}`);
console.log(
  `forward: ${best.toFixed(0)} ms (best of 3), ${(flops / 1e9).toFixed(1)} GFLOP, ${forward.toFixed(1)} GFLOP/s = ${((100 * forward) / gemm).toFixed(0)}% of GEMM`,
);
await backend.dispose();

if (args.includes("--llamacpp")) {
  const { getLlama, LlamaLogLevel } = await import("node-llama-cpp");
  const file = join(tmpdir(), `medsim-bench-${preset}-f32-v${MODEL_FACTORY_VERSION}.gguf`);
  await createModelFile({ arch: shape.arch, preset, quant: "f32", out: file });
  const llama = await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });
  const model = await llama.loadModel({ modelPath: file });
  const llamaTimes: number[] = [];
  for (let i = 0; i < 3; i++) {
    const context = await model.createContext({ contextSize: tokens + 16, batchSize: tokens, threads });
    const begin = performance.now();
    await context
      .getSequence()
      .evaluateWithoutGeneratingNewTokens(
        ids as Parameters<ReturnType<typeof context.getSequence>["evaluateWithoutGeneratingNewTokens"]>[0],
      );
    llamaTimes.push(performance.now() - begin);
    await context.dispose();
  }
  const llamaBest = Math.min(...llamaTimes);
  console.log(
    `llama.cpp (F32 weights, same tokens): ${llamaBest.toFixed(0)} ms (best of 3), ${(flops / llamaBest / 1e6).toFixed(1)} GFLOP/s`,
  );
  await model.dispose();
  await rm(file, { force: true });
}
