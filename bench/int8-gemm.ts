/**
 * fp32 Gemm against the int8 product of the frozen-weight path (`src/backend/onnx-int8.ts`) for
 * the smollm2-135m training shapes (516 rows: batch 4 x 129 tokens), best of several alternated
 * runs, with the int8 result's relative RMS error against fp32.
 * Run: npx tsx bench/int8-gemm.ts [--threads N] [--rounds N]
 */
import { availableParallelism } from "node:os";
import { GraphBuilder } from "../src/backend/onnx-graphs.js";
import { int8Product, packForward } from "../src/backend/onnx-int8.js";
import { encodeOnnxModel, OnnxType } from "../src/backend/onnx-proto.js";
import { createSessionCache, loadOrt } from "../src/backend/onnx-session.js";

const args = process.argv.slice(2);
const flag = (name: string, fallback: number): number => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const threads = flag("--threads", availableParallelism());
const rounds = flag("--rounds", 5);
const ort = await loadOrt();
const cache = createSessionCache(ort, { threads, spinning: false });

function graph(int8: boolean, k: number, n: number): Uint8Array {
  const g = new GraphBuilder();
  g.rename(int8 ? int8Product(g, "x", "w8", "s8") : g.node("Gemm", ["x", "w"], { transB: 1 }), "y");
  return encodeOnnxModel({
    name: "product",
    nodes: g.nodes,
    initializers: g.initializers,
    inputs: int8
      ? [
          { name: "x", dims: ["M", k] },
          { name: "w8", type: OnnxType.INT8, dims: [k, n] },
          { name: "s8", dims: [n] },
        ]
      : [
          { name: "x", dims: ["M", k] },
          { name: "w", dims: [n, k] },
        ],
    outputs: [{ name: "y", dims: ["M", n] }],
  });
}

// [rows, in, out]: q/k/v together, o, gate/up together, down, the head; dX products transposed.
const shapes: [string, number, number, number][] = [
  ["q/k/v forward", 516, 576, 960],
  ["o forward", 516, 576, 576],
  ["gate/up forward", 516, 576, 3072],
  ["down forward", 516, 1536, 576],
  ["gate/up dX", 516, 3072, 576],
  ["head logits (256 rows)", 256, 576, 49152],
];
console.log(`fp32 Gemm vs int8 product, ${threads} threads, best of ${rounds}`);
for (const [label, m, k, n] of shapes) {
  const x = Float32Array.from({ length: m * k }, () => Math.random() - 0.5);
  const w = Float32Array.from({ length: n * k }, () => Math.random() - 0.5);
  const packed = packForward([{ values: w, outFeatures: n, inFeatures: k }]);
  const fp32 = await cache.session(`f${k}:${n}`, () => graph(false, k, n));
  const int8 = await cache.session(`i${k}:${n}`, () => graph(true, k, n));
  const feeds32 = { x: new ort.Tensor("float32", x, [m, k]), w: new ort.Tensor("float32", w, [n, k]) };
  const feeds8 = {
    x: new ort.Tensor("float32", x, [m, k]),
    w8: new ort.Tensor("int8", packed.codes, [k, n]),
    s8: new ort.Tensor("float32", packed.scales, [n]),
  };
  const reference = (await fp32.run(feeds32)).y?.data as Float32Array;
  const approximate = (await int8.run(feeds8)).y?.data as Float32Array;
  let best32 = Infinity;
  let best8 = Infinity;
  for (let r = 0; r < rounds; r++) {
    let t = performance.now();
    await fp32.run(feeds32);
    best32 = Math.min(best32, performance.now() - t);
    t = performance.now();
    await int8.run(feeds8);
    best8 = Math.min(best8, performance.now() - t);
  }
  let error = 0;
  let norm = 0;
  reference.forEach((v, i) => {
    error += (v - (approximate[i] as number)) ** 2;
    norm += v * v;
  });
  const gflops = (ms: number): string => ((2 * m * k * n) / ms / 1e6).toFixed(1).padStart(6);
  console.log(
    `${label.padEnd(24)} ${m}x${k}x${n}`.padEnd(44) +
      ` fp32 ${gflops(best32)} GFLOP/s  int8 ${gflops(best8)} GFLOP/s  ${(best32 / best8).toFixed(2)}x  rel. RMS error ${Math.sqrt(error / norm).toExponential(1)}`,
  );
}
await cache.release();
