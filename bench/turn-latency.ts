/**
 * Turn latency of the llama engine on a real model shape with random weights (nothing downloaded):
 * session open time (system prompt evaluated; state kept in an idle context; saved state loaded
 * into a new context), first-token latency of turns 1..N (p50, p95) with the tokens each turn
 * evaluates (without prepare, with the kept reply prepared, and with the question's draft evaluated
 * while the student types), and decode tokens/s.
 *
 * The same run measures two references on a context of their own: node-llama-cpp's LlamaChatSession
 * driven as the engine drove it before (history synced with `setChatHistory`, the next turn prepared
 * with `preloadPrompt`), and the floor: `LlamaContextSequence.evaluate` of exactly a turn's new
 * tokens to the first sampled token, with nothing else around it.
 *
 * Run: npx tsx bench/turn-latency.ts [--preset qwen2.5-0.5b] [--quant q4_0,q8_0] [--case dengue-fever]
 *      [--persona anxious] [--turns 10] [--compact] [--threads N] [--batch N] [--flash-attention on|off|auto (default off, as the engine)]
 *      [--no-reference] (skips the LlamaChatSession reference and the floor, ~10 s of system prompt each)
 * Models are created once in the temp directory (~30 s each) and reused by later runs.
 */
import { existsSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { cases, personas } from "../src/library/index.js";
import { buildSystemPrompt } from "../src/simulator/prompt.js";
import { LlamaEngine, type LlamaConversation } from "../src/engines/llama/index.js";
import type { DialogueTurn } from "../src/domain/index.js";
import { createModelFile, MODEL_FACTORY_VERSION, presetArchitecture, type CreateQuant } from "../src/model/index.js";
import { getLlama, LlamaChatSession, LlamaLogLevel, resolveChatWrapper, type ChatHistoryItem } from "node-llama-cpp";

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
const threads = args.includes("--threads") ? Number(option("--threads", "")) : undefined;
const batchSize = args.includes("--batch") ? Number(option("--batch", "")) : undefined;
const flash = option("--flash-attention", "off");
// The engine's default is off; the references use the same setting as the engine.
const flashAttention = flash === "on" ? true : flash === "auto" ? "auto" : false;
const reference = !args.includes("--no-reference");

// Student questions of ~30 tokens as this model's tokenizer counts them (the bench prints the
// range). The qwen2.5-0.5b preset's vocabulary is cl100k_base, which Qwen2.5's tokenizer extends,
// so these are about as long to a real Qwen model (about 4 characters a token). The chat template
// adds 9 tokens a turn.
const QUESTIONS = [
  "Good morning, I am the house surgeon on duty today. Please sit down and tell me, what brings you to the hospital this morning?",
  "When exactly did the fever start, and does it come and go during the day or does it stay high all the time, even at night?",
  "Have you noticed any rash on your skin, any bleeding from your gums or nose, or any blood in your urine or stools since then?",
  "Are you taking any medicines at the moment, either from a doctor, from the chemist shop, or any home remedies that someone gave you?",
  "Do you have any allergies to medicines, injections or foods that you know of, or has any tablet ever given you a reaction before?",
  "Has anyone at home, in your building or in your neighbourhood had a similar illness with fever recently, in the last few weeks?",
  "How has your appetite been over these days, and are you able to drink enough water and pass urine normally, as much as usual?",
  "Tell me a little about your work, about your home, and about who lives there with you, and whether anyone else there is unwell.",
  "What do you yourself think is causing all this, and what is the thing that worries you the most about it right now, honestly?",
  "Is there anything else that you would like to tell me or ask me about before I examine you and we talk about the next steps?",
];
// Random weights write gibberish; the transcript keeps a plain reply instead, as the simulator
// keeps its own text when the guard replaced a reply or the sentence limit cut it.
const REPLY = "It started three days ago with a high fever and body ache.";

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
};
const ms = (start: number): number => performance.now() - start;
// CPU time of the whole process (llama.cpp's threads included): on a shared machine the wall time
// to the first token grows with other people's load, the work done for it much less so.
const cpuMs = (): number => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");

async function modelFile(quant: CreateQuant): Promise<string> {
  const out = join(tmpdir(), `medsim-bench-${preset}-${quant}-v${MODEL_FACTORY_VERSION}.gguf`);
  if (existsSync(out)) return out;
  const arch = presetArchitecture(preset);
  if (arch === undefined) throw new Error(`preset ${preset} has no fixed architecture`);
  const start = performance.now();
  await createModelFile({ arch, preset, quant, out, seed: 1 });
  console.log(`created ${out} in ${(ms(start) / 1000).toFixed(1)} s`);
  return out;
}

interface TurnFigures {
  firstToken: number[];
  /** CPU milliseconds of this process from the question to the first token. */
  firstTokenCpu: number[];
  /** Input tokens evaluated between the question and the first token. */
  evaluated: number[];
  /** Input tokens evaluated ahead by `prepare` while the student types. */
  prepared: number[];
  /** Tokens of the question's draft evaluated ahead while the student types. */
  drafted: number[];
  decodedTokens: number;
  decodeSeconds: number;
}

/**
 * Asks the questions. "prepare": the engine evaluates each kept reply before the next question;
 * "draft": also the question as typed so far, all but its last word (a student types a 30-token
 * question in 10-30 s; speech recognition gives partial text the same way).
 */
async function runTurns(conversation: LlamaConversation, mode: "none" | "prepare" | "draft"): Promise<TurnFigures> {
  const figures: TurnFigures = {
    firstToken: [],
    firstTokenCpu: [],
    evaluated: [],
    prepared: [],
    drafted: [],
    decodedTokens: 0,
    decodeSeconds: 0,
  };
  const transcript: DialogueTurn[] = [];
  for (let turn = 0; turn < turnCount; turn++) {
    const question = QUESTIONS[turn % QUESTIONS.length]!;
    if (mode === "draft") {
      const before = conversation.evaluatedInputTokens();
      // Typed up to the last word (and the space before it); the engine leaves the word being typed.
      await conversation.prepare(transcript, { draft: question.slice(0, question.lastIndexOf(" ") + 1) });
      figures.drafted.push(conversation.evaluatedInputTokens() - before);
    }
    transcript.push({ role: "doctor", content: question });
    const evaluatedBefore = conversation.evaluatedInputTokens();
    const begin = performance.now();
    const beginCpu = cpuMs();
    let firstAt: number | undefined;
    let firstCpu: number | undefined;
    let chunks = 0;
    for await (const chunk of conversation.reply(transcript, { maxTokens: 32, temperature: 0.7, seed: turn })) {
      firstCpu ??= cpuMs();
      firstAt ??= performance.now();
      if (chunk) chunks++;
    }
    const end = performance.now();
    figures.firstToken.push((firstAt ?? end) - begin);
    figures.firstTokenCpu.push((firstCpu ?? cpuMs()) - beginCpu);
    // All input tokens of a turn are evaluated in one batch before the first token.
    figures.evaluated.push(conversation.evaluatedInputTokens() - evaluatedBefore);
    // Each chunk of node-llama-cpp's text stream is one generated token (or a few merged bytes).
    figures.decodedTokens += Math.max(0, chunks - 1);
    figures.decodeSeconds += (end - (firstAt ?? end)) / 1000;
    transcript.push({ role: "patient", content: REPLY });
    if (mode !== "none") {
      // The student reads the reply and types the next question meanwhile (seconds).
      const before = conversation.evaluatedInputTokens();
      await conversation.prepare(transcript);
      figures.prepared.push(conversation.evaluatedInputTokens() - before);
    }
  }
  return figures;
}

/**
 * The references on a context of their own: node-llama-cpp's LlamaChatSession as the engine used
 * it before (first-token latency of each turn, the next turn prepared with `preloadPrompt`), then
 * the floor: `sequence.evaluate` of each turn's new tokens (the question in the chat template) to
 * the first sampled token.
 */
async function referenceTurns(path: string, systemPrompt: string) {
  const llama = await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });
  const model = await llama.loadModel({ modelPath: path });
  const chatWrapper = resolveChatWrapper(model);
  const context = await model.createContext({
    contextSize: { max: 4096 },
    threads: threads ?? availableParallelism(),
    ...(batchSize === undefined ? {} : { batchSize }),
    flashAttention,
  });
  try {
    const sequence = context.getSequence();
    const session = new LlamaChatSession({ contextSequence: sequence, systemPrompt, chatWrapper });
    await session.preloadPrompt("");
    const chatSession: number[] = [];
    const chatSessionCpu: number[] = [];
    const history: ChatHistoryItem[] = [{ type: "system", text: systemPrompt }];
    for (let turn = 0; turn < turnCount; turn++) {
      const question = QUESTIONS[turn % QUESTIONS.length]!;
      const begin = performance.now();
      const beginCpu = cpuMs();
      let firstAt: number | undefined;
      let firstCpu: number | undefined;
      await session.prompt(question, {
        onTextChunk: () => {
          firstCpu ??= cpuMs();
          firstAt ??= performance.now();
        },
        maxTokens: 32,
        temperature: 0.7,
        seed: turn,
      });
      chatSession.push((firstAt ?? performance.now()) - begin);
      chatSessionCpu.push((firstCpu ?? cpuMs()) - beginCpu);
      history.push({ type: "user", text: question }, { type: "model", response: [REPLY] });
      session.setChatHistory(history);
      await session.preloadPrompt("");
    }
    session.dispose();
    const floor: number[] = [];
    const floorCpu: number[] = [];
    const inputTokens: number[] = [];
    const prepared = [...sequence.contextTokens];
    for (let turn = 0; turn < turnCount; turn++) {
      const tokens = chatWrapper
        .generateContextState({
          chatHistory: [
            ...history,
            { type: "user", text: QUESTIONS[turn % QUESTIONS.length]! },
            { type: "model", response: [] },
          ],
        })
        .contextText.tokenize(model.tokenizer);
      const start = sequence.compareContextTokens(tokens).firstDifferentIndex;
      await sequence.eraseContextTokenRanges([{ start, end: sequence.nextTokenIndex }]);
      const begin = performance.now();
      const beginCpu = cpuMs();
      const iterator = sequence.evaluate(tokens.slice(start), { temperature: 0.7, seed: turn });
      await iterator.next();
      floor.push(performance.now() - begin);
      floorCpu.push(cpuMs() - beginCpu);
      inputTokens.push(tokens.length - start);
      await iterator.return();
      await sequence.eraseContextTokenRanges([{ start: prepared.length, end: sequence.nextTokenIndex }]);
    }
    return { chatSession, chatSessionCpu, floor, floorCpu, inputTokens };
  } finally {
    await context.dispose();
    await model.dispose();
  }
}

const patientCase = await cases.get(caseId);
const persona = await personas.get(personaId);
const settings = [
  `threads ${threads ?? "default"}`,
  `batch ${batchSize ?? "default"}`,
  `flash attention ${flash}`,
].join(", ");
console.log(
  `turn latency: ${preset}, case ${caseId}, persona ${personaId}, ${turnCount} turns, ${compact ? "compact" : "full"} system prompt, ${settings}; load average ${load()}`,
);

for (const quant of quants) {
  const path = await modelFile(quant);
  const engine = await LlamaEngine.load({
    model: path,
    ...(threads === undefined ? {} : { threads }),
    ...(batchSize === undefined ? {} : { batchSize }),
    flashAttention,
  });
  const systemPrompt = buildSystemPrompt(patientCase, persona, compact ? { style: "compact" } : {});
  const setup = { patientCase, persona, systemPrompt };
  const promptTokens = engine.tokenCount(systemPrompt);
  const questionTokens = QUESTIONS.map((question) => engine.tokenCount(question));

  let start = performance.now();
  const first = await engine.openConversation(setup);
  const evaluatedOpen = ms(start);
  // A second session at the same time needs a context of its own: the saved state is loaded into it.
  start = performance.now();
  const second = await engine.openConversation(setup);
  const fileOpen = ms(start);
  const fromFile = second.evaluatedInputTokens();
  const baseline = await runTurns(second, "none");
  await second.dispose();
  await first.dispose();
  // The context of a finished session is kept with its system prompt still evaluated.
  start = performance.now();
  const conversation = await engine.openConversation(setup);
  const keptOpen = ms(start);
  const kept = conversation.evaluatedInputTokens();
  const figures = await runTurns(conversation, "prepare");
  await conversation.dispose();
  const draftConversation = await engine.openConversation(setup);
  const drafted = await runTurns(draftConversation, "draft");
  await draftConversation.dispose();
  await engine.dispose();
  if (fromFile !== 0 || kept !== 0) throw new Error(`a reused open evaluated ${fromFile + kept} tokens`);
  const references = reference ? await referenceTurns(path, systemPrompt) : undefined;
  const p50p95 = (values: number[], cpu: number[]) =>
    `first token p50 ${percentile(values, 50).toFixed(0)} ms, p95 ${percentile(values, 95).toFixed(0)} ms (CPU p50 ${percentile(cpu, 50).toFixed(0)} ms)`;

  const turns = (f: TurnFigures) =>
    `${p50p95(f.firstToken, f.firstTokenCpu)}, input tokens a turn p50 ${percentile(f.evaluated, 50)}`;
  console.log(
    [
      `${quant}: system prompt ${promptTokens} tokens, questions ${Math.min(...questionTokens)}-${Math.max(...questionTokens)} tokens`,
      `  open: ${evaluatedOpen.toFixed(0)} ms evaluated, ${fileOpen.toFixed(0)} ms saved state into a new context, ${keptOpen.toFixed(0)} ms kept context`,
      `  turns, reply evaluated ahead (prepare): ${turns(figures)} (${percentile(figures.prepared, 50)} tokens ahead)`,
      `  turns, draft evaluated while typing (all but the last word): ${turns(drafted)} (${percentile(drafted.drafted, 50)} draft tokens ahead)`,
      `  turns, baseline without prepare: ${turns(baseline)}`,
      ...(references
        ? [
            `  reference, LlamaChatSession as the engine used it before (prepared with preloadPrompt): ${p50p95(references.chatSession, references.chatSessionCpu)}`,
            `  floor, sequence.evaluate of the turn's new tokens only: ${p50p95(references.floor, references.floorCpu)}, input tokens a turn p50 ${percentile(references.inputTokens, 50)}`,
          ]
        : []),
      `  decode ${((figures.decodedTokens + baseline.decodedTokens + drafted.decodedTokens) / (figures.decodeSeconds + baseline.decodeSeconds + drafted.decodeSeconds)).toFixed(1)} tokens/s`,
    ].join("\n"),
  );
}
console.log(`load average at the end ${load()}`);
