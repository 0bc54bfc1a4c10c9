import type { Command } from "commander";
import { createOnnxBackend, createReferenceBackend } from "../../backend/index.js";
import {
  CREATE_QUANTS,
  createModelFile,
  describeModel,
  forwardLastLogits,
  loadModelWeights,
  PRESET_NAMES,
  presetArchitecture,
  presetShape,
  type Architecture,
  type CreateQuant,
} from "../../model/index.js";
import { ModelTokenizer } from "../../tokenizer/index.js";
import { CliUsageError, parseChoice, parseInteger, printJson, printTable } from "../output.js";
import { createProgressBar } from "../progress.js";

function formatCount(n: number): string {
  return n >= 1e9
    ? `${(n / 1e9).toFixed(2)}B`
    : n >= 1e6
      ? `${(n / 1e6).toFixed(1)}M`
      : n >= 1e3
        ? `${(n / 1e3).toFixed(1)}K`
        : String(n);
}

/** `medsim model create|info|logits`: random-weight GGUF models, their description and logits. */
export function registerModelCommands(program: Command): void {
  const group = program.command("model").description("create, inspect and run GGUF models");
  registerModelCreate(group);
  registerModelInfo(group);
  registerModelLogits(group);
}

/** `medsim model create`. */
function registerModelCreate(group: Command): void {
  group
    .command("create")
    .description("write a GGUF model with random weights (real shapes, a BPE tokenizer and a ChatML template)")
    .requiredOption("--preset <name>", `shape: ${PRESET_NAMES.join(", ")}`, parseChoice("--preset", PRESET_NAMES))
    .option(
      "--arch <arch>",
      "llama, qwen2 or gemma (default: the preset's; required for tiny)",
      parseChoice("--arch", ["llama", "qwen2", "gemma"] as const),
    )
    .option(
      "--quant <type>",
      `weight format: ${CREATE_QUANTS.join(", ")}`,
      parseChoice("--quant", CREATE_QUANTS),
      "f32",
    )
    .option("--seed <n>", "random seed", parseInteger("--seed", 0, 2 ** 32 - 1), 1)
    .requiredOption("--out <file>", "output .gguf file (written atomically)")
    .option("--json", "print the result as JSON")
    .action(
      async (options: {
        preset: string;
        arch?: Architecture;
        quant: CreateQuant;
        seed: number;
        out: string;
        json?: boolean;
      }) => {
        const arch = options.arch ?? presetArchitecture(options.preset);
        if (arch === undefined)
          throw new CliUsageError(`--arch: required for preset "${options.preset}" (llama, qwen2 or gemma)`);
        try {
          presetShape(options.preset, arch);
        } catch (error) {
          throw new CliUsageError((error as Error).message);
        }
        // Small models are written before a bar would show.
        const progress = createProgressBar({ quiet: options.json, minimumTotal: 50e6 });
        const result = await createModelFile({
          arch,
          preset: options.preset,
          quant: options.quant,
          seed: options.seed,
          out: options.out,
          onProgress: progress.onProgress,
        }).finally(progress.stop);
        const info = { ...result, arch, preset: options.preset, quant: options.quant, seed: options.seed };
        if (options.json) return printJson(info);
        process.stdout.write(
          `wrote ${result.path}: ${arch} ${options.preset} ${options.quant}, ${formatCount(result.parameterCount)} parameters\n`,
        );
      },
    );
}

/** `medsim model info`. */
function registerModelInfo(group: Command): void {
  group
    .command("info")
    .description("describe a GGUF model: architecture, shapes, quantisation, parameters, chat template")
    .argument("<file>", "GGUF file")
    .option("--json", "print as JSON")
    .action(async (file: string, options: { json?: boolean }) => {
      const info = await describeModel(file);
      if (options.json) return printJson(info);
      const c = info.config;
      printTable([
        ["architecture", info.architecture],
        [
          "quantisation",
          `${info.quantization ?? "?"} (${Object.entries(info.tensorTypes)
            .map(([t, n]) => `${n} ${t}`)
            .join(", ")})`,
        ],
        ["parameters", formatCount(info.parameterCount)],
        ...(c === null
          ? []
          : [
              [
                "shape",
                `${c.blockCount} blocks, width ${c.embeddingLength}, ffn ${c.feedForwardLength}, heads ${c.headCount}/${c.headCountKv} kv, head size ${c.headDim}`,
              ],
              ["context", String(c.contextLength)],
            ]),
        ["vocabulary", `${info.vocabularySize ?? "?"} (${info.tokenizer ?? "no tokenizer"})`],
        ["output head", info.tiedEmbeddings ? "tied to the token embedding" : "separate"],
        ["chat template", info.chatTemplate ? "yes" : "no"],
        ["file", `${info.path} (${formatCount(info.fileSize)}B, GGUF v${info.ggufVersion})`],
      ]);
    });
}

/** `medsim model logits`. */
function registerModelLogits(group: Command): void {
  group
    .command("logits")
    .description("last-position logits of a text, computed by medsim's own forward pass")
    .requiredOption("--model <file>", "GGUF file (llama or qwen2)")
    .requiredOption("--text <text>", "input text")
    .option("--special", "parse special-token text such as <|im_start|>")
    .option(
      "--backend <name>",
      "onnxruntime or reference",
      parseChoice("--backend", ["onnxruntime", "reference"] as const),
      "onnxruntime",
    )
    .option("--top <n>", "without --json: how many top tokens to show", parseInteger("--top", 1), 10)
    .option("--json", 'print {"tokens":[...],"logits":[...]}')
    .action(
      async (options: {
        model: string;
        text: string;
        special?: boolean;
        backend: "onnxruntime" | "reference";
        top: number;
        json?: boolean;
      }) => {
        const weights = loadModelWeights(options.model);
        const tokenizer = await ModelTokenizer.load(options.model);
        try {
          const tokens = tokenizer.tokenize(options.text, { special: options.special ?? false });
          if (tokens.length === 0)
            throw new CliUsageError("--text: expected text that gives at least one token, found none");
          const backend = options.backend === "reference" ? createReferenceBackend() : await createOnnxBackend();
          try {
            const logits = await forwardLastLogits(weights, tokens, { backend });
            if (options.json) return printJson({ tokens, logits: Array.from(logits) });
            const top = [...logits.keys()].sort((a, b) => (logits[b] ?? 0) - (logits[a] ?? 0)).slice(0, options.top);
            process.stdout.write(`${tokens.length} tokens; top next tokens:\n`);
            printTable(
              top.map((t) => [
                String(t),
                JSON.stringify(tokenizer.detokenize([t], { special: true })),
                (logits[t] ?? 0).toFixed(4),
              ]),
            );
          } finally {
            await backend.dispose();
          }
        } finally {
          await tokenizer.dispose();
        }
      },
    );
}
