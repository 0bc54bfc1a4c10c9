import type { Command } from "commander";
import { listCaseFacts, PUBLIC_CASE_ID_PATTERN, publicCaseId } from "../../domain/index.js";
import { cases } from "../../library/index.js";
import { findCaseLeaks } from "../../simulator/index.js";
import { MedsimError } from "../../util/errors.js";
import { printJson, printTable } from "../output.js";

export function registerCaseCommands(program: Command): void {
  const group = program.command("cases").description("list, show and validate case scripts");

  group
    .command("list")
    .description("list the built-in cases: internal id (names the diagnosis) and the public id students see")
    .option("--json", "print a JSON array")
    .action(async (options: { json?: boolean }) => {
      const all = await cases.list();
      const rows = all.map((item) => ({
        id: item.id,
        publicId: publicCaseId(item.id),
        title: item.title,
        chiefComplaint: item.chiefComplaint,
        age: item.demographics.age,
        sex: item.demographics.sex,
      }));
      if (options.json) return printJson(rows);
      printTable([
        ["ID", "PUBLIC ID", "PATIENT", "CHIEF COMPLAINT"],
        ...rows.map((row) => [row.id, row.publicId, `${row.age}${row.sex[0]?.toUpperCase()}`, row.chiefComplaint]),
      ]);
    });

  group
    .command("show")
    .description("show one case script, diagnosis included (a built-in id, a public id or a JSON/YAML file)")
    .argument("<case>", "case id, public id (case-…) or file")
    .option("--json", "print the case as JSON")
    .action(async (idOrFile: string, options: { json?: boolean }) => {
      const item = await cases.get(await internalCaseId(idOrFile));
      if (options.json) return printJson(item);
      const d = item.demographics;
      process.stdout.write(
        `${item.title} (${item.id}; students see ${publicCaseId(item.id)})\n${d.name}, ${d.age}, ${d.sex}, ${d.occupation}, ${d.region}; speaks ${d.language}\n`,
      );
      process.stdout.write(
        `Chief complaint: ${item.chiefComplaint}\nDiagnosis (hidden from the student): ${item.diagnosis.primary}\n\nFacts:\n`,
      );
      for (const fact of listCaseFacts(item)) {
        const how =
          fact.revealedBy === "ask" ? (fact.volunteer ? "volunteers" : "when asked") : `on ${fact.revealedBy}`;
        process.stdout.write(`  ${fact.id.padEnd(22)} [${how}] ${fact.label ? `${fact.label}: ` : ""}${fact.text}\n`);
      }
    });

  group
    .command("validate")
    .description("validate case files (JSON or YAML); exits non-zero if any is invalid")
    .argument("<files...>", "case files")
    .option("--json", "print the results as JSON")
    .action(async (files: string[], options: { json?: boolean }) => {
      const results: { file: string; valid: boolean; id?: string; error?: string }[] = [];
      for (const file of files) {
        try {
          const item = await cases.loadFile(file);
          // Anything the patient may say must not name the diagnosis: the guard would withhold it.
          const leaks = findCaseLeaks(item);
          if (leaks.length > 0)
            results.push({
              file,
              valid: false,
              id: item.id,
              error: `${file}: ${leaks.map((leak) => `${leak.field}: names the diagnosis ("${leak.term}")`).join("; ")}`,
            });
          else results.push({ file, valid: true, id: item.id });
        } catch (error) {
          if (!(error instanceof MedsimError)) throw error;
          results.push({ file, valid: false, error: error.message });
        }
      }
      if (options.json) printJson({ valid: results.every((result) => result.valid), results });
      else
        for (const result of results)
          process.stdout.write(result.valid ? `ok      ${result.file} (${result.id})\n` : `invalid ${result.error}\n`);
      if (!results.every((result) => result.valid)) process.exitCode = 1;
    });
}

/** The built-in id behind a public id (`case-…`), so an educator can look up a student's case; anything else as given. */
async function internalCaseId(idOrFile: string): Promise<string> {
  if (!PUBLIC_CASE_ID_PATTERN.test(idOrFile)) return idOrFile;
  return (await cases.ids()).find((id) => publicCaseId(id) === idOrFile) ?? idOrFile;
}
