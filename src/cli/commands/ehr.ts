import { Option, type Command } from "commander";
import {
  answerQuestion,
  EhrRequestError,
  loadEhrCatalog,
  OUTPUT_FORMATS,
  observationsFor,
  parseRequest,
  parseRequestWithEngine,
  planCohort,
  readEhrSession,
  writeCohort,
  writeEhrSession,
  type OutputFormat,
  type ParsedRequest,
  type Shard,
} from "../../ehr/index.js";
import { addEngineOptions, engineFromFlags, type EngineFlags } from "../engine-options.js";
import { CliUsageError, parseInteger, printJson, printTable } from "../output.js";
import { createProgressBar } from "../progress.js";

interface GenerateFlags extends EngineFlags {
  format?: OutputFormat;
  out?: string;
  seed: number;
  session?: string;
  shard?: Shard;
  json?: boolean;
  dryRun?: boolean;
}

function parseShard(value: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(value.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count)
    throw new CliUsageError(`--shard: expected k/n with 1 <= k <= n (e.g. 2/4), found "${value}"`);
  return { index, count };
}

/** The `ehr` group, shared with other files that add commands to it (find-or-create). */
function ehrGroup(program: Command): Command {
  return (
    program.commands.find((command) => command.name() === "ehr") ??
    program.command("ehr").description("synthetic patient records on plain-language request")
  );
}

export function registerEhrCommands(program: Command): void {
  const ehr = ehrGroup(program);
  registerEhrGenerate(ehr);
  registerEhrAsk(ehr);
  registerEhrConditions(ehr);
}

/** `medsim ehr generate`. */
function registerEhrGenerate(ehr: Command): void {
  addEngineOptions(
    ehr
      .command("generate")
      .description('generate a cohort from a plain-language request, e.g. "2000 type 2 diabetes patients from the US"')
      .argument(
        "<request>",
        'what to generate, in plain words (with --session, a follow-up such as "make it 500 and add eGFR")',
      )
      .addOption(
        new Option("--format <format>", "output format (default: the request's, else csv)").choices([
          ...OUTPUT_FORMATS,
        ]),
      )
      .option("--out <path>", "output file (csv) or folder (other formats); replaced only when complete")
      .option("--seed <n>", "random seed: same seed, same bytes", parseInteger("--seed", 0, 2 ** 32 - 1), 1)
      .option("--session <file>", "JSON file holding the last specification; follow-ups refine it, and it is updated")
      .option("--shard <k/n>", "generate only part k of n (patients split in order; outputs concatenate)", parseShard)
      .option("--dry-run", "print the specification without generating")
      .option("--json", "print the specification, counts and observation list (LOINC codes and sources) as JSON"),
  ).action(runEhrGenerate);
}

type EhrCatalog = Awaited<ReturnType<typeof loadEhrCatalog>>;
type CohortPlan = ReturnType<typeof planCohort>;

async function runEhrGenerate(request: string, flags: GenerateFlags, command: Command): Promise<void> {
  const catalog = await loadEhrCatalog();
  const session = flags.session ? await readEhrSession(flags.session) : undefined;
  const engineNamed = command.getOptionValueSource("engine") === "cli";
  const parsed = await parseEhrRequest(request, flags, engineNamed, catalog, session?.spec);
  const plan = planCohort(parsed.spec, catalog);
  const format = flags.format ?? parsed.spec.format ?? "csv";
  const summary = cohortSummary(parsed, plan, format, catalog);
  if (flags.dryRun) {
    if (flags.json) printJson(summary);
    else printSpecification(summary, plan.age);
    return;
  }
  if (!flags.out) throw new CliUsageError("--out: required (a file for csv, a folder for the other formats)");
  const started = performance.now();
  const result = await writeCohortInterruptibly(plan, { ...flags, out: flags.out }, format);
  const seconds = (performance.now() - started) / 1000;
  if (flags.session)
    await writeEhrSession(flags.session, { spec: parsed.spec, requests: [...(session?.requests ?? []), request] });
  if (flags.json)
    printJson({
      ...summary,
      out: result.out,
      seed: flags.seed,
      shard: flags.shard ?? { index: 1, count: 1 },
      counts: { patients: result.patients, firstIndex: result.firstIndex, visits: result.visits },
      seconds: Number(seconds.toFixed(2)),
    });
  else {
    printSpecification(summary, plan.age);
    process.stdout.write(
      `wrote ${result.patients} patients (${result.visits} visits) as ${format} to ${result.out} in ${seconds.toFixed(1)} s\n`,
    );
  }
}

/** The request as a specification: by the rule-based parser, or by a model when `--engine` was given. */
async function parseEhrRequest(
  request: string,
  flags: GenerateFlags,
  engineNamed: boolean,
  catalog: EhrCatalog,
  previous: ParsedRequest["spec"] | undefined,
): Promise<ParsedRequest> {
  if (!engineNamed) return parseRequest(request, catalog, previous);
  const engine = await engineFromFlags(flags);
  try {
    return await parseRequestWithEngine(request, engine, catalog, previous);
  } finally {
    await engine.dispose();
  }
}

/** What will be generated: the specification, conditions with their codes, observations with their sources. */
function cohortSummary(parsed: ParsedRequest, plan: CohortPlan, format: OutputFormat, catalog: EhrCatalog) {
  return {
    spec: parsed.spec,
    followUp: parsed.followUp,
    notes: parsed.notes,
    format,
    conditions: plan.conditions.map((condition) => ({
      id: condition.id,
      name: condition.name,
      snomed: condition.snomed?.code,
      icd10: condition.icd10?.code,
    })),
    observations: plan.outputs.map((observation) => ({
      id: observation.id,
      name: observation.name,
      loinc: observation.loinc,
      unit: observation.unit,
      source: observation.source,
      sourceTitle: catalog.sources[observation.source]?.title,
    })),
  };
}

/** Writes the cohort with a progress bar; Ctrl-C stops it and nothing is written. */
async function writeCohortInterruptibly(
  plan: CohortPlan,
  flags: GenerateFlags & { out: string },
  format: OutputFormat,
): ReturnType<typeof writeCohort> {
  const progress = createProgressBar({ quiet: flags.json });
  const controller = new AbortController();
  const onSignal = () => controller.abort(new EhrRequestError("impossible", "interrupted; nothing was written"));
  process.once("SIGINT", onSignal);
  try {
    return await writeCohort(plan, {
      format,
      out: flags.out,
      seed: flags.seed,
      shard: flags.shard,
      onProgress: progress.onProgress,
      signal: controller.signal,
    });
  } finally {
    progress.stop();
    process.off("SIGINT", onSignal);
  }
}

/** `medsim ehr ask`. */
function registerEhrAsk(ehr: Command): void {
  ehr
    .command("ask")
    .description('ask where a number or rule comes from, e.g. "where does the HbA1c distribution come from?"')
    .argument("<question>", "a question about sources, guidelines, distributions, names or places")
    .option("--session <file>", "answer for the cohort of this session")
    .option("--json", 'print {"answer", "citations"}')
    .action(async (question: string, flags: { session?: string; json?: boolean }) => {
      const catalog = await loadEhrCatalog();
      const session = flags.session ? await readEhrSession(flags.session) : undefined;
      const answer = answerQuestion(question, catalog, session?.spec);
      if (flags.json) printJson(answer);
      else process.stdout.write(`${answer.answer}\n`);
    });
}

/** `medsim ehr conditions`. */
function registerEhrConditions(ehr: Command): void {
  ehr
    .command("conditions")
    .description("what can be generated: conditions with their codes and observation lists")
    .option("--json", "print the conditions as JSON")
    .action(async (flags: { json?: boolean }) => {
      const catalog = await loadEhrCatalog();
      const rows = catalog.conditions.map((condition) => ({
        id: condition.id,
        name: condition.name,
        kind: condition.kind,
        snomed: condition.snomed?.code,
        icd10: condition.icd10?.code,
        ages: condition.ages,
        observations: observationsFor([condition], catalog).map((o) => ({
          id: o.id,
          name: o.name,
          loinc: o.loinc,
          unit: o.unit,
        })),
      }));
      if (flags.json) return printJson(rows);
      for (const row of rows) {
        process.stdout.write(
          `${row.id}  ${row.name}${row.snomed ? `  SNOMED ${row.snomed}` : ""}${row.icd10 ? `  ICD-10 ${row.icd10}` : ""}  ages ${row.ages[0]}-${row.ages[1]}  ${row.observations.length} observations\n`,
        );
        process.stdout.write(`  ${row.observations.map((o) => `${o.id} (${o.loinc})`).join(", ")}\n`);
      }
    });
}

function printSpecification(
  summary: {
    spec: ParsedRequest["spec"];
    notes: string[];
    format: string;
    observations: { name: string; loinc?: string; unit: string }[];
  },
  age: { min: number; max: number },
): void {
  const { spec } = summary;
  const place = [
    spec.population.setting !== "any" ? spec.population.setting : "",
    spec.population.district,
    spec.population.state,
    spec.population.country === "us" ? "US" : "India",
  ]
    .filter(Boolean)
    .join(", ");
  printTable([
    ["patients", String(spec.count)],
    ["conditions", `${spec.conditions.join(", ")}${spec.comorbidities ? " (+ comorbidities at cited rates)" : ""}`],
    ["population", place],
    ["age", `${age.min}-${age.max}`],
    ["sex", spec.sex],
    ["visits", `${spec.visits.count} over ${spec.visits.years} years (chronic), ending ${spec.endDate}`],
    ["format", summary.format],
    [
      "observations",
      `${summary.observations.length}: ${summary.observations.map((o) => `${o.name} [${o.loinc}]`).join(", ")}`,
    ],
  ]);
  for (const note of summary.notes) process.stdout.write(`note: ${note}\n`);
}
