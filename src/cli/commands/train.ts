import { Option, type Command } from "commander";
import { abortOnSigint } from "../interrupt.js";
import { PRESET_NAMES } from "../../model/index.js";
import {
  BENCH_QUANTS,
  type BenchQuant,
  benchTrain,
  describeMaxLength,
  readConfigFile,
  resolveTrainConfig,
  trainFromConfig,
  type TrainConfig,
  type TrainProgress,
} from "../../train/index.js";
import { CliUsageError, parseInteger, parseNumber, printJson } from "../output.js";
import { resolveModelSource } from "../../engines/llama/index.js";
import { createProgressBar } from "../progress.js";

interface TrainFlags {
  base?: string;
  data?: string;
  validationData?: string;
  format?: string;
  out?: string;
  config?: string;
  mode?: string;
  epochs?: number;
  maxSteps?: number;
  lr?: number;
  batchSize?: number;
  gradAccum?: number;
  warmupRatio?: number;
  schedule?: string;
  weightDecay?: number;
  maxGradNorm?: number;
  maxLength?: number | "auto";
  gradientCheckpointing?: "auto" | "on" | "off";
  validationSplit?: number;
  loggingSteps?: number;
  evalSteps?: number;
  saveSteps?: number;
  earlyStopping?: number;
  seed?: number;
  threads?: number;
  lanes?: number;
  backend?: string;
  loraR?: number;
  loraAlpha?: number;
  loraDropout?: number;
  rslora?: boolean;
  keepQuantized?: boolean;
  keepQuantised?: boolean;
  frozenCompute?: string;
  targetModules?: string;
  resume?: boolean;
  json?: boolean;
}

function parseMaxLength(value: string): number | "auto" {
  return value === "auto" ? "auto" : parseInteger("--max-length", 2)(value);
}

/** The training bar's text after the steps: loss, the last validation loss and tokens/s. */
function trainDetail(): (progress: TrainProgress) => string {
  let evalLoss: number | undefined;
  return (p) => {
    evalLoss = p.evalLoss ?? evalLoss;
    return `loss ${p.loss.toFixed(4)}${evalLoss === undefined ? "" : ` | eval ${evalLoss.toFixed(4)}`} | ${p.tokensPerSecond.toFixed(0)} tok/s`;
  };
}

/**
 * What was left out, for the line before training: " (2 test records left out)"; beside a
 * validation file also the records of --data marked split=validation.
 */
function leftOut(info: { testLeftOut: number; validationLeftOut: number }): string {
  const parts = [
    ...(info.testLeftOut > 0 ? [`${info.testLeftOut} test records left out`] : []),
    ...(info.validationLeftOut > 0
      ? [
          `${info.validationLeftOut} records of --data marked split=validation left out: --validation-data is the validation set`,
        ]
      : []),
  ];
  return parts.length === 0 ? "" : ` (${parts.join("; ")})`;
}

/** `medsim train` (fine-tuning) and `medsim bench train` (training throughput). */
export function registerTrainCommands(program: Command): void {
  const train = program
    .command("train")
    .description(
      "fine-tune a GGUF model with LoRA (or fully) on chat/medsim/qa JSONL; writes adapter.gguf and peft/ (full mode: model.gguf), metrics.jsonl, checkpoint.bin",
    );
  addTrainOptions(train);
  train.action(runTrainCommand);
  registerBenchTrain(program);
}

/** The flags of `medsim train`; each overrides the `--config` file's setting. */
function addTrainOptions(command: Command): void {
  command
    .option(
      "--base <gguf>",
      "base model: a GGUF file, or an hf: URI or https URL (downloaded once into the model cache)",
    )
    .option(
      "--data <file>",
      "training data (JSONL); records marked split=test are left out of training and validation, those marked split=validation are never trained on",
    )
    .option(
      "--validation-data <file>",
      "validation data, used alone: records of --data marked split=validation are then left out and counted (default: records of --data marked split=validation, else --validation-split of its other non-test records)",
    )
    .option("--format <format>", "chat, medsim or qa (default chat)")
    .option("--out <dir>", "output directory")
    .option("--config <file>", "YAML or JSON config; flags override it")
    .option("--mode <mode>", "lora or full (default lora)")
    .option("--epochs <n>", "epochs (default 3)", parseNumber("--epochs", 0))
    .option("--max-steps <n>", "stop after N optimizer steps", parseInteger("--max-steps", 1))
    .option("--lr <x>", "peak learning rate (default 1e-4)", parseNumber("--lr", 0))
    .option("--batch-size <n>", "sequences per micro-batch (default 2)", parseInteger("--batch-size", 1))
    .option("--grad-accum <n>", "gradient accumulation steps (default 1)", parseInteger("--grad-accum", 1))
    .option("--warmup-ratio <x>", "warmup fraction of the steps (default 0.03)", parseNumber("--warmup-ratio", 0, 1))
    .option("--schedule <name>", "cosine, linear or constant (default cosine)")
    .option("--weight-decay <x>", "AdamW weight decay (default 0.01)", parseNumber("--weight-decay", 0))
    .option("--max-grad-norm <x>", "gradient clipping, 0 = off (default 1)", parseNumber("--max-grad-norm", 0))
    .option(
      "--max-length <n>",
      "tokens per sequence, or auto: the longest example, capped by the context length and memory (default auto)",
      parseMaxLength,
    )
    .addOption(
      new Option(
        "--gradient-checkpointing <mode>",
        "recompute each block in the backward pass instead of keeping its activations (same gradients, far less memory, about a third more compute); auto: when the max length needs it (default auto)",
      ).choices(["auto", "on", "off"]),
    )
    .option(
      "--validation-split <x>",
      "fraction of --data held out for validation when no record is marked split=validation (default 0.1)",
      parseNumber("--validation-split", 0, 0.99),
    )
    .option("--logging-steps <n>", "metrics every N steps (default 10)", parseInteger("--logging-steps", 1))
    .option(
      "--eval-steps <n>",
      "validation loss every N steps and at the end; 0 = only at the end (default 50)",
      parseInteger("--eval-steps", 0),
    )
    .option(
      "--save-steps <n>",
      "checkpoint every N steps; 0 = only at the end and on Ctrl-C (default 50)",
      parseInteger("--save-steps", 0),
    )
    .option(
      "--early-stopping <n>",
      "stop after N evaluations without improvement (default 0 = off)",
      parseInteger("--early-stopping", 0),
    )
    .option("--seed <n>", "random seed (default 42)", parseInteger("--seed", 0))
    .option("--threads <n>", "backend threads (default: all CPUs)", parseInteger("--threads", 1))
    .option(
      "--lanes <n>",
      "data-parallel lanes: each micro-batch of several sequences split over n worker threads of one onnxruntime thread each (default: --threads, or 1 when their copies of the frozen weights would take over a quarter of memory; 1 for none)",
      parseInteger("--lanes", 1),
    )
    .option("--backend <name>", "onnxruntime or reference (default onnxruntime)")
    .option("--lora-r <n>", "LoRA rank (default 4)", parseInteger("--lora-r", 1))
    .option("--lora-alpha <x>", "LoRA alpha (default 8)", parseNumber("--lora-alpha", 0))
    .option("--lora-dropout <x>", "LoRA dropout (default 0.05)", parseNumber("--lora-dropout", 0, 0.99))
    .option("--rslora", "rank-stabilised scaling alpha/sqrt(r)")
    .option(
      "--keep-quantized",
      "LoRA: keep the frozen block projections in their GGUF encoding (same results, less memory); dequantized per block on each use with --frozen-compute fp32, once into the int8 copies with int8",
    )
    // Old (-ise) spellings stay working, hidden from --help.
    .addOption(new Option("--keep-quantised").hideHelp())
    .option("--target-modules <list>", "comma-separated: q,k,v,o,gate,up,down (default all)")
    .option(
      "--frozen-compute <kind>",
      "LoRA on onnxruntime: products through the frozen base weights in int8 (faster, a small error) or fp32 (default int8; the reference backend always uses fp32)",
    )
    .option("--resume", "continue from <out>/checkpoint.bin (same settings)")
    .option("--json", "print the summary as JSON");
}

/** The training settings: the `--config` file, overridden by flags; a hub model is downloaded once. */
async function trainConfigFromFlags(flags: TrainFlags): Promise<TrainConfig> {
  const file = flags.config === undefined ? {} : await readConfigFile(flags.config);
  const config = resolveTrainConfig(
    file,
    {
      base: flags.base,
      data: flags.data,
      validationData: flags.validationData,
      format: flags.format,
      out: flags.out,
      mode: flags.mode,
      epochs: flags.epochs,
      maxSteps: flags.maxSteps,
      learningRate: flags.lr,
      batchSize: flags.batchSize,
      gradientAccumulation: flags.gradAccum,
      warmupRatio: flags.warmupRatio,
      schedule: flags.schedule,
      weightDecay: flags.weightDecay,
      maxGradNorm: flags.maxGradNorm,
      maxLength: flags.maxLength,
      gradientCheckpointing:
        flags.gradientCheckpointing === undefined
          ? undefined
          : flags.gradientCheckpointing === "auto"
            ? "auto"
            : flags.gradientCheckpointing === "on",
      validationSplit: flags.validationSplit,
      loggingSteps: flags.loggingSteps,
      evalSteps: flags.evalSteps,
      saveSteps: flags.saveSteps,
      earlyStoppingPatience: flags.earlyStopping,
      seed: flags.seed,
      threads: flags.threads,
      lanes: flags.lanes,
      backend: flags.backend,
      keepQuantized: flags.keepQuantized ?? flags.keepQuantised,
      frozenCompute: flags.frozenCompute,
      lora: {
        r: flags.loraR,
        alpha: flags.loraAlpha,
        dropout: flags.loraDropout,
        rslora: flags.rslora,
        targetModules: flags.targetModules?.split(",").map((s) => s.trim()),
      },
    },
    flags.config ?? "training settings",
  );
  if (!/^(hf:|https?:\/\/)/.test(config.base)) return config;
  const progress = createProgressBar();
  try {
    return { ...config, base: await resolveModelSource(config.base, { onProgress: progress.onProgress }) };
  } finally {
    progress.stop();
  }
}

/** Runs `medsim train`: trains, prints the summary; Ctrl-C stops after the step with a checkpoint. */
async function runTrainCommand(flags: TrainFlags): Promise<void> {
  const config = await trainConfigFromFlags(flags);
  const interrupt = abortOnSigint("finishing the current step and writing the checkpoint");
  const progress = createProgressBar<TrainProgress>({ detail: trainDetail() });
  try {
    const summary = await trainFromConfig(config, {
      resume: flags.resume ?? false,
      signal: interrupt.signal,
      onProgress: progress.onProgress,
      onPrepared: (info) => {
        if (flags.json) return;
        const t = info.truncation;
        process.stderr.write(
          `${info.trainExamples} training and ${info.validationExamples} validation examples${leftOut(info)}; ${info.trainableParameters} trainable parameters\n` +
            `max length ${info.maxLength.value} (${describeMaxLength(info.maxLength)})\n`,
        );
        if (t.truncated > 0)
          process.stderr.write(
            `max length ${info.maxLength.value}: ${t.truncated} examples cut, ${t.targetTokensCut} answer tokens lost, ${t.dropped} examples dropped (no answer left)\n`,
          );
      },
    });
    progress.stop();
    // Interrupted (Ctrl-C): the checkpoint and adapter are written; 130 tells scripts it did not finish.
    if (summary.stopped === "interrupted") process.exitCode = 130;
    if (flags.json) return printJson(summary);
    process.stdout.write(
      `${summary.stopped}: ${summary.steps}/${summary.total_steps} steps, max length ${summary.max_length.value} (${summary.truncation.truncated} examples cut), train loss ${summary.train_loss?.toFixed(4) ?? "-"}, eval loss ${summary.eval_loss?.toFixed(4) ?? "-"}, ${summary.tokens_per_s} tokens/s, peak ${summary.peak_rss_mb} MB\n` +
        Object.entries(summary.paths)
          .map(([k, v]) => `  ${k}: ${v}\n`)
          .join(""),
    );
  } finally {
    progress.stop();
    interrupt.dispose();
  }
}

/** `medsim bench train`: LoRA training throughput on random weights of a real model shape. */
function registerBenchTrain(program: Command): void {
  const bench = program.command("bench").description("benchmarks");
  bench
    .command("train")
    .description(
      "LoRA training throughput on random weights of a real model shape (LoRA on all seven projections, loss on all tokens)",
    )
    .option("--preset <name>", `shape: ${PRESET_NAMES.join(", ")}`, "smollm2-135m")
    .option("--batch-size <n>", "sequences per step (default 4)", parseInteger("--batch-size", 1))
    // The old spelling, kept working but hidden: `--batch-size` is the flag's name in every command.
    .addOption(new Option("--batch <n>").argParser(parseInteger("--batch", 1)).hideHelp())
    .option("--seq <n>", "tokens per sequence", parseInteger("--seq", 1), 128)
    .option("--steps <n>", "timed steps (after one warm-up step)", parseInteger("--steps", 1), 3)
    .option("--lora-r <n>", "LoRA rank", parseInteger("--lora-r", 1), 8)
    .option("--threads <n>", "backend threads (default: all CPUs)", parseInteger("--threads", 1))
    .option(
      "--lanes <n>",
      "data-parallel lanes: each micro-batch of several sequences split over n worker threads of one onnxruntime thread each (default: --threads; 1 for none)",
      parseInteger("--lanes", 1),
    )
    .option(
      "--quant <type>",
      `base projections: f32, or kept encoded as ${BENCH_QUANTS.filter((q) => q !== "f32").join(", ")} (dequantised per use with --frozen-compute fp32, once into the int8 copies with int8)`,
      "f32",
    )
    .option(
      "--dequantize-upfront",
      "with --quant: dequantize the projections once, as training without --keep-quantized does",
    )
    .addOption(new Option("--dequantise-upfront").hideHelp())
    .option(
      "--frozen-compute <kind>",
      "products through the frozen base weights: int8 or fp32, as medsim train",
      "int8",
    )
    .option(
      "--gradient-checkpointing",
      "recompute each block in the backward pass (as train does when memory needs it)",
    )
    .option("--json", "print as JSON")
    .action(
      async (flags: {
        preset: string;
        batchSize?: number;
        batch?: number;
        seq: number;
        steps: number;
        loraR: number;
        threads?: number;
        lanes?: number;
        quant: string;
        dequantizeUpfront?: boolean;
        dequantiseUpfront?: boolean;
        frozenCompute: string;
        gradientCheckpointing?: boolean;
        json?: boolean;
      }) => {
        if (!(PRESET_NAMES as readonly string[]).includes(flags.preset))
          throw new CliUsageError(`--preset: expected one of ${PRESET_NAMES.join(", ")}, found "${flags.preset}"`);
        if (!(BENCH_QUANTS as readonly string[]).includes(flags.quant))
          throw new CliUsageError(`--quant: expected one of ${BENCH_QUANTS.join(", ")}, found "${flags.quant}"`);
        if (flags.frozenCompute !== "int8" && flags.frozenCompute !== "fp32")
          throw new CliUsageError(`--frozen-compute: expected int8 or fp32, found "${flags.frozenCompute}"`);
        const result = await benchTrain({
          preset: flags.preset,
          batch: flags.batchSize ?? flags.batch ?? 4,
          seq: flags.seq,
          steps: flags.steps,
          loraRank: flags.loraR,
          quant: flags.quant as BenchQuant,
          keepQuantized: !(flags.dequantizeUpfront ?? flags.dequantiseUpfront ?? false),
          frozenCompute: flags.frozenCompute,
          checkpointing: flags.gradientCheckpointing ?? false,
          ...(flags.threads === undefined ? {} : { threads: flags.threads }),
          ...(flags.lanes === undefined ? {} : { lanes: flags.lanes }),
          onStep: (s, t) => {
            if (!flags.json && process.stderr.isTTY) process.stderr.write(`step ${s}: ${t.toFixed(2)} s\n`);
          },
        });
        if (flags.json) return printJson(result);
        process.stdout.write(
          `${result.preset} batch ${result.batch} x ${result.seq}, LoRA r=${result.lora_r}${result.gradient_checkpointing ? ", gradient checkpointing" : ""}: ${result.step_s} s/step, ${result.tokens_per_s} tokens/s, peak ${result.peak_rss_mb} MB, base projections ${result.quant}${result.keep_quantized ? " (kept encoded)" : ""} ${result.projection_mb} MB, ${result.frozen_compute} products (${result.backend}${result.lanes > 1 ? `, ${result.lanes} lanes` : ""})\n`,
        );
      },
    );
}
