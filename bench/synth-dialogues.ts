/**
 * Offline dialogue synthesis throughput: generates N dialogues (default 10,000) from cases sampled
 * from the knowledge base with the scripted engine, de-duplicates them, and writes them as chat
 * JSONL (validated on write), timing each stage.
 * Run: npx tsx bench/synth-dialogues.ts [--count 10000] [--seed 7] [--out /tmp/medsim-bench.jsonl]
 */
import { stat } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { writeDialogues } from "../src/datasets/index.js";
import { loadKnowledgeBase } from "../src/knowledge/index.js";
import { personas as personaCatalog } from "../src/library/index.js";
import { generateCaseSet, synthesizeDialogues } from "../src/synth/index.js";

const args = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const at = args.indexOf(name);
  return at >= 0 ? (args[at + 1] ?? fallback) : fallback;
};
const count = Number(option("--count", "10000"));
const seed = Number(option("--seed", "7"));
const out = option("--out", join(tmpdir(), "medsim-bench-dialogues.jsonl"));

const begin = performance.now();
const kb = await loadKnowledgeBase();
const personas = await personaCatalog.list();
const cases = generateCaseSet(kb, personas, { perDisease: 3, seed });
const casesDone = performance.now();
const result = await synthesizeDialogues({ cases, personas, count, seed });
const synthDone = performance.now();
const written = await writeDialogues(out, "chat", result.dialogues, personas);
const end = performance.now();

const seconds = (ms: number) => (ms / 1000).toFixed(2);
const turns = result.dialogues.reduce((sum, dialogue) => sum + dialogue.turns.length, 0);
console.log(`cases:      ${cases.length} generated in ${seconds(casesDone - begin)} s (knowledge base load included)`);
console.log(
  `dialogues:  ${result.dialogues.length} (${turns} turns; ${result.duplicatesRemoved.exact} exact and ${result.duplicatesRemoved.near} near duplicates regenerated) in ${seconds(synthDone - casesDone)} s`,
);
console.log(
  `written:    ${written.records} chat records, ${((await stat(out)).size / 1e6).toFixed(1)} MB, in ${seconds(end - synthDone)} s -> ${out}`,
);
console.log(
  `total:      ${seconds(end - begin)} s for ${count} dialogues (${Math.round(count / ((end - begin) / 1000))} dialogues/s)`,
);
// On a shared machine the wall time depends on other work; the process's CPU time much less so.
const cpu = process.cpuUsage();
console.log(
  `cpu:        ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s of CPU time (load average ${loadavg()[0]!.toFixed(2)})`,
);
