/**
 * Models (`medsim/model`): the factory of random-weight GGUF models and their presets, reading a
 * model's configuration and weights, the forward pass (last-position logits equal llama.cpp's),
 * the compute backends it runs on, and llama.cpp's tokenizer and chat formatting of a model file.
 */
export {
  createModelFile,
  createModelFileFromShape,
  CREATE_QUANTS,
  MODEL_FACTORY_VERSION,
  modelMetadata,
  vocabularyFor,
  type CreateModelOptions,
  type CreateQuant,
} from "./create.js";
export {
  llama3RopeFactors,
  PRESET_NAMES,
  presetArchitecture,
  presetShape,
  type Architecture,
  type ModelShape,
  type PresetName,
} from "./presets.js";
export { buildVocab, CHATML_TEMPLATE, CHATML_SPECIAL_TOKENS, type SyntheticVocab } from "./vocab.js";
export { buildCl100kVocab, CL100K_MINIMUM_VOCAB } from "./vocab-cl100k.js";
export {
  activationRoundingFor,
  blockTensorLayout,
  type BlockMatrixField,
  readConfig,
  readModelWeights,
  type ModelConfig,
  type ModelWeights,
} from "./definition.js";
export { blockParams, forwardHidden, forwardLastLogits, loadModelWeights, type ForwardOptions } from "./forward.js";
export { forwardFlops, randomModelWeights } from "./random-weights.js";
export { describeModel, type ModelInfo } from "./info.js";
export {
  createOnnxBackend,
  createReferenceBackend,
  type ActivationRounding,
  type Backend,
  type OnnxBackendOptions,
} from "../backend/index.js";
export { ModelTokenizer, type TokenizerLoadOptions, type TrainingExample } from "../tokenizer/index.js";
