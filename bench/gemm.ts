/**
 * GEMM throughput of the compute backends (fp32), for plain and transposed operands.
 * Run: npx tsx bench/gemm.ts [--threads N] [--reference]
 */
import { availableParallelism } from "node:os";
import { createOnnxBackend, createReferenceBackend, type Backend, type MatmulShape } from "../src/backend/index.js";

const args = process.argv.slice(2);
const threadsArg = args.indexOf("--threads");
const threads = threadsArg >= 0 ? Number(args[threadsArg + 1]) : availableParallelism();

async function measure(
  backend: Backend,
  shape: MatmulShape,
  minSeconds: number,
): Promise<{ gflops: number; ms: number }> {
  const a = Float32Array.from({ length: shape.m * shape.k }, () => Math.random() - 0.5);
  const b = Float32Array.from({ length: shape.k * shape.n }, () => Math.random() - 0.5);
  await backend.matmul(a, b, shape);
  let runs = 0;
  const start = performance.now();
  while (performance.now() - start < minSeconds * 1000) {
    await backend.matmul(a, b, shape);
    runs++;
  }
  const ms = (performance.now() - start) / runs;
  return { gflops: (2 * shape.m * shape.k * shape.n) / ms / 1e6, ms };
}

const shapes: [string, MatmulShape][] = [
  ["512x576x1536 A·B", { m: 512, k: 576, n: 1536 }],
  ["512x576x1536 A·Bᵀ", { m: 512, k: 576, n: 1536, transB: true }],
  ["512x576x1536 Aᵀ·B", { m: 512, k: 576, n: 1536, transA: true }],
  ["512x1536x576 A·Bᵀ", { m: 512, k: 1536, n: 576, transB: true }],
  ["1x64x64 (per-call overhead)", { m: 1, k: 64, n: 64 }],
];
const backends: Backend[] = [await createOnnxBackend({ threads })];
if (args.includes("--reference")) backends.push(createReferenceBackend());
console.log(`fp32 GEMM, ${threads} threads`);
for (const backend of backends) {
  for (const [label, shape] of shapes) {
    const { gflops, ms } = await measure(backend, shape, backend.name === "reference" ? 2 : 1.5);
    console.log(
      `${backend.name.padEnd(12)} ${label.padEnd(30)} ${gflops.toFixed(1).padStart(7)} GFLOP/s  ${(ms * 1000).toFixed(0).padStart(8)} µs/call`,
    );
  }
  await backend.dispose();
}
