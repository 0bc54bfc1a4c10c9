/**
 * What a turn's evaluation costs as the context fills, with and without llama.cpp's flash
 * attention: CPU time (of this process, llama.cpp's threads included) to evaluate 40 tokens and
 * sample one into an empty context and into one holding 2,300 tokens (a full system prompt), and
 * the CPU time of evaluating those 2,300 tokens. CPU time, because on a shared machine wall time
 * mostly measures other people's load. Random weights of a real model shape (nothing downloaded).
 *
 * Run: npx tsx bench/attention-cost.ts [--preset qwen2.5-0.5b] [--quant q4_0] [--threads 1]
 * Uses the model file bench/turn-latency.ts creates in the temp directory (creates it if missing).
 */
import { existsSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { getLlama, LlamaLogLevel } from "node-llama-cpp";
import { createModelFile, MODEL_FACTORY_VERSION, presetArchitecture, type CreateQuant } from "../src/model/index.js";

const args = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const at = args.indexOf(name);
  return at >= 0 ? (args[at + 1] ?? fallback) : fallback;
};
const preset = option("--preset", "qwen2.5-0.5b");
const quant = option("--quant", "q4_0") as CreateQuant;
const threads = Number(option("--threads", "1"));
const cpuMs = (): number => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};
const load = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(" ");

const path = join(tmpdir(), `medsim-bench-${preset}-${quant}-v${MODEL_FACTORY_VERSION}.gguf`);
if (!existsSync(path)) {
  const arch = presetArchitecture(preset);
  if (arch === undefined) throw new Error(`preset ${preset} has no fixed architecture`);
  await createModelFile({ arch, preset, quant, out: path, seed: 1 });
}
console.log(`attention cost: ${preset} ${quant}, ${threads} thread(s); load average ${load()}`);
const llama = await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });
const model = await llama.loadModel({ modelPath: path });
const prompt = model.tokenize("The patient has had a fever for three days with body ache and headache. ".repeat(200));
const systemPrompt = prompt.slice(0, 2300);
const turn = model.tokenize("When did the fever start, and does it come and go or stay all day? Any rash? ".repeat(3));
const question = turn.slice(0, 40);

for (const flashAttention of [true, false]) {
  const context = await model.createContext({ contextSize: 4096, threads, flashAttention });
  const sequence = context.getSequence();
  /** CPU ms of evaluating the question and sampling one token, 4 times, each erased after. */
  const turnCost = async (): Promise<string> => {
    const base = sequence.nextTokenIndex;
    const costs: number[] = [];
    for (let index = 0; index < 4; index++) {
      const start = cpuMs();
      const iterator = sequence.evaluate(question, { temperature: 0.7, seed: index });
      await iterator.next();
      costs.push(cpuMs() - start);
      await iterator.return();
      await sequence.eraseContextTokenRanges([{ start: base, end: sequence.nextTokenIndex }]);
    }
    return costs.map((cost) => cost.toFixed(0)).join(", ");
  };
  const empty = await turnCost();
  const start = cpuMs();
  await sequence.evaluateWithoutGeneratingNewTokens(systemPrompt);
  const prefill = cpuMs() - start;
  const full = await turnCost();
  await context.dispose();
  console.log(
    [
      `flash attention ${flashAttention ? "on" : "off"}:`,
      `  40 tokens into an empty context: ${empty} ms CPU`,
      `  40 tokens after ${systemPrompt.length}: ${full} ms CPU`,
      `  evaluating the ${systemPrompt.length} tokens: ${(prefill / 1000).toFixed(1)} s CPU`,
    ].join("\n"),
  );
}
await model.dispose();
console.log(`load average at the end ${load()}`);
