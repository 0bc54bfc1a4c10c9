/**
 * Turn latency of the llama engine on a real model shape with random weights (nothing downloaded):
 * session open time with and without a reused system-prompt state, first-token latency of turns
 * 1..10 (p50, p95) and decode tokens/s.
 *
 * Run: npx tsx bench/turn-latency.ts [--preset qwen2.5-0.5b] [--quant q4_0,q8_0] [--case dengue-fever]
 *      [--persona anxious] [--turns 10] [--compact]
 * Models are created once in the temp directory (~30 s each) and reused by later runs.
 */
import { existsSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { cases, personas } from "../src/library/index.js";
import { buildSystemPrompt } from "../src/simulator/prompt.js";
import { LlamaEngine } from "../src/engines/llama/index.js";
import type { DialogueTurn } from "../src/domain/index.js";
import { createModelFile, presetArchitecture, type CreateQuant } from "../src/model/index.js";

const args = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const at = args.indexOf(name);
  return at >= 0 ? (args[at + 1] ?? fallback) : fallback;
};
const preset = option("--preset", "qwen2.5-0.5b");
const quants = option("--quant", "q4_0,q8_0").split(",") as CreateQuant[];
const caseId = option("--case", "dengue-fever");
const personaId = option("--persona", "anxious");
const turnCount = Number(option("--turns", "10"));
const compact = args.includes("--compact");

// ~30-token questions a student asks in a history (as the chat template wraps them, a little more).
const QUESTIONS = [
  "Good morning, I am one of the junior doctors here today. Can you tell me what brings you to the hospital?",
  "When exactly did this fever start, and has it been there all the time or does it come and go?",
  "Have you noticed any rash on your skin, bleeding from your gums or nose, or blood in your urine?",
  "Are you taking any medicines at the moment, including anything from the chemist or home remedies?",
  "Do you have any allergies to medicines or foods that you know of, and what happens when you take them?",
  "Has anyone else at home or in your neighbourhood had a similar illness over the last few weeks?",
  "How has your appetite been, and have you been able to drink enough water during these last days?",
  "Tell me a little about your work and your home, who lives with you and what you do every day.",
  "What do you think might be causing all of this, and is there anything in particular worrying you?",
  "Is there anything else you would like to tell me before I examine you and we talk about next steps?",
];

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
};
const ms = (start: number): number => performance.now() - start;

async function modelFile(quant: CreateQuant): Promise<string> {
  const out = join(tmpdir(), `medsim-bench-${preset}-${quant}.gguf`);
  if (existsSync(out)) return out;
  const arch = presetArchitecture(preset);
  if (arch === undefined) throw new Error(`preset ${preset} has no fixed architecture`);
  const start = performance.now();
  await createModelFile({ arch, preset, quant, out, seed: 1 });
  console.log(`created ${out} in ${(ms(start) / 1000).toFixed(1)} s`);
  return out;
}

const patientCase = await cases.get(caseId);
const persona = await personas.get(personaId);
console.log(
  `turn latency: ${preset}, case ${caseId}, persona ${personaId}, ${turnCount} turns, ${compact ? "compact" : "full"} system prompt, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`,
);

for (const quant of quants) {
  const path = await modelFile(quant);
  const engine = await LlamaEngine.load({ model: path });
  const systemPrompt = buildSystemPrompt(patientCase, persona, compact ? { style: "compact" } : {});
  const setup = { patientCase, persona, systemPrompt };
  const promptTokens = engine.tokenCount(systemPrompt);

  let start = performance.now();
  const first = await engine.openConversation(setup);
  const coldOpen = ms(start);
  await first.dispose();
  start = performance.now();
  const conversation = await engine.openConversation(setup);
  const reusedOpen = ms(start);

  const firstToken: number[] = [];
  const turnTokens: number[] = [];
  let decodedTokens = 0;
  let decodeSeconds = 0;
  const transcript: DialogueTurn[] = [];
  for (let turn = 0; turn < turnCount; turn++) {
    transcript.push({ role: "doctor", content: QUESTIONS[turn % QUESTIONS.length]! });
    const begin = performance.now();
    let firstAt: number | undefined;
    let chunks = 0;
    const evaluatedBefore = conversation.evaluatedInputTokens();
    for await (const chunk of conversation.reply(transcript, { maxTokens: 32, temperature: 0.7, seed: turn })) {
      firstAt ??= performance.now();
      if (chunk) chunks++;
    }
    const end = performance.now();
    firstToken.push((firstAt ?? end) - begin);
    turnTokens.push(conversation.evaluatedInputTokens() - evaluatedBefore);
    // Each chunk of node-llama-cpp's text stream is one generated token (or a few merged bytes).
    decodedTokens += Math.max(0, chunks - 1);
    decodeSeconds += (end - (firstAt ?? end)) / 1000;
    // Random weights write filler tokens whose text re-tokenizes into hundreds of byte tokens, which
    // a real model's reply never does; keep a plain sentence instead, so the next turn evaluates
    // that sentence (~60 tokens here) and its question: a little more than a real model's turn.
    transcript.push({ role: "patient", content: "It started three days ago with a high fever and body ache." });
  }
  await conversation.dispose();
  await engine.dispose();
  console.log(
    [
      `${quant}: system prompt ${promptTokens} tokens`,
      `open ${coldOpen.toFixed(0)} ms (evaluated) / ${reusedOpen.toFixed(0)} ms (reused state)`,
      `first token p50 ${percentile(firstToken, 50).toFixed(0)} ms, p95 ${percentile(firstToken, 95).toFixed(0)} ms (input tokens evaluated per turn: p50 ${percentile(turnTokens, 50)})`,
      `decode ${(decodedTokens / decodeSeconds).toFixed(1)} tokens/s`,
    ].join("; "),
  );
}
