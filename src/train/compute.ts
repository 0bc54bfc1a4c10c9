/**
 * The compute the trainer runs on: a backend for matrix products plus an attention runner.
 * With onnxruntime, products too small to amortise a native call (tiny models, the LoRA rank-r
 * products) run in plain TypeScript instead.
 */
import { type Backend, createOnnxBackend, createReferenceBackend, type MatmulShape } from "../backend/index.js";
import { type AttentionKernels, createOnnxAttention } from "../backend/onnx-train.js";
import { GraphLanes } from "../backend/onnx-lanes.js";
import { availableParallelism } from "node:os";
import { type AttentionRunner, kernelAttention, loopAttention } from "./attention.js";

/** A backend and attention runner for training; call `dispose` when done. */
export interface TrainCompute {
  readonly backend: Backend;
  readonly attention: AttentionRunner;
  /** Native loss head, SwiGLU and LoRA linear layers, absent on the reference compute. */
  readonly kernels?: AttentionKernels;
  /** Data-parallel lanes (onnxruntime with two or more lanes), for `TrainableModelOptions.lanes`. */
  readonly lanes?: GraphLanes;
  dispose(): Promise<void>;
}

/**
 * Products with at most this many multiply-adds run in TypeScript: a native call costs ~0.3 ms,
 * about what these loops take for 2^18 multiply-adds.
 */
const SMALL_PRODUCT = 1 << 18;

/**
 * C = op(A)·op(B) with a loop order per transposition that keeps the inner loop contiguous
 * (the reference backend's one generic loop is ~10x slower for transposed operands).
 */
export function smallMatmul(a: Float32Array, b: Float32Array, shape: MatmulShape): Float32Array {
  const { m, k, n, transA = false, transB = false } = shape;
  const c = new Float32Array(m * n);
  if (!transA && transB) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += (a[i * k + p] as number) * (b[j * k + p] as number);
        c[i * n + j] = s;
      }
    }
  } else if (!transA) {
    for (let i = 0; i < m; i++) {
      for (let p = 0; p < k; p++) {
        const av = a[i * k + p] as number;
        for (let j = 0; j < n; j++) c[i * n + j] = (c[i * n + j] as number) + av * (b[p * n + j] as number);
      }
    }
  } else if (!transB) {
    for (let p = 0; p < k; p++) {
      for (let i = 0; i < m; i++) {
        const av = a[p * m + i] as number;
        for (let j = 0; j < n; j++) c[i * n + j] = (c[i * n + j] as number) + av * (b[p * n + j] as number);
      }
    }
  } else {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += (a[p * m + i] as number) * (b[j * k + p] as number);
        c[i * n + j] = s;
      }
    }
  }
  return c;
}

/**
 * Creates the compute for `kind` (default onnxruntime). `threads`: onnxruntime threads of the
 * kernels (default all CPUs). `lanes`: data-parallel lanes, worker threads with one onnxruntime
 * thread each (`src/backend/onnx-lanes.ts`); default the same number as `threads`, and 1 (or
 * fewer) starts none.
 */
export async function createTrainCompute(
  kind: "onnxruntime" | "reference" = "onnxruntime",
  threads?: number,
  lanes?: number,
): Promise<TrainCompute> {
  if (kind === "reference")
    return { backend: createReferenceBackend(), attention: loopAttention, dispose: async () => undefined };
  // No spin-waiting: between products the TypeScript loops and the other session need the cores
  // (measured on smollm2-135m, batch 4 x 128: 5.0 s per step without spinning, 8.1 s with).
  const options = { spinning: false, ...(threads === undefined ? {} : { threads }) };
  const onnx = await createOnnxBackend(options);
  const kernels = await createOnnxAttention(options);
  const laneCount = lanes ?? threads ?? availableParallelism();
  const graphLanes = laneCount >= 2 ? GraphLanes.create({ count: laneCount }) : undefined;
  const backend: Backend = {
    name: onnx.name,
    matmul: (a, b, shape) =>
      shape.m * shape.k * shape.n <= SMALL_PRODUCT
        ? Promise.resolve(smallMatmul(a, b, shape))
        : onnx.matmul(a, b, shape),
    block: (x, tokens, weights, params) => onnx.block(x, tokens, weights, params),
    dispose: () => onnx.dispose(),
  };
  return {
    backend,
    attention: kernelAttention(kernels),
    kernels,
    ...(graphLanes === undefined ? {} : { lanes: graphLanes }),
    async dispose() {
      await onnx.dispose();
      await kernels.dispose();
      await graphLanes?.dispose();
    },
  };
}
