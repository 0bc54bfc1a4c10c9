/**
 * `medsim eval run` speed on the scripted engine: every built-in case (27) x the four seed
 * personas, a full simulated interview each (greeting, open question, 22 history steps,
 * examination, tests, 3 adversarial turns, closing), then scoring (sentence checks, persona
 * classifier) and the HTML report, timed by stage. Prints CPU time too, since the machine is shared.
 * Run: npx tsx bench/eval-run.ts [--personas calm,anxious,rude,overly_patient] [--out /tmp/medsim-eval.html]
 */
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { ScriptedEngine } from "../src/engines/index.js";
import { evaluatePatient, renderEvaluationReport } from "../src/eval/patient/index.js";
import { loadPersonaClassifier } from "../src/eval/persona/index.js";
import { loadKnowledgeBase } from "../src/knowledge/index.js";
import { cases as caseCatalog, personas as personaCatalog } from "../src/library/index.js";
import { writeFileAtomic } from "../src/util/files.js";

const args = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const at = args.indexOf(name);
  return at >= 0 ? (args[at + 1] ?? fallback) : fallback;
};
const personaIds = option("--personas", "calm,anxious,rude,overly_patient").split(",");
const out = option("--out", join(tmpdir(), "medsim-bench-eval.html"));

const begin = performance.now();
const cpuBegin = process.cpuUsage();
const [patientCases, personas, classifier, kb] = await Promise.all([
  caseCatalog.list(),
  Promise.all(personaIds.map((id) => personaCatalog.get(id))),
  loadPersonaClassifier(),
  loadKnowledgeBase(),
]);
const loaded = performance.now();
const evaluation = await evaluatePatient({
  engine: new ScriptedEngine(),
  cases: patientCases,
  personas,
  classifier,
  kb,
});
const evaluated = performance.now();
await writeFileAtomic(out, await renderEvaluationReport({ models: [{ label: "scripted", evaluation }] }));
const end = performance.now();
const cpu = process.cpuUsage(cpuBegin);
const seconds = (ms: number) => (ms / 1000).toFixed(2);
console.log(
  `${evaluation.interviews} interviews (${patientCases.length} cases x ${personas.length} personas), ${evaluation.turns} turns`,
);
console.log(
  `load ${seconds(loaded - begin)} s, interviews + scoring ${seconds(evaluated - loaded)} s, report ${seconds(end - evaluated)} s; total ${seconds(end - begin)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s CPU`,
);
console.log(
  `diagnosis leaks ${evaluation.metrics.diagnosis_leaks}, role breaks ${evaluation.metrics.role_breaks}; load average ${loadavg()
    .map((value) => value.toFixed(1))
    .join(" ")}; report ${out}`,
);
