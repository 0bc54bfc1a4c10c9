import type { Command } from "commander";
import { addPatientSessionOptions, openSimulator, patientFromFlags, type PatientFlags } from "../engine-options.js";
import { parseInteger, printJson } from "../output.js";

/** The case used when `generate` is called without `--case`. */
export const DEFAULT_CASE_ID = "dengue-fever";

interface GenerateFlags extends PatientFlags {
  input: string;
  json?: boolean;
  maxTokens?: number;
}

export function registerGenerateCommand(program: Command): void {
  addPatientSessionOptions(
    program
      .command("generate")
      .description("one patient reply to one doctor utterance")
      .requiredOption("--persona <persona>", "persona id or file")
      .requiredOption("--input <text>", "what the doctor says")
      .option("--case <case>", "case id or file", DEFAULT_CASE_ID)
      .option("--max-tokens <n>", "longest reply in tokens (default 200)", parseInteger("--max-tokens", 1, 4096))
      .option("--json", 'print {"reply", "persona", "case", "engine"}'),
  ).action(async (flags: GenerateFlags) => {
    const { patientCase, persona, engine } = await patientFromFlags(flags);
    try {
      const simulator = await openSimulator({ patientCase, persona, engine }, flags.systemPrompt);
      const reply = await simulator.respond(flags.input, {
        seed: flags.seed,
        temperature: flags.temperature,
        maxTokens: flags.maxTokens,
      });
      await simulator.dispose();
      if (flags.json)
        printJson({
          reply: reply.text,
          persona: persona.id,
          case: patientCase.id,
          engine: engine.name,
          model: engine.modelName,
          disclosedFactIds: reply.newlyDisclosedFactIds,
        });
      else process.stdout.write(`${reply.text}\n`);
    } finally {
      await engine.dispose();
    }
  });
}
