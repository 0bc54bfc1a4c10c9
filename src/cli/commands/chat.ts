import { createInterface } from "node:readline";
import type { Command } from "commander";
import type { PatientEngine } from "../../engines/index.js";
import { MAX_DOCTOR_TEXT_LENGTH, type PatientSimulator } from "../../simulator/index.js";
import { writeFileAtomic } from "../../util/files.js";
import { addPatientSessionOptions, openSimulator, patientFromFlags, type PatientFlags } from "../engine-options.js";
import { printJson } from "../output.js";

interface ChatFlags extends PatientFlags {
  json?: boolean;
  save?: string;
}

const HELP =
  "Ask your questions. Commands: /facts (what the patient has told you), /save <file>, /quit. Ctrl-C stops a reply.";

export function registerChatCommand(program: Command): void {
  addPatientSessionOptions(
    program
      .command("chat")
      .description("talk to a simulated patient in the terminal (questions are read line by line from stdin)")
      .requiredOption("--case <case>", "case id or file")
      .requiredOption("--persona <persona>", "persona id or file")
      .option("--save <file>", "save the session (transcript and disclosed facts) as JSON at the end")
      .option("--json", "print nothing while chatting; print the session record as one JSON object at the end"),
  ).action(runChat);
}

/** Where the chat writes: stdout, or nothing with `--json` (the record is printed at the end). */
type Say = (text: string) => void;

async function runChat(flags: ChatFlags): Promise<void> {
  const { patientCase, persona, engine } = await patientFromFlags(flags);
  const simulator = await openSimulator(
    { patientCase, persona, engine, generation: { seed: flags.seed, temperature: flags.temperature } },
    flags.systemPrompt,
  );
  const say: Say = (text) => {
    if (!flags.json) process.stdout.write(text);
  };
  const d = patientCase.demographics;
  const engineLabel = engine.modelName === engine.name ? engine.name : `${engine.name} ${engine.modelName}`;
  say(
    `${patientCase.title}\nPatient: ${d.name}, ${d.age}, ${d.occupation}, ${d.region} (${persona.name}; engine: ${engineLabel})\n${HELP}\n\n`,
  );

  const lines = createInterface({
    input: process.stdin,
    output: flags.json ? undefined : process.stdout,
    terminal: Boolean(process.stdin.isTTY && !flags.json),
  });
  let current: AbortController | undefined;
  // Ctrl-C stops the reply in progress; between replies it ends the chat.
  lines.on("SIGINT", () => {
    if (current) current.abort();
    else lines.close();
  });
  const prompt = () => {
    if (flags.json || !process.stdin.isTTY) return;
    lines.setPrompt("You: ");
    lines.prompt();
  };
  prompt();
  try {
    for await (const line of lines) {
      const text = line.trim();
      const handled = await handleChatLine(text, simulator, say);
      if (handled === "quit") break;
      if (handled === "question") {
        current = new AbortController();
        await askPatient(simulator, text, d.name, current.signal, say);
        current = undefined;
      }
      prompt();
    }
  } finally {
    lines.close();
    await endChat(flags, simulator, engine, say);
  }
}

/**
 * Answers a line that is not a question for the patient (empty, too long, a /command) and says
 * what it did; `question` when the line is one for the patient.
 */
async function handleChatLine(
  text: string,
  simulator: PatientSimulator,
  say: Say,
): Promise<"quit" | "handled" | "question"> {
  if (!text) {
    say("(type a question for the patient, or /quit to end)\n");
    return "handled";
  }
  if (text.length > MAX_DOCTOR_TEXT_LENGTH) {
    say(`(that line is ${text.length} characters; the limit is ${MAX_DOCTOR_TEXT_LENGTH}: please ask it shorter)\n`);
    return "handled";
  }
  if (text === "/quit" || text === "/exit") return "quit";
  if (text === "/facts") {
    const facts = simulator.disclosedFacts;
    say(
      facts.length === 0
        ? "(nothing disclosed yet)\n"
        : `${facts.map((fact) => `  ${fact.id}: ${fact.text}`).join("\n")}\n`,
    );
    say(`(${facts.length} of ${simulator.caseFacts.length} facts)\n`);
    return "handled";
  }
  if (text.startsWith("/save ")) {
    await writeFileAtomic(text.slice(6).trim(), `${JSON.stringify(simulator.toRecord(), null, 2)}\n`);
    say("(saved)\n");
    return "handled";
  }
  return "question";
}

/** Streams the patient's reply to one question (echoing the question when stdin is not a terminal). */
async function askPatient(
  simulator: PatientSimulator,
  text: string,
  patientName: string,
  signal: AbortSignal,
  say: Say,
): Promise<void> {
  if (!process.stdin.isTTY) say(`You: ${text}\n`);
  say(`${patientName}: `);
  const stream = simulator.respondStream(text, { signal });
  for await (const chunk of stream.textStream) say(chunk);
  await stream.reply;
  say("\n\n");
}

/** Saves the session (`--save`), frees the engine, and prints the record (`--json`) or a summary. */
async function endChat(flags: ChatFlags, simulator: PatientSimulator, engine: PatientEngine, say: Say): Promise<void> {
  const record = simulator.toRecord();
  if (flags.save) await writeFileAtomic(flags.save, `${JSON.stringify(record, null, 2)}\n`);
  await simulator.dispose();
  await engine.dispose();
  if (flags.json) printJson(record);
  else
    say(
      `Session ended: ${record.turns.length / 2} questions, ${record.disclosedFactIds.length} of ${simulator.caseFacts.length} facts disclosed.\n`,
    );
}
