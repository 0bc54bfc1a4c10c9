import type { Command } from "commander";
import {
  ADAPTER_GGUF_TYPES,
  exportForOllama,
  MERGE_QUANTS,
  readAdapterGguf,
  readPeftAdapter,
  writeAdapterGguf,
  writePeftAdapter,
  type AdapterGgufType,
  type MergeQuant,
} from "../../adapters/index.js";
import { GgufFile } from "../../gguf/index.js";
import { cases, personas } from "../../library/index.js";
import { readConfig, type ModelConfig } from "../../model/index.js";
import { buildSystemPrompt } from "../../simulator/index.js";
import { CliUsageError, parseChoice, parseNumber, printJson, printTable } from "../output.js";
import { createProgressBar } from "../progress.js";

/** The base model's hyper-parameters (head counts for the q/k permutation). */
function baseConfig(path: string): ModelConfig {
  const file = GgufFile.open(path);
  try {
    return readConfig(file);
  } finally {
    file.close();
  }
}

interface ExportFlags {
  base: string;
  adapter?: string;
  out: string;
  merge?: boolean;
  quant?: MergeQuant;
  persona?: string;
  case?: string;
  temperature?: number;
  topP?: number;
  numCtx?: number;
  json?: boolean;
}

/** `medsim export` (Ollama packaging) and `medsim adapter …` (format conversions). */
export function registerExportCommands(program: Command): void {
  registerOllamaExport(program);
  const adapter = program
    .command("adapter")
    .description("convert and inspect LoRA adapters (llama.cpp GGUF, Hugging Face PEFT)");
  registerAdapterImportPeft(adapter);
  registerAdapterExportPeft(adapter);
  registerAdapterInfo(adapter);
}

/** `medsim export`: a model (and adapter) packaged for Ollama. */
function registerOllamaExport(program: Command): void {
  program
    .command("export")
    .description(
      "package a model (and LoRA adapter) for Ollama: merged GGUF or ADAPTER, and a Modelfile with the persona's system prompt",
    )
    .requiredOption("--base <gguf>", "base model GGUF")
    .option("--adapter <gguf>", "LoRA adapter GGUF (llama.cpp format)")
    .requiredOption("--out <dir>", "output directory (Modelfile, model.gguf or adapter.gguf)")
    .option("--merge", "merge the adapter into the weights (model.gguf) instead of an ADAPTER line")
    .option(
      "--quant <type>",
      `merged weight format: ${MERGE_QUANTS.join(", ")} (default: keep the base's)`,
      parseChoice("--quant", MERGE_QUANTS),
    )
    .option("--persona <persona>", "persona id or file for the SYSTEM prompt (with --case)")
    .option("--case <case>", "case id or file for the SYSTEM prompt (with --persona)")
    .option("--temperature <t>", "PARAMETER temperature (default 0.7)", parseNumber("--temperature", 0, 2))
    .option("--top-p <p>", "PARAMETER top_p (default 0.9)", parseNumber("--top-p", 0, 1))
    .option(
      "--num-ctx <n>",
      "PARAMETER num_ctx (default: the model's context, at most 4096)",
      parseNumber("--num-ctx", 1),
    )
    .option("--json", "print what was written as JSON")
    .action(async (flags: ExportFlags) => {
      if ((flags.persona === undefined) !== (flags.case === undefined))
        throw new CliUsageError("--persona and --case: the system prompt needs both");
      if (flags.merge && flags.adapter === undefined) throw new CliUsageError("--merge: needs --adapter");
      if (flags.quant !== undefined && !flags.merge) throw new CliUsageError("--quant: applies only with --merge");
      const system =
        flags.persona !== undefined && flags.case !== undefined
          ? buildSystemPrompt(await cases.get(flags.case), await personas.get(flags.persona))
          : undefined;
      const progress = createProgressBar({ quiet: flags.json });
      const result = await exportForOllama({
        base: flags.base,
        out: flags.out,
        ...(flags.adapter === undefined ? {} : { adapter: flags.adapter }),
        ...(flags.merge ? { merge: true } : {}),
        ...(flags.quant === undefined ? {} : { quant: flags.quant }),
        ...(system === undefined ? {} : { system }),
        modelfile: {
          ...(flags.temperature === undefined ? {} : { temperature: flags.temperature }),
          ...(flags.topP === undefined ? {} : { topP: flags.topP }),
          ...(flags.numCtx === undefined ? {} : { numCtx: flags.numCtx }),
        },
        onProgress: progress.onProgress,
      }).finally(progress.stop);
      const summary = { ...result, ollama: `ollama create <name> -f ${result.modelfile}` };
      if (flags.json) return printJson(summary);
      printTable([
        ["Modelfile", result.modelfile],
        ...(result.model === undefined ? [] : [["merged model", result.model]]),
        ...(result.adapter === undefined ? [] : [["adapter", result.adapter]]),
        ["FROM", result.from],
        ["next", summary.ollama],
      ]);
    });
}

/** `medsim adapter import-peft`. */
function registerAdapterImportPeft(adapter: Command): void {
  adapter
    .command("import-peft")
    .description(
      "convert a PEFT LoRA adapter directory (adapter_model.safetensors + adapter_config.json) into a llama.cpp adapter GGUF",
    )
    .argument("<dir>", "PEFT adapter directory")
    .requiredOption("--base <gguf>", "the GGUF base model the adapter belongs to (architecture and head counts)")
    .requiredOption("--out <file>", "output adapter .gguf (written atomically)")
    .option(
      "--type <type>",
      `tensor format: ${ADAPTER_GGUF_TYPES.join(", ")}`,
      parseChoice("--type", ADAPTER_GGUF_TYPES),
      "f32",
    )
    .option("--json", "print the result as JSON")
    .action(async (dir: string, flags: { base: string; out: string; type: AdapterGgufType; json?: boolean }) => {
      const config = baseConfig(flags.base);
      const lora = await readPeftAdapter(dir, {
        architecture: config.arch,
        headCount: config.headCount,
        headCountKv: config.headCountKv,
      });
      const bytes = await writeAdapterGguf(lora, flags.out, { type: flags.type });
      const result = {
        path: flags.out,
        bytes,
        architecture: lora.architecture,
        rank: lora.rank,
        alpha: lora.alpha,
        tensors: lora.tensors.length,
      };
      if (flags.json) return printJson(result);
      process.stdout.write(
        `wrote ${flags.out}: ${lora.tensors.length} tensor pairs, rank ${lora.rank}, alpha ${lora.alpha}\n`,
      );
    });
}

/** `medsim adapter export-peft`. */
function registerAdapterExportPeft(adapter: Command): void {
  adapter
    .command("export-peft")
    .description(
      "convert a llama.cpp adapter GGUF into a PEFT adapter directory (HF names, llama q/k rows un-permuted)",
    )
    .argument("<adapter>", "adapter .gguf")
    .requiredOption("--base <gguf>", "the GGUF base model (head counts)")
    .requiredOption("--out <dir>", "output directory")
    .option("--base-model-name <id>", "base_model_name_or_path, e.g. HuggingFaceTB/SmolLM2-135M-Instruct")
    .option("--json", "print the result as JSON")
    .action(async (file: string, flags: { base: string; out: string; baseModelName?: string; json?: boolean }) => {
      const config = baseConfig(flags.base);
      const lora = readAdapterGguf(file);
      const written = await writePeftAdapter(lora, flags.out, {
        heads: config,
        ...(flags.baseModelName === undefined ? {} : { baseModelNameOrPath: flags.baseModelName }),
      });
      if (flags.json)
        return printJson({ ...written, rank: lora.rank, alpha: lora.alpha, tensors: lora.tensors.length });
      process.stdout.write(`wrote ${written.weights} and ${written.config}\n`);
    });
}

/** `medsim adapter info`. */
function registerAdapterInfo(adapter: Command): void {
  adapter
    .command("info")
    .description("describe a llama.cpp LoRA adapter GGUF")
    .argument("<adapter>", "adapter .gguf")
    .option("--json", "print as JSON")
    .action((file: string, flags: { json?: boolean }) => {
      const lora = readAdapterGguf(file);
      const modules = [
        ...new Set(lora.tensors.map((t) => t.target.replace(/^blk\.\d+\./, "").replace(/\.weight$/, ""))),
      ].sort();
      const parameters = lora.tensors.reduce((sum, t) => sum + t.a.length + t.b.length, 0);
      const info = {
        architecture: lora.architecture,
        rank: lora.rank,
        alpha: lora.alpha,
        scale: lora.alpha / lora.rank,
        tensorPairs: lora.tensors.length,
        modules,
        parameters,
        baseModelName: lora.baseModelName ?? null,
      };
      if (flags.json) return printJson(info);
      printTable([
        ["architecture", info.architecture],
        ["rank / alpha", `${info.rank} / ${info.alpha} (scale ${info.scale})`],
        ["modules", `${modules.join(", ")} (${info.tensorPairs} pairs)`],
        ["parameters", String(parameters)],
      ]);
    });
}
