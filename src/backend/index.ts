/** Compute backends behind one interface: a pure TypeScript reference and a fast CPU one. */
export {
  addBias,
  attention,
  q8_1Correction,
  rmsNorm,
  rope,
  ropeTables,
  roundActivations,
  swiglu,
  toF16,
} from "./ops.js";
export { blockReference, createReferenceBackend, linear, matmulReference } from "./reference.js";
export type { ActivationRounding, Backend, BlockMatrix, BlockParams, BlockWeights, MatmulShape } from "./types.js";
export { createOnnxBackend, type OnnxBackendOptions } from "./onnx.js";
