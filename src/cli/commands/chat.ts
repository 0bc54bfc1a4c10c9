import { createInterface } from "node:readline";
import type { Command } from "commander";
import { MAX_DOCTOR_TEXT_LENGTH } from "../../simulator/index.js";
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
  ).action(async (flags: ChatFlags) => {
    const { patientCase, persona, engine } = await patientFromFlags(flags);
    const simulator = await openSimulator(
      { patientCase, persona, engine, generation: { seed: flags.seed, temperature: flags.temperature } },
      flags.systemPrompt,
    );
    const say = (text: string) => {
      if (!flags.json) process.stdout.write(text);
    };
    const d = patientCase.demographics;
    say(
      `${patientCase.title}\nPatient: ${d.name}, ${d.age}, ${d.occupation}, ${d.region} (${persona.name}; engine: ${engine.modelName === engine.name ? engine.name : `${engine.name} ${engine.modelName}`})\n${HELP}\n\n`,
    );

    const lines = createInterface({
      input: process.stdin,
      output: flags.json ? undefined : process.stdout,
      terminal: Boolean(process.stdin.isTTY && !flags.json),
    });
    let current: AbortController | undefined;
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
        if (!text) {
          say("(type a question for the patient, or /quit to end)\n");
          prompt();
          continue;
        }
        if (text.length > MAX_DOCTOR_TEXT_LENGTH) {
          say(
            `(that line is ${text.length} characters; the limit is ${MAX_DOCTOR_TEXT_LENGTH}: please ask it shorter)\n`,
          );
          prompt();
          continue;
        }
        if (text === "/quit" || text === "/exit") break;
        if (text === "/facts") {
          const facts = simulator.disclosedFacts;
          say(
            facts.length === 0
              ? "(nothing disclosed yet)\n"
              : `${facts.map((fact) => `  ${fact.id}: ${fact.text}`).join("\n")}\n`,
          );
          say(`(${facts.length} of ${simulator.caseFacts.length} facts)\n`);
          prompt();
          continue;
        }
        if (text.startsWith("/save ")) {
          await writeFileAtomic(text.slice(6).trim(), `${JSON.stringify(simulator.toRecord(), null, 2)}\n`);
          say("(saved)\n");
          prompt();
          continue;
        }
        current = new AbortController();
        if (!process.stdin.isTTY) say(`You: ${text}\n`);
        say(`${d.name}: `);
        const stream = simulator.respondStream(text, { signal: current.signal });
        for await (const chunk of stream.textStream) say(chunk);
        await stream.reply;
        current = undefined;
        say("\n\n");
        prompt();
      }
    } finally {
      lines.close();
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
  });
}
