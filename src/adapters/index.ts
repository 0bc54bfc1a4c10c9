/**
 * LoRA adapter formats: llama.cpp's adapter GGUF (read/write), Hugging Face PEFT
 * (safetensors + adapter_config.json, read/write, with llama's q/k row permutation), merging an
 * adapter into its base GGUF, and the Ollama Modelfile. All work from the one in-memory
 * {@link LoraAdapter} shape that the trainer produces.
 */
export { LORA_TARGET_SUFFIXES, type LoraAdapter, type LoraTargetModule, type LoraTensorPair } from "./types.js";
export { AdapterError } from "./errors.js";
export { loraDelta, loraScale, validateAdapter } from "./validate.js";
export {
  ADAPTER_GGUF_TYPES,
  checkAdapterFitsBase,
  readAdapterGguf,
  readAdapterGgufWithMetadata,
  writeAdapterGguf,
  type AdapterGgufType,
  type ReadAdapterResult,
  type WriteAdapterGgufOptions,
} from "./gguf.js";
export { ggufToHfRows, hfToGgufRows, permutationHeads, type HeadCounts } from "./permute.js";
export {
  decodeSafetensors,
  encodeSafetensors,
  type DecodedSafetensors,
  type SafeTensor,
  type SafetensorsDtype,
} from "./safetensors.js";
export {
  hfModuleName,
  peftModulePath,
  PEFT_CONFIG_FILE,
  PEFT_WEIGHTS_FILE,
  readPeftAdapter,
  writePeftAdapter,
  type ReadPeftOptions,
  type WritePeftOptions,
} from "./peft.js";
export { applyAdapterToWeights, mergeAdapter, MERGE_QUANTS, type MergeOptions, type MergeQuant } from "./merge.js";
export { buildModelfile, isChatmlTemplate, OLLAMA_CHATML_TEMPLATE, type ModelfileOptions } from "./modelfile.js";
export { exportForOllama, type ExportOptions, type ExportResult } from "./export.js";
