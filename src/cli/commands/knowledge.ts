import type { Command } from "commander";
import { stringify as toYaml } from "yaml";
import {
  diseaseSymptoms,
  findDisease,
  importSymptomCsv,
  loadKnowledgeBase,
  symptomPhrase,
} from "../../knowledge/index.js";
import { writeFileAtomic } from "../../util/files.js";
import { printJson, printTable } from "../output.js";

/** `medsim knowledge list|show|import`: the disease knowledge base. */
export function registerKnowledgeCommands(program: Command): void {
  const group = program.command("knowledge").description("the disease knowledge base behind the synthetic data");
  registerKnowledgeList(group);
  registerKnowledgeShow(group);
  registerKnowledgeImport(group);
}

/** `medsim knowledge list`. */
function registerKnowledgeList(group: Command): void {
  group
    .command("list")
    .description("list the diseases of the knowledge base")
    .option("--knowledge <file>", "a knowledge base file or folder (default: the built-in one)")
    .option("--json", "print a JSON array")
    .action(async (options: { knowledge?: string; json?: boolean }) => {
      const kb = await loadKnowledgeBase(options.knowledge);
      const rows = kb.diseases.map((disease) => ({
        id: disease.id,
        name: disease.name,
        category: disease.category,
        critical: disease.critical,
        symptoms: Object.keys(disease.symptoms).length,
        hindi: disease.india.localNames.hindi ?? "",
      }));
      if (options.json) return printJson(rows);
      printTable([
        ["ID", "NAME", "CATEGORY", "CRITICAL", "HINDI"],
        ...rows.map((row) => [row.id, row.name, row.category, row.critical ? "yes" : "no", row.hindi]),
      ]);
    });
}

/** `medsim knowledge show`. */
function registerKnowledgeShow(group: Command): void {
  group
    .command("show")
    .description("show one disease: symptoms with weights, precautions, red flags, Indian context")
    .argument("<disease>", "disease id or name")
    .option("--knowledge <file>", "a knowledge base file or folder (default: the built-in one)")
    .option("--json", "print the disease as JSON")
    .action(async (idOrName: string, options: { knowledge?: string; json?: boolean }) => {
      const kb = await loadKnowledgeBase(options.knowledge);
      const disease = findDisease(kb, idOrName);
      if (options.json) return printJson(disease);
      const out = (text: string) => process.stdout.write(`${text}\n`);
      out(
        `${disease.name} (${disease.id}) — ${disease.category}${disease.critical ? ", critical: always needs a doctor" : ""}`,
      );
      out(disease.description);
      out(
        `Typical: ages ${disease.demographics.ages[0]}-${disease.demographics.ages[1]}, ${disease.demographics.sex === "any" ? "any sex" : `mostly ${disease.demographics.sex}`}; ${disease.duration.onset} onset, seen after ${disease.duration.days[0]}-${disease.duration.days[1]} days`,
      );
      out("Symptoms (weight 1-7):");
      for (const symptom of diseaseSymptoms(disease))
        out(`  ${String(symptom.weight).padStart(2)}  ${symptom.id.padEnd(30)} "${symptomPhrase(kb, symptom.id)}"`);
      out("Precautions:");
      disease.precautions.forEach((precaution, index) => out(`  ${index + 1}. ${precaution}`));
      out(`Red flags: ${disease.redFlags.join("; ")}`);
      out(`India: ${disease.india.prevalence}`);
      out(`Access: ${disease.india.access}`);
      out(
        `Local names: ${Object.entries(disease.india.localNames)
          .map(([language, name]) => `${name} (${language})`)
          .join(", ")}`,
      );
    });
}

/** `medsim knowledge import`. */
function registerKnowledgeImport(group: Command): void {
  group
    .command("import")
    .description(
      "build a knowledge base from the disease-symptom CSV set (dataset.csv, Symptom-severity.csv, ...) in a folder",
    )
    .argument(
      "<dir>",
      "folder with dataset.csv and, optionally, Symptom-severity.csv, symptom_Description.csv, symptom_precaution.csv",
    )
    .requiredOption("--out <file>", "knowledge base file to write (JSON or YAML), usable with --knowledge")
    .option("--json", "print the report as JSON")
    .action(async (dir: string, options: { out: string; json?: boolean }) => {
      const { knowledgeBase, report } = await importSymptomCsv(dir, { base: await loadKnowledgeBase() });
      const text = options.out.endsWith(".json")
        ? `${JSON.stringify(knowledgeBase, null, 2)}\n`
        : toYaml(knowledgeBase, { lineWidth: 0 });
      await writeFileAtomic(options.out, text);
      if (options.json) return printJson({ ...report, out: options.out });
      process.stdout.write(
        `wrote ${knowledgeBase.diseases.length} diseases and ${Object.keys(knowledgeBase.symptoms).length} symptoms to ${options.out}\n`,
      );
      for (const line of report.fixes) process.stdout.write(`  fixed: ${line}\n`);
    });
}
