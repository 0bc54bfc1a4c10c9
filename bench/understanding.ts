/**
 * How well the scripted patient understands realistic student questions: asks every question of a
 * bank (default data/understanding/questions.yaml) in a fresh session and prints the share whose
 * reply reveals the expected facts, the misses, and any reply that names the diagnosis.
 * Run: npx tsx bench/understanding.ts [--bank file.yaml] [--persona calm] [--quiet]
 * Exits 1 when the rate is under 90%, a reply's speech names the diagnosis, or a history question
 * gets examination or test narration ("unasked results").
 */
import { join } from "node:path";
import { ScriptedEngine } from "../src/engines/index.js";
import { cases, dataDirectory, personas } from "../src/library/index.js";
import { loadQuestionBank, measureUnderstanding } from "../src/simulator/understanding.js";

const args = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const at = args.indexOf(name);
  return at >= 0 ? (args[at + 1] ?? fallback) : fallback;
};
const bankPath = option("--bank", join(dataDirectory, "understanding", "questions.yaml"));
const result = await measureUnderstanding({
  bank: await loadQuestionBank(bankPath),
  getCase: (id) => cases.get(id),
  persona: await personas.get(option("--persona", "calm")),
  engine: new ScriptedEngine(),
});
if (!args.includes("--quiet"))
  for (const miss of result.misses)
    console.log(
      `miss  ${miss.caseId}: "${miss.question}" expected ${miss.expected.join(", ")}; revealed ${miss.revealed.join(", ") || "nothing"}\n      ${miss.reply.replace(/\n/g, " ")}`,
    );
for (const leak of result.leaks) console.log(`LEAK  ${leak.caseId}: "${leak.question}" -> ${leak.reply}`);
for (const shown of result.unaskedResults)
  console.log(`UNASKED RESULT  ${shown.caseId}: "${shown.question}" -> ${shown.reply.replace(/\n/g, " ")}`);
console.log(
  `understood ${result.understood} of ${result.questions} questions (${(100 * result.rate).toFixed(1)}%); ${result.leaks.length} leaks; ${result.unaskedResults.length} unasked results; bank ${bankPath}`,
);
if (result.rate < 0.9 || result.leaks.length > 0 || result.unaskedResults.length > 0) process.exitCode = 1;
