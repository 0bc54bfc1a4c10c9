/** Training: LoRA (or full) fine-tuning of llama/qwen2 GGUF models in TypeScript. */
export { fitToLength, packBatch, type PackedBatch, type TokenizedExample, type TruncationReport } from "./batch.js";
export { BENCH_QUANTS, benchTrain, type BenchQuant, type BenchTrainOptions, type BenchTrainResult } from "./bench.js";
export {
  CheckpointError,
  readCheckpoint,
  writeCheckpoint,
  type CheckpointState,
  type CheckpointTensor,
} from "./checkpoint.js";
export {
  DequantScratch,
  loadQuantizedTrainWeights,
  matrixValues,
  projectionBytes,
  QuantizedMatrix,
  type FrozenMatrix,
  type TrainBlockWeights,
  type TrainWeights,
} from "./frozen.js";
export {
  LoraConfigSchema,
  readConfigFile,
  resolveTrainConfig,
  TrainConfigSchema,
  type TrainConfig,
  type TrainConfigInput,
} from "./config.js";
export {
  readConversations,
  tokenizeConversations,
  TRAIN_DATA_FORMATS,
  type Conversation,
  type TrainDataFormat,
} from "./data.js";
export {
  assertTrainableArchitecture,
  TRAIN_ARCHITECTURES,
  TrainableModel,
  type BatchLoss,
  type LoraSettings,
  type TrainableModelOptions,
  type TrainableParam,
  type TrainMode,
} from "./model.js";
export { AdamW, clipGradients, gradNorm, learningRate, type AdamWOptions, type LrSchedule } from "./optimizer.js";
export {
  describeMaxLength,
  peakRssMb,
  splitData,
  type DataSplit,
  TrainError,
  trainFromConfig,
  type TrainJobOptions,
  type TrainSummary,
} from "./run.js";
export { activationBudget, activationBytes, chooseMaxLength, type MaxLengthChoice } from "./length.js";
export {
  evaluateLoss,
  runTraining,
  type LoopSettings,
  type RunTrainingOptions,
  type TrainingOutcome,
  type TrainProgress,
} from "./trainer.js";
export type { FrozenCompute } from "./fused-block.js";
