import type { Command } from "commander";
import { personas } from "../../library/index.js";
import { printJson, printTable } from "../output.js";

export function registerPersonaCommands(program: Command): void {
  const group = program.command("personas").description("list and show patient personas");

  group
    .command("list")
    .description("list the built-in personas")
    .option("--json", "print a JSON array")
    .action(async (options: { json?: boolean }) => {
      const all = await personas.list();
      if (options.json) {
        printJson(
          all.map((persona) => ({
            id: persona.id,
            name: persona.name,
            description: persona.description,
            axes: persona.axes,
          })),
        );
        return;
      }
      printTable([
        ["ID", "NAME", "DESCRIPTION"],
        ...all.map((persona) => [persona.id, persona.name, persona.description]),
      ]);
    });

  group
    .command("show")
    .description("show one persona (a built-in id or a JSON/YAML file)")
    .argument("<persona>", "persona id or file")
    .option("--json", "print the persona as JSON")
    .action(async (idOrFile: string, options: { json?: boolean }) => {
      const persona = await personas.get(idOrFile);
      if (options.json) return printJson(persona);
      const { axes } = persona;
      process.stdout.write(
        [
          `${persona.name} (${persona.id})`,
          persona.description,
          `personality: ${axes.personality}; language: ${axes.languageProficiency}; recall: ${axes.recall}; confusion: ${axes.confusion}`,
          `at most ${persona.sentenceLimit} sentences a reply`,
          "traits:",
          ...persona.traits.map((trait) => `  - ${trait}`),
          "examples:",
          ...persona.examples.map((example) => `  "${example}"`),
          "",
        ].join("\n"),
      );
    });
}
