/** Models: the factory of random-weight GGUF models, presets, weights and the forward pass. */
export {
  createModelFile,
  createModelFileFromShape,
  CREATE_QUANTS,
  modelMetadata,
  type CreateModelOptions,
  type CreateQuant,
  type ModelProgress,
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
export { buildVocab, CHATML_TEMPLATE, type SyntheticVocab } from "./vocab.js";
export {
  activationRoundingFor,
  readConfig,
  readModelWeights,
  type ModelConfig,
  type ModelWeights,
} from "./definition.js";
export { blockParams, forwardHidden, forwardLastLogits, loadModelWeights, type ForwardOptions } from "./forward.js";
export { forwardFlops, randomModelWeights } from "./random-weights.js";
export { describeModel, type ModelInfo } from "./info.js";
