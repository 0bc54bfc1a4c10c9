/** Compute backends behind one interface: a pure TypeScript reference and a fast CPU one. */
export {
  addBias,
  attention,
  q8_1Correction,
  rmsNorm,
  blockRope,
  ropeInPlace,
  type RopeSpec,
  ropeTables,
  roundActivations,
  swiglu,
  toF16,
} from "./ops.js";
export { blockReference, createReferenceBackend, linear, matmulReference } from "./reference.js";
export {
  type ActivationRounding,
  type Backend,
  type BlockMatrix,
  type BlockParams,
  type BlockShape,
  blockShape,
  type BlockWeights,
  type MatmulShape,
} from "./types.js";
export { createOnnxBackend, type OnnxBackendOptions } from "./onnx.js";
