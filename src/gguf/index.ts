/**
 * GGUF v2/v3 reading and v3 writing, with dequantisation of the common GGML block formats.
 * Self-contained: imports nothing else from the project. Every failure is a {@link GgufError}.
 */
export { GgufError } from "./errors.js";
export { bf16ToF32, f16ToF32, f32ToF16, roundF16 } from "./half.js";
export { dequantize, quantize, QUANTIZABLE_TYPES } from "./quant.js";
export { GgufFile, parseGgufHeader, type GgufHeader } from "./reader.js";
export { bufferSource, fileSource, type ByteSource } from "./source.js";
export {
  GgmlType,
  ggmlTypeFromName,
  ggmlTypeInfo,
  ggmlTypeName,
  GgufValueType,
  gv,
  tensorByteLength,
  type GgmlTypeInfo,
  type GgufArrayValue,
  type GgufScalarTypeName,
  type GgufTensorInfo,
  type GgufValue,
} from "./types.js";
export {
  encodeGguf,
  writeGguf,
  type GgufTensorToWrite,
  type GgufWriteInput,
  type GgufWriteOptions,
  type GgufWriteProgress,
} from "./writer.js";
