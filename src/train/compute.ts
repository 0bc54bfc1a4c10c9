/**
 * The compute the trainer runs on: a backend for matrix products plus an attention runner.
 * With onnxruntime, products too small to amortise a native call (tiny models, the LoRA rank-r
 * products) run in plain TypeScript instead.
 */
import { type Backend, createOnnxBackend, createReferenceBackend, matmulReference } from "../backend/index.js";
import { createOnnxAttention } from "../backend/onnx-train.js";
import { type AttentionRunner, kernelAttention, loopAttention } from "./attention.js";

/** A backend and attention runner for training; call `dispose` when done. */
export interface TrainCompute {
  readonly backend: Backend;
  readonly attention: AttentionRunner;
  dispose(): Promise<void>;
}

/** Products with at most this many multiply-adds run in TypeScript (a native call costs more). */
const SMALL_PRODUCT = 1 << 16;

/** Creates the compute for `kind` (default onnxruntime). */
export async function createTrainCompute(kind: "onnxruntime" | "reference" = "onnxruntime", threads?: number): Promise<TrainCompute> {
  if (kind === "reference") return { backend: createReferenceBackend(), attention: loopAttention, dispose: async () => undefined };
  const options = threads === undefined ? {} : { threads };
  const onnx = await createOnnxBackend(options);
  const kernels = await createOnnxAttention(options);
  const backend: Backend = {
    name: onnx.name,
    matmul: (a, b, shape) => (shape.m * shape.k * shape.n <= SMALL_PRODUCT ? Promise.resolve(matmulReference(a, b, shape)) : onnx.matmul(a, b, shape)),
    block: (x, tokens, weights, params) => onnx.block(x, tokens, weights, params),
    dispose: () => onnx.dispose(),
  };
  return {
    backend,
    attention: kernelAttention(kernels),
    async dispose() {
      await onnx.dispose();
      await kernels.dispose();
    },
  };
}
