/**
 * Speed and memory of the EHR generator (a figure, not a test: the machine is shared and noisy).
 * Run: npx tsx bench/ehr-generate.ts [--format csv|synthea|fhir-ndjson|fhir|cases] [--patients 100000]
 *        [--request "..."] [--visits 4] [--seed 1] [--out <path>]
 * Prints one JSON line: wall and CPU seconds, patients per second, peak RSS, output size, and the
 * same cohort generated without writing (the baseline that shows what the format costs), with the
 * load average so a reader can judge the noise.
 */
import { rm, stat, readdir } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import {
  generatePatient,
  loadEhrCatalog,
  parseRequest,
  planCohort,
  writeCohort,
  type OutputFormat,
} from "../src/ehr/index.js";

const args = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const at = args.indexOf(name);
  return at >= 0 ? (args[at + 1] ?? fallback) : fallback;
};
const format = option("--format", "csv") as OutputFormat;
const patients = Number(option("--patients", "100000"));
const visits = Number(option("--visits", "4"));
const seed = Number(option("--seed", "1"));
const request = option("--request", `generate ${patients} type 2 diabetes patients from the US`);
const out = option("--out", join(tmpdir(), `medsim-bench-ehr-${process.pid}${format === "csv" ? ".csv" : ""}`));

const catalog = await loadEhrCatalog();
const { spec } = parseRequest(request, catalog);
spec.count = patients;
spec.visits = { ...spec.visits, count: visits };
const plan = planCohort(spec, catalog);

const load = loadavg().map((value) => Number(value.toFixed(2)));
let peakRss = process.memoryUsage().rss;
const sample = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);

const cpuStart = process.cpuUsage();
let started = performance.now();
const result = await writeCohort(plan, { format, out, seed });
const wall = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuStart);
clearInterval(sample);
peakRss = Math.max(peakRss, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024);

const size = async (path: string): Promise<number> => {
  const info = await stat(path);
  if (!info.isDirectory()) return info.size;
  let total = 0;
  for (const name of await readdir(path)) total += await size(join(path, name));
  return total;
};
const bytes = await size(out);
await rm(out, { recursive: true, force: true });

// Baseline: the same patients generated and dropped, no formatting or writing.
started = performance.now();
const baselineCpu = process.cpuUsage();
for (let index = 0; index < patients; index++) generatePatient(plan, seed, index);
const generateOnly = (performance.now() - started) / 1000;
const generateOnlyCpu = process.cpuUsage(baselineCpu);

console.log(
  JSON.stringify({
    format,
    patients: result.patients,
    visits: result.visits,
    observationsPerVisit: plan.outputs.length,
    seconds: Number(wall.toFixed(2)),
    cpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(2)),
    patientsPerSecond: Math.round(result.patients / wall),
    peakRssMB: Math.round(peakRss / 1e6),
    outputMB: Number((bytes / 1e6).toFixed(1)),
    generateOnlySeconds: Number(generateOnly.toFixed(2)),
    generateOnlyCpuSeconds: Number(((generateOnlyCpu.user + generateOnlyCpu.system) / 1e6).toFixed(2)),
    loadAverage: load,
  }),
);
