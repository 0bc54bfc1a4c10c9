// bench/ehr-generate.ts
import { rm as rm3, stat as stat2, readdir as readdir3 } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join as join5 } from "node:path";

// src/ehr/catalog.ts
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";

// src/library/paths.ts
import { fileURLToPath } from "node:url";
var dataDirectory = fileURLToPath(new URL("../../data/", import.meta.url));

// src/util/errors.ts
var MedsimError = class extends Error {
  /** A short machine-readable code, stable across versions (printed by `--json`). */
  code;
  constructor(code, message, options) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
};
var ValidationError = class extends MedsimError {
  constructor(source, issues) {
    const first = issues[0];
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : "";
    super("invalid_input", `${source}: ${first ? `${first.field || "(root)"}: ${first.message}` : "invalid"}${more}`);
    this.source = source;
    this.issues = issues;
  }
  source;
  issues;
};
var NotFoundError = class extends MedsimError {
  constructor(kind, id, validIds) {
    super("not_found", `unknown ${kind} "${id}"; valid ${kind} ids: ${validIds.join(", ")}`);
  }
};
var FileError = class extends MedsimError {
  constructor(file, message, options) {
    super("file_error", `${file}: ${message}`, options);
  }
};

// src/util/files.ts
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, extname } from "node:path";
import { parse as parseYaml, YAMLParseError } from "yaml";
async function readTextFile(path) {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    const code = error.code;
    throw new FileError(path, code === "ENOENT" ? "file not found" : `cannot read file (${code ?? String(error)})`);
  }
}
async function readStructuredFile(path) {
  return parseStructuredText(await readTextFile(path), path);
}
function parseStructuredText(text, source) {
  if (extname(source).toLowerCase() === ".json") {
    try {
      return JSON.parse(text);
    } catch (error) {
      const message = error.message;
      const position = /position (\d+)/.exec(message)?.[1];
      const line = position === void 0 ? void 0 : text.slice(0, Number(position)).split("\n").length;
      throw new FileError(
        source,
        `invalid JSON${line === void 0 ? "" : ` at line ${line}`}: ${message.split("\n")[0]}`,
      );
    }
  }
  try {
    return parseYaml(text);
  } catch (error) {
    if (error instanceof YAMLParseError) {
      const line = error.linePos?.[0]?.line;
      throw new FileError(
        source,
        `invalid YAML${line === void 0 ? "" : ` at line ${line}`}: ${error.message.split("\n")[0]}`,
      );
    }
    throw error;
  }
}
function validate(schema, value, source) {
  const result2 = schema.safeParse(value);
  if (result2.success) return result2.data;
  throw new ValidationError(
    source,
    result2.error.issues.map((issue) => ({ field: formatPath(issue.path), message: issue.message })),
  );
}
function formatPath(path) {
  return path
    .map((part, index) => (typeof part === "number" ? `[${part}]` : `${index === 0 ? "" : "."}${String(part)}`))
    .join("");
}

// src/ehr/formulas.ts
function ckdEpi2021(creatinine, age, female) {
  const kappa = female ? 0.7 : 0.9;
  const alpha = female ? -0.241 : -0.302;
  const ratio = creatinine / kappa;
  return 142 * Math.min(ratio, 1) ** alpha * Math.max(ratio, 1) ** -1.2 * 0.9938 ** age * (female ? 1.012 : 1);
}
function hankinsonPredicted(measure, age, heightCm, female) {
  const coefficients = {
    fev1: female ? [0.4333, -361e-5, -194e-6, 11496e-8] : [0.5536, -0.01303, -172e-6, 14098e-8],
    fvc: female ? [-0.356, 0.0187, -382e-6, 14815e-8] : [-0.1933, 64e-5, -269e-6, 18642e-8],
  }[measure];
  const [b0, b1, b2, b3] = coefficients;
  const adultAge = Math.max(age, 18);
  return b0 + b1 * adultAge + b2 * adultAge * adultAge + b3 * heightCm * heightCm;
}
var FORMULAS = {
  "weight-from-bmi": (get) => get("bmi") * (get("height") / 100) ** 2,
  "friedewald-total": (get) => get("ldl") + get("hdl") + get("triglycerides") / 5,
  "ckd-epi-2021": (get) => ckdEpi2021(get("creatinine"), get("age"), get("female") === 1),
  "transferrin-saturation": (get) => (get("iron") / get("tibc")) * 100,
  "hankinson-fev1": (get) =>
    (hankinsonPredicted("fev1", get("age"), get("height"), get("female") === 1) * get("fev1-percent")) / 100,
  "fvc-from-ratio": (get) => get("fev1") / (get("fev1-fvc") / 100),
};
var FORMULA_INPUTS = {
  "weight-from-bmi": ["bmi", "height"],
  "friedewald-total": ["ldl", "hdl", "triglycerides"],
  "ckd-epi-2021": ["creatinine"],
  "transferrin-saturation": ["iron", "tibc"],
  "hankinson-fev1": ["height", "fev1-percent"],
  "fvc-from-ratio": ["fev1", "fev1-fvc"],
};

// src/ehr/predicate.ts
var COMPARISON = /^([a-z][a-z0-9-]*)\s*(<=|>=|==|!=|<|>)\s*(-?\d+(?:\.\d+)?)$/;
function parsePredicate(text) {
  const anyOf = text.split(/\s+or\s+/).map((group) =>
    group.split(/\s+and\s+/).map((part) => {
      const match = COMPARISON.exec(part.trim());
      if (!match) throw new Error(`cannot read the rule "${part.trim()}" in "${text}" (expected e.g. "hba1c >= 7")`);
      return { variable: match[1], operator: match[2], value: Number(match[3]) };
    }),
  );
  return { kind: "predicate", text, anyOf };
}
function evaluatePredicate(predicate, lookup) {
  for (const group of predicate.anyOf) {
    let all = true;
    for (const { variable, operator, value } of group) {
      const actual = lookup(variable);
      if (actual === void 0 || !compare(actual, operator, value)) {
        all = false;
        break;
      }
    }
    if (all) return true;
  }
  return false;
}
function compare(actual, operator, value) {
  switch (operator) {
    case "<":
      return actual < value;
    case "<=":
      return actual <= value;
    case ">":
      return actual > value;
    case ">=":
      return actual >= value;
    case "==":
      return actual === value;
    case "!=":
      return actual !== value;
  }
}
function variablesOf(predicate) {
  return [...new Set(predicate.anyOf.flat().map((comparison) => comparison.variable))];
}

// src/ehr/catalog.ts
var TermSchema = z.union([z.tuple([z.string(), z.number()]), z.tuple([z.string(), z.number(), z.number()])]);
var ValueModelSchema = z.strictObject({
  mean: z.number().optional(),
  sd: z.number().nonnegative().optional(),
  median: z.number().positive().optional(),
  spread: z.number().min(1).optional(),
  terms: z.array(TermSchema).default([]),
  within: z.number().nonnegative().optional(),
  range: z.tuple([z.number(), z.number()]),
});
var cited = { source: z.string(), note: z.string().optional() };
var PopulationOverrideSchema = z.strictObject({ model: ValueModelSchema, ...cited });
var ObservationSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/),
  name: z.string(),
  hidden: z.boolean().default(false),
  loinc: z
    .string()
    .regex(/^\d+-\d$/, "expected a LOINC code such as 4548-4")
    .optional(),
  display: z.string().optional(),
  unit: z.string().default(""),
  category: z.enum(["vital-signs", "laboratory", "exam"]).default("laboratory"),
  decimals: z.number().int().min(0).max(4).default(1),
  aliases: z.array(z.string()).default([]),
  model: ValueModelSchema.optional(),
  formula: z.string().optional(),
  populations: z.record(z.string(), PopulationOverrideSchema).default({}),
  ...cited,
});
var EffectSchema = z.union([z.number(), z.strictObject({ scale: z.number().positive() })]);
var MedicationSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  rxnorm: z.string().regex(/^\d+$/),
  atc: z.string().regex(/^[A-Z]\d\d[A-Z]{2}\d\d$/, "expected an ATC code such as A10BA02"),
  dose: z.string(),
  effects: z.record(z.string(), EffectSchema).default({}),
  ...cited,
});
var CodingSchema = z.strictObject({ code: z.string(), display: z.string() });
var PredicateTextSchema = z.string().transform((text, context) => {
  try {
    return parsePredicate(text);
  } catch (error) {
    context.addIssue({ code: "custom", message: error.message });
    return z.NEVER;
  }
});
var ByPopulation = (schema) => z.union([schema, z.record(z.enum(["us", "india"]), schema)]).transform((value) => value);
var StepItemSchema = z.union([
  z.string(),
  z.strictObject({ first: z.array(z.union([z.tuple([z.string()]), z.tuple([z.string(), PredicateTextSchema])])) }),
]);
var TreatmentSchema = z.strictObject({
  source: z.string(),
  note: z.string().optional(),
  /** The treatment goal; a visit where it fails adds one step. */
  target: PredicateTextSchema.optional(),
  /** The first step: the first entry whose condition holds ([step] always holds). */
  start: z
    .array(z.union([z.tuple([z.number().int().min(0)]), z.tuple([z.number().int().min(0), PredicateTextSchema])]))
    .default([[1]]),
  /** Jump straight to a step when its condition holds (e.g. insulin at A1C >= 10%). */
  jump: z.array(z.tuple([z.number().int().min(1), PredicateTextSchema])).default([]),
  /** Steps are cumulative: step n prescribes the medicines of steps 1..n. */
  steps: z.array(z.array(StepItemSchema)).default([]),
  stepLabels: z.array(z.string()).optional(),
  /** A fixed regimen per visit instead of steps (acute conditions). */
  byVisit: z.array(z.array(z.string())).optional(),
  /** Medicines added whenever their condition holds, whatever the step. */
  addons: z.array(z.tuple([z.string(), PredicateTextSchema])).default([]),
  /** Medicines withheld when their condition holds (contraindications). */
  exclude: z.array(z.tuple([z.string(), PredicateTextSchema])).default([]),
});
var ConditionOverrideSchema = z.strictObject({
  model: ValueModelSchema,
  /** Change per year without treatment (chronic conditions). */
  drift: z.number().default(0),
  /** Offsets by visit number (acute conditions); on the log scale for log-normal models. */
  course: z.array(z.number()).optional(),
  courseScale: z.enum(["linear", "log"]).default("linear"),
  populations: z.record(z.string(), PopulationOverrideSchema).default({}),
  ...cited,
});
var PrevalenceSchema = z.strictObject({
  bands: z.array(z.tuple([z.number().int(), z.number().int(), z.number().nonnegative(), z.number().nonnegative()])),
  ...cited,
});
var StageBandSchema = z.strictObject({
  min: z.number(),
  snomed: z.string(),
  display: z.string(),
  icd10: z.string(),
  icd10Display: z.string(),
});
var CaseTextSchema = z.strictObject({
  chiefComplaint: z.string(),
  openingStatement: z.string(),
  onset: z.string(),
  duration: z.string(),
  location: z.string().optional(),
  character: z.string().optional(),
  severity: z.number().min(0).max(10),
  associated: z.array(z.string()).default([]),
  negatives: z.array(z.string()).default([]),
  familyHistory: z.array(z.string()).default([]),
  ideas: z.string(),
  concerns: z.string(),
  expectations: z.string(),
  examination: z.record(z.string(), z.string()).default({}),
  aliases: z.array(z.string()).default([]),
});
var ConditionSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/),
  name: z.string(),
  kind: z.enum(["chronic", "acute", "none"]),
  aliases: z.array(z.string()).min(1),
  snomed: CodingSchema.optional(),
  icd10: CodingSchema.optional(),
  ages: z.tuple([z.number().int().min(0), z.number().int().max(120)]),
  requires: ByPopulation(PredicateTextSchema).optional(),
  requiresSource: z.string().optional(),
  stages: z.strictObject({ observation: z.string(), source: z.string(), bands: z.array(StageBandSchema) }).optional(),
  schedule: z
    .strictObject({ unit: z.enum(["day", "month"]), at: z.array(z.number().min(0)).min(1), ...cited })
    .optional(),
  prevalence: z.record(z.string(), PrevalenceSchema),
  comorbidities: z
    .array(z.strictObject({ condition: z.string(), probability: z.number().min(0).max(1), ...cited }))
    .default([]),
  observations: z.array(z.string()).min(1),
  overrides: z.record(z.string(), ConditionOverrideSchema).default({}),
  treatment: ByPopulation(TreatmentSchema).optional(),
  case: CaseTextSchema,
});
var DistrictSchema = z.union([z.string(), z.tuple([z.string(), z.string()])]);
var NameGroupSchema = z.strictObject({
  male: z.array(z.string()).min(1),
  female: z.array(z.string()).min(1),
  surnames: z.array(z.string()).min(1),
  femaleSurnames: z.array(z.string()).optional(),
});
var PopulationSchema = z.strictObject({
  id: z.enum(["us", "india"]),
  name: z.string(),
  country: z.string(),
  ageSource: z.string(),
  ageNote: z.string().optional(),
  ageBands: z.array(z.tuple([z.number().int(), z.number().int(), z.number(), z.number()])),
  ethnicitySource: z.string().optional(),
  ethnicities: z.array(z.tuple([z.string(), z.string(), z.number()])).optional(),
  urbanShare: z.number().min(0).max(100).optional(),
  urbanSource: z.string(),
  regionSource: z.string(),
  districtSource: z.string().optional(),
  regions: z.array(
    z.strictObject({
      name: z.string(),
      abbreviation: z.string().optional(),
      weight: z.number().positive(),
      urbanShare: z.number().min(0).max(100).optional(),
      nameGroup: z.string().default("default"),
      language: z.string().optional(),
      districts: z.array(DistrictSchema).min(1),
      urbanOnly: z.array(z.string()).default([]),
    }),
  ),
  namesSource: z.string(),
  nameGroups: z.record(z.string(), NameGroupSchema),
  language: z.string().optional(),
  occupations: z.strictObject({ urban: z.array(z.string()).min(1), rural: z.array(z.string()).min(1) }),
});
var SourceSchema = z.strictObject({
  title: z.string(),
  url: z.string().optional(),
  note: z.string().optional(),
});
var EhrDataError = class extends MedsimError {
  constructor(file, message) {
    super("ehr_data_error", `${file}: ${message}`);
  }
};
var cache = /* @__PURE__ */ new Map();
function loadEhrCatalog(directory = join(dataDirectory, "ehr")) {
  let loaded = cache.get(directory);
  if (!loaded) {
    loaded = readCatalog(directory);
    loaded.catch(() => cache.delete(directory));
    cache.set(directory, loaded);
  }
  return loaded;
}
async function readCatalog(directory) {
  const file = (name) => join(directory, name);
  const sources = validate(
    z.record(z.string(), SourceSchema),
    await readStructuredFile(file("sources.yaml")),
    file("sources.yaml"),
  );
  const observations = validate(
    z.array(ObservationSchema),
    await readStructuredFile(file("observations.yaml")),
    file("observations.yaml"),
  );
  const medicationList = validate(
    z.array(MedicationSchema),
    await readStructuredFile(file("medications.yaml")),
    file("medications.yaml"),
  );
  const conditionFiles = (await readdir(file("conditions"))).filter((name) => /\.ya?ml$/.test(name)).sort();
  const conditions = [];
  for (const name of conditionFiles) {
    const path = join(directory, "conditions", name);
    conditions.push(validate(ConditionSchema, await readStructuredFile(path), path));
  }
  const populations = {};
  for (const id of ["us", "india"]) {
    const path = join(directory, "populations", `${id}.yaml`);
    populations[id] = validate(PopulationSchema, await readStructuredFile(path), path);
  }
  const catalog2 = {
    directory,
    sources,
    observations,
    observationById: new Map(observations.map((observation) => [observation.id, observation])),
    medications: new Map(medicationList.map((medication) => [medication.id, medication])),
    conditions: orderConditions(conditions),
    conditionById: new Map(conditions.map((condition) => [condition.id, condition])),
    populations,
  };
  checkCatalog(catalog2);
  return catalog2;
}
function orderConditions(conditions) {
  const rank = { chronic: 0, acute: 1, none: 2 };
  return [...conditions].sort((a, b) => rank[a.kind] - rank[b.kind] || a.id.localeCompare(b.id));
}
function checkCatalog(catalog2) {
  const { sources, observationById, medications, conditionById } = catalog2;
  const source = (file, id) => {
    if (id !== void 0 && !(id in sources))
      throw new EhrDataError(file, `unknown source "${id}" (add it to sources.yaml)`);
  };
  const seen = /* @__PURE__ */ new Set(["age", "female"]);
  for (const observation of catalog2.observations) {
    const file = `observations.yaml (${observation.id})`;
    source(file, observation.source);
    if (!observation.model && !observation.formula) throw new EhrDataError(file, "needs a model or a formula");
    if (observation.formula && !FORMULAS[observation.formula])
      throw new EhrDataError(
        file,
        `unknown formula "${observation.formula}"; known: ${Object.keys(FORMULAS).join(", ")}`,
      );
    for (const input of FORMULA_INPUTS[observation.formula ?? ""] ?? [])
      if (!seen.has(input)) throw new EhrDataError(file, `formula input "${input}" must be listed earlier`);
    if (!observation.hidden && !observation.loinc) throw new EhrDataError(file, "needs a LOINC code (or hidden: true)");
    const models = [observation.model, ...Object.values(observation.populations).map((p) => p.model)];
    for (const [, override] of Object.entries(observation.populations)) source(file, override.source);
    for (const model of models) if (model) checkModel(file, model, seen);
    seen.add(observation.id);
  }
  for (const medication of medications.values()) {
    const file = `medications.yaml (${medication.id})`;
    source(file, medication.source);
    for (const id of Object.keys(medication.effects))
      if (!observationById.has(id)) throw new EhrDataError(file, `effect on unknown observation "${id}"`);
  }
  for (const condition of catalog2.conditions) {
    const file = `conditions/${condition.id}.yaml`;
    source(file, condition.requiresSource);
    for (const prevalence of Object.values(condition.prevalence)) source(file, prevalence.source);
    for (const comorbidity of condition.comorbidities) {
      source(file, comorbidity.source);
      if (!conditionById.has(comorbidity.condition))
        throw new EhrDataError(file, `comorbidity "${comorbidity.condition}" is not a known condition`);
    }
    for (const id of [...condition.observations, ...Object.keys(condition.overrides)]) {
      const observation = observationById.get(id);
      if (!observation) throw new EhrDataError(file, `unknown observation "${id}"`);
    }
    for (const id of condition.observations)
      if (observationById.get(id)?.hidden)
        throw new EhrDataError(file, `observation "${id}" is hidden and cannot be listed`);
    for (const [id, override] of Object.entries(condition.overrides)) {
      source(file, override.source);
      const before = new Set(
        catalog2.observations
          .slice(
            0,
            catalog2.observations.findIndex((o) => o.id === id),
          )
          .map((o) => o.id),
      );
      before.add("age").add("female");
      checkModel(`${file} (${id})`, override.model, before);
      for (const population of Object.values(override.populations)) {
        source(file, population.source);
        checkModel(`${file} (${id})`, population.model, before);
      }
    }
    for (const treatment of treatmentsOf(condition)) {
      source(file, treatment.source);
      const meds = [
        ...treatment.steps
          .flat()
          .flatMap((item) => (typeof item === "string" ? [item] : item.first.map((choice) => choice[0]))),
        ...(treatment.byVisit ?? []).flat(),
        ...treatment.addons.map((addon) => addon[0]),
        ...treatment.exclude.map((exclude) => exclude[0]),
      ];
      for (const id of meds) if (!medications.has(id)) throw new EhrDataError(file, `unknown medication "${id}"`);
    }
    if (condition.stages) {
      source(file, condition.stages.source);
      if (!observationById.has(condition.stages.observation))
        throw new EhrDataError(file, `stages use unknown observation "${condition.stages.observation}"`);
    }
    if (condition.schedule) source(file, condition.schedule.source);
  }
  for (const population of Object.values(catalog2.populations)) {
    const file = `populations/${population.id}.yaml`;
    for (const id of [population.ageSource, population.urbanSource, population.regionSource, population.namesSource])
      source(file, id);
    source(file, population.ethnicitySource);
    source(file, population.districtSource);
    for (const region of population.regions)
      if (!population.nameGroups[region.nameGroup])
        throw new EhrDataError(file, `${region.name}: unknown name group "${region.nameGroup}"`);
  }
}
function checkModel(file, model, known) {
  const normal = model.mean !== void 0 && model.sd !== void 0;
  const logNormal = model.median !== void 0 && model.spread !== void 0;
  if (normal === logNormal) throw new EhrDataError(file, "a model needs either mean and sd, or median and spread");
  for (const [variable] of model.terms)
    if (!known.has(variable))
      throw new EhrDataError(file, `term "${variable}" must be age, female or an observation listed earlier`);
}
function treatmentsOf(condition) {
  const treatment = condition.treatment;
  if (!treatment) return [];
  return "source" in treatment ? [treatment] : Object.values(treatment).filter((t) => !!t);
}
function treatmentFor(condition, population) {
  const treatment = condition.treatment;
  if (!treatment) return void 0;
  return "source" in treatment ? treatment : treatment[population];
}
function requirementFor(condition, population) {
  const requires = condition.requires;
  if (!requires) return void 0;
  return "kind" in requires ? requires : requires[population];
}

// src/ehr/spec.ts
import { z as z2 } from "zod";
var MAX_PATIENTS = 1e7;
var OUTPUT_FORMATS = ["csv", "synthea", "fhir", "fhir-ndjson", "cases"];
var CohortSpecSchema = z2.strictObject({
  count: z2
    .number()
    .int()
    .min(1, "a cohort needs at least one patient")
    .max(MAX_PATIENTS, `at most ${MAX_PATIENTS.toLocaleString("en-US")} patients per request`)
    .describe("number of patients"),
  conditions: z2
    .array(z2.string())
    .min(1)
    .describe("condition ids every patient has (see `medsim ehr conditions`); ['healthy'] for a healthy baseline"),
  comorbidities: z2.boolean().default(true).describe("add other conditions at their cited co-occurrence rates"),
  observations: z2
    .union([
      z2.array(z2.string()).min(1).describe("observation ids to write, in order"),
      z2.object({ top: z2.number().int().min(1) }).describe("the N most important observations of the conditions"),
    ])
    .optional()
    .describe("default: all observations listed for the conditions"),
  population: z2
    .strictObject({
      country: z2.enum(["us", "india"]).describe("us: US census-like; india: Indian states and districts"),
      state: z2.string().optional().describe("a US state or an Indian state"),
      district: z2.string().optional().describe("a county (US) or district (India) within the state"),
      setting: z2.enum(["any", "urban", "rural"]).default("any"),
    })
    .describe("where the patients live"),
  age: z2
    .strictObject({ min: z2.number().int().min(0).max(120), max: z2.number().int().min(0).max(120) })
    .optional()
    .describe("inclusive age range in years; default: the conditions' own range, adults only"),
  sex: z2.enum(["any", "female", "male"]).default("any"),
  visits: z2
    .strictObject({
      count: z2.number().int().min(1).max(60).default(4).describe("visits per patient (chronic conditions)"),
      years: z2.number().min(0).max(30).default(2).describe("years the visits span"),
    })
    .default({ count: 4, years: 2 }),
  endDate: z2
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "expected YYYY-MM-DD")
    .default("2025-12-31")
    .describe("date of the last visit window; fixed by default so the same seed gives the same bytes"),
  format: z2.enum(OUTPUT_FORMATS).optional().describe("output format named in the request"),
});

// src/ehr/errors.ts
var EhrRequestError = class extends MedsimError {
  constructor(kind, message, options = []) {
    super(kind === "question" ? "ehr_question" : "ehr_impossible", message);
    this.kind = kind;
    this.options = options;
  }
  kind;
  options;
};

// src/ehr/cohort.ts
var DEFAULT_AGE_RANGE = { min: 18, max: 90 };
function planCohort(input, catalog2) {
  const spec2 = validate(CohortSpecSchema, input, "cohort specification");
  const knownConditions = catalog2.conditions.map((condition) => condition.id);
  const conditions = spec2.conditions.map((id) => {
    const condition = catalog2.conditionById.get(id);
    if (!condition)
      throw new EhrRequestError(
        "impossible",
        `unknown condition "${id}"; medsim can generate: ${knownConditions.join(", ")}`,
        knownConditions,
      );
    return condition;
  });
  if (conditions.length > 1 && conditions.some((condition) => condition.kind === "none"))
    throw new EhrRequestError("impossible", "a healthy baseline cannot be combined with a condition");
  const populationId = spec2.population.country;
  const population = catalog2.populations[populationId];
  const outputs = chooseOutputs(spec2, conditions, catalog2);
  const age = chooseAgeRange(spec2, conditions);
  const comorbidities = spec2.comorbidities ? chooseComorbidities(conditions, catalog2) : [];
  const computed = computeClosure(
    outputs,
    [...conditions, ...comorbidities.map((entry) => entry.condition)],
    populationId,
    catalog2,
  );
  const ageSexCumulative = ageSexTable(spec2, population, conditions, populationId, age);
  const { regions, regionCumulative } = chooseRegions(spec2, population);
  return {
    spec: spec2,
    catalog: catalog2,
    population,
    populationId,
    conditions,
    outputs,
    computed,
    positions: new Map(computed.map((observation, index) => [observation.id, index])),
    age,
    ageSexCumulative,
    regions,
    regionCumulative,
    comorbidities,
  };
}
function observationsFor(conditions, catalog2) {
  const ids = [...new Set(conditions.flatMap((condition) => condition.observations))];
  return ids.map((id) => catalog2.observationById.get(id));
}
function chooseOutputs(spec2, conditions, catalog2) {
  const available = observationsFor(conditions, catalog2);
  const names = conditions.map((condition) => condition.name).join(" + ");
  const requested = spec2.observations;
  if (requested === void 0) return available;
  if ("top" in requested) {
    if (requested.top > available.length)
      throw new EhrRequestError(
        "impossible",
        `${names} has ${available.length} observations, not ${requested.top}: ${available.map((o) => o.name).join(", ")}. Ask for ${available.length} or fewer, or for all of them.`,
        available.map((observation) => observation.id),
      );
    return available.slice(0, requested.top);
  }
  return [...new Set(requested)].map((id) => {
    const observation = catalog2.observationById.get(id);
    if (!observation || observation.hidden)
      throw new EhrRequestError(
        "impossible",
        `unknown observation "${id}"; known: ${catalog2.observations
          .filter((o) => !o.hidden)
          .map((o) => o.id)
          .join(", ")}`,
      );
    return observation;
  });
}
function chooseAgeRange(spec2, conditions) {
  let min = spec2.age?.min ?? DEFAULT_AGE_RANGE.min;
  let max = spec2.age?.max ?? DEFAULT_AGE_RANGE.max;
  if (min > max)
    throw new EhrRequestError("impossible", `age range ${min}-${max} is empty (the minimum is above the maximum)`);
  for (const condition of conditions) {
    const [low, high] = condition.ages;
    if (max < low || min > high)
      throw new EhrRequestError(
        "impossible",
        `the ${condition.name} generator covers ages ${low}-${high}; the request asks for ${min}-${max}`,
      );
    min = Math.max(min, low);
    max = Math.min(max, high);
  }
  return { min, max };
}
function chooseComorbidities(conditions, catalog2) {
  const primary = new Set(conditions.map((condition) => condition.id));
  const best = /* @__PURE__ */ new Map();
  for (const condition of conditions)
    for (const { condition: id, probability } of condition.comorbidities)
      if (!primary.has(id)) best.set(id, Math.max(best.get(id) ?? 0, probability));
  return catalog2.conditions
    .filter((condition) => best.has(condition.id))
    .map((condition) => ({ condition, probability: best.get(condition.id) }));
}
function computeClosure(outputs, conditions, population, catalog2) {
  const needed = /* @__PURE__ */ new Set();
  const add = (id) => {
    if (needed.has(id) || !catalog2.observationById.has(id)) return;
    needed.add(id);
    const observation = catalog2.observationById.get(id);
    const models = [observation.model, ...Object.values(observation.populations).map((p) => p.model)];
    for (const condition of conditions) {
      const override = condition.overrides[id];
      if (override) models.push(override.model, ...Object.values(override.populations).map((p) => p.model));
    }
    for (const model of models) for (const [variable] of model?.terms ?? []) add(variable);
    for (const input of FORMULA_INPUTS[observation.formula ?? ""] ?? []) add(input);
  };
  for (const observation of outputs) add(observation.id);
  const rules = [];
  for (const condition of conditions) {
    const requirement = requirementFor(condition, population);
    if (requirement) rules.push(requirement);
    if (condition.stages) add(condition.stages.observation);
    const treatment = treatmentFor(condition, population);
    if (!treatment) continue;
    if (treatment.target) rules.push(treatment.target);
    for (const entry of [...treatment.start, ...treatment.jump]) if (entry[1]) rules.push(entry[1]);
    for (const [, rule] of [...treatment.addons, ...treatment.exclude]) rules.push(rule);
    for (const item of treatment.steps.flat())
      if (typeof item !== "string") {
        for (const choice of item.first) if (choice[1]) rules.push(choice[1]);
      }
    for (const medicationId of [
      ...treatment.steps.flat().flatMap((item) => (typeof item === "string" ? [item] : item.first.map((c) => c[0]))),
      ...treatment.addons.map((addon) => addon[0]),
    ])
      for (const effect of Object.keys(catalog2.medications.get(medicationId)?.effects ?? {}))
        if (needed.has(effect)) add(effect);
  }
  for (const rule of rules) for (const variable of variablesOf(rule)) add(variable);
  return catalog2.observations.filter((observation) => needed.has(observation.id));
}
function ageSexTable(spec2, population, conditions, populationId, range) {
  const cumulative = new Float64Array(2 * 121);
  let total = 0;
  for (let sex = 0; sex < 2; sex++) {
    const female = sex === 1;
    for (let age = 0; age <= 120; age++) {
      let weight = 0;
      const allowed =
        age >= range.min && age <= range.max && (spec2.sex === "any" || (spec2.sex === "female") === female);
      if (allowed) {
        const band = population.ageBands.find(([low, high]) => age >= low && age <= high);
        weight = band ? (female ? band[3] : band[2]) / (band[1] - band[0] + 1) : 0;
        for (const condition of conditions) {
          const prevalence = condition.prevalence[populationId] ?? Object.values(condition.prevalence)[0];
          const conditionBand = prevalence?.bands.find(([low, high]) => age >= low && age <= high);
          weight *= conditionBand ? (female ? conditionBand[3] : conditionBand[2]) : 0;
        }
      }
      total += weight;
      cumulative[sex * 121 + age] = total;
    }
  }
  if (total <= 0)
    throw new EhrRequestError(
      "impossible",
      `no ${spec2.sex === "any" ? "" : `${spec2.sex} `}patients aged ${range.min}-${range.max} have ${conditions.map((c) => c.name).join(" and ")} in the cited prevalence tables`,
    );
  return cumulative;
}
function chooseRegions(spec2, population) {
  const { state, district, setting } = spec2.population;
  let candidates = population.regions;
  if (state !== void 0) {
    const match = population.regions.find(
      (region) => sameName(region.name, state) || (region.abbreviation && sameName(region.abbreviation, state)),
    );
    if (!match)
      throw new EhrRequestError(
        "impossible",
        `unknown state "${state}" for ${population.name}; known: ${population.regions.map((r) => r.name).join(", ")}`,
        population.regions.map((r) => r.name),
      );
    candidates = [match];
  }
  const regions = [];
  const weights = [];
  for (const region of candidates) {
    const urbanShare = (region.urbanShare ?? population.urbanShare ?? 50) / 100;
    let districts = region.districts.map((entry) => {
      const [name, city] = typeof entry === "string" ? [entry, entry] : entry;
      return { name, city, urbanOnly: region.urbanOnly.includes(name) };
    });
    if (district !== void 0) {
      const match = districts.filter(
        (entry) => sameName(entry.name, district) || sameName(entry.name, `${district} County`),
      );
      if (match.length === 0)
        throw new EhrRequestError(
          "impossible",
          `unknown district "${district}" in ${region.name}; known: ${districts.map((d) => d.name).join(", ")}`,
          districts.map((d) => d.name),
        );
      districts = match;
    }
    if (setting === "rural") districts = districts.filter((entry) => !entry.urbanOnly);
    if (districts.length === 0) continue;
    const settingWeight = setting === "rural" ? 1 - urbanShare : setting === "urban" ? urbanShare : 1;
    regions.push({
      name: region.name,
      abbreviation: region.abbreviation,
      language: region.language ?? population.language,
      nameGroup: region.nameGroup,
      urbanShare,
      districts,
    });
    weights.push(region.weight * settingWeight);
  }
  if (regions.length === 0 || weights.every((weight) => weight <= 0))
    throw new EhrRequestError(
      "impossible",
      `${district ?? state ?? population.name} has no ${setting} area in the population table`,
    );
  const regionCumulative = new Float64Array(weights.length);
  weights.reduce((sum, weight, index) => (regionCumulative[index] = sum + weight), 0);
  return { regions, regionCumulative };
}
function sameName(a, b) {
  return a.toLowerCase().replace(/[^a-z0-9]/g, "") === b.toLowerCase().replace(/[^a-z0-9]/g, "");
}

// src/ehr/numbers.ts
var UNITS = {
  zero: 0,
  no: 0,
  one: 1,
  a: 1,
  an: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
};
var SCALES = {
  dozen: 12,
  hundred: 100,
  thousand: 1e3,
  lakh: 1e5,
  lakhs: 1e5,
  million: 1e6,
  millions: 1e6,
  crore: 1e7,
  crores: 1e7,
  billion: 1e9,
  billions: 1e9,
  trillion: 1e12,
};
var SUFFIXES = { k: 1e3, m: 1e6, mn: 1e6, bn: 1e9, b: 1e9 };
var WORD = Object.keys(UNITS).concat(Object.keys(SCALES)).join("|");
var WORD_RUN = new RegExp(`\\b(?:(?:${WORD})(?:[\\s-]+(?:and[\\s-]+)?|\\b))+`, "g");
function normalizeNumbers(text) {
  let result2 = text
    .replace(/\b(\d+(?:\.\d+)?)\s*(?:\^|\*\*)\s*(\d+)\b/g, (_, base, power) => String(Number(base) ** Number(power)))
    .replace(/\b(\d+(?:\.\d+)?)e(\d+)\b/g, (_, base, power) => String(Number(base) * 10 ** Number(power)))
    .replace(/\b\d{1,3}(?:,\d{2,3})+\b/g, (match) => match.replace(/,/g, ""))
    .replace(/\b(\d+(?:\.\d+)?)\s?(k|mn|m|bn|b)\b/g, (_, value, suffix) =>
      String(Math.round(Number(value) * SUFFIXES[suffix])),
    )
    .replace(new RegExp(`\\b(\\d+(?:\\.\\d+)?)\\s+(${Object.keys(SCALES).join("|")})\\b`, "g"), (_, value, scale) =>
      String(Math.round(Number(value) * SCALES[scale])),
    );
  result2 = result2.replace(WORD_RUN, (match) => {
    const words = match
      .trim()
      .split(/[\s-]+/)
      .filter((word) => word !== "and");
    if (words.every((word) => ["a", "an", "no", "one"].includes(word))) return match;
    if (words.length === 1 && !(words[0] in SCALES) && words[0] === "a") return match;
    const value = wordsToNumber(words);
    if (value === void 0) return match;
    return `${value}${/\s$/.test(match) ? " " : ""}`;
  });
  return result2;
}
function wordsToNumber(words) {
  let total = 0;
  let current = 0;
  let seen = false;
  for (const word of words) {
    if (word in UNITS) {
      current += UNITS[word];
      seen = true;
    } else if (word in SCALES) {
      const scale = SCALES[word];
      if (current === 0) current = 1;
      if (scale < 1e3) current *= scale;
      else {
        total += current * scale;
        current = 0;
      }
      seen = true;
    } else return void 0;
  }
  return seen ? total + current : void 0;
}

// src/ehr/parse.ts
var COHORT_NOUNS =
  "patients?|people|persons?|records?|individuals?|subjects?|cases?|adults?|men|women|males?|females?|children|kids|ehrs?|participants?|samples?|rows?|diabetics|hypertensives|asthmatics|smokers|elderly|girls|boys";
var GENERATE_VERBS = /\b(generate|create|make|simulate|synthesi[sz]e|produce|give me|i need|i want|build|fake)\b/;
var FOLLOW_UP_START =
  /^\s*(make|change|set|add|also|remove|drop|exclude|only|now|instead|but|same|and|switch|use|include|without|just|limit|restrict|increase|decrease|double|halve|keep|what about|how about|then|ok|okay)\b/;
var REGEX_SPECIAL = /[.*+?^${}()|[\]\\]/g;
function parseRequest(request2, catalog2, previous) {
  const original = request2.trim();
  if (original === "")
    throw new EhrRequestError("question", 'What should be generated? e.g. "500 type 2 diabetes patients from India"');
  let text = ` ${normalizeNumbers(original.toLowerCase().replace(/[–—−]/g, "-").replace(/\s+/g, " "))} `;
  const notes = [];
  const take = (pattern) => {
    const match = pattern.exec(text);
    if (match) text = `${text.slice(0, match.index)} ${text.slice(match.index + match[0].length)}`;
    return match ?? void 0;
  };
  take(/\btype\s*(?:2|ii|two)\b/);
  const unknownDiabetes =
    /\b(type\s*(?:1|i|one)|gestational|juvenile|mody|lada|type\s*3c?)\b[\s-]*(diabetes|diabetic|dm)\b/.exec(text);
  if (unknownDiabetes) throw unknownCondition(unknownDiabetes[0].trim(), catalog2);
  const format2 = readFormat(take);
  const visits2 = readVisits(take, notes);
  const age = readAge(take);
  const observationRequest = readObservationCount(take);
  const sex = readSex(take);
  const comorbidities =
    /\b(without|no|excluding) (any )?(other )?(comorbidit(y|ies)|other conditions|other diseases)\b/.test(text)
      ? take(/\b(without|no|excluding) (any )?(other )?(comorbidit(y|ies)|other conditions|other diseases)\b/) && false
      : void 0;
  const conditions = readConditions(take, () => text, catalog2, notes);
  checkAlternatives(original.toLowerCase(), conditions, catalog2);
  const population = readPopulation(take, () => text, catalog2);
  const named = readNamedObservations(() => text, take, catalog2);
  const removals = previous ? readRemovals(original.toLowerCase(), catalog2) : { conditions: [], observations: [] };
  const slot = unknownSlot(text);
  const count = readCount(take, () => text);
  const isFollowUp =
    previous !== void 0 &&
    (FOLLOW_UP_START.test(original.toLowerCase()) ||
      (conditions.length === 0 && !GENERATE_VERBS.test(original.toLowerCase())) ||
      conditions.length === 0);
  if (!isFollowUp) {
    if (conditions.length === 0) {
      if (slot) throw unknownCondition(slot, catalog2);
      throw new EhrRequestError(
        "question",
        `Which condition should the patients have? medsim can generate: ${catalog2.conditions.map((c) => c.id).join(", ")} (say "healthy" for a healthy baseline)`,
        catalog2.conditions.map((c) => c.id),
      );
    }
    if (slot) throw unknownCondition(slot, catalog2);
    if (count === void 0)
      throw new EhrRequestError(
        "question",
        `How many patients? e.g. "generate 500 ${conditions.map((c) => c.name.toLowerCase()).join(" and ")} patients"`,
      );
  }
  if (isFollowUp) {
    const leftover = leftoverWords(text);
    if (leftover)
      throw new EhrRequestError(
        "impossible",
        `cannot read "${leftover}" in the follow-up; it names no known condition (${catalog2.conditions.map((c) => c.id).join(", ")}) or observation (see \`medsim ehr conditions\`)`,
      );
  }
  const base = isFollowUp
    ? structuredClone(previous)
    : CohortSpecSchema.parse({ count: 1, conditions: conditions.map((c) => c.id), population: { country: "us" } });
  const spec2 = base;
  if (count !== void 0) spec2.count = count;
  if (isFollowUp && /\bdouble\b/.test(original.toLowerCase())) spec2.count = previous.count * 2;
  if (isFollowUp && /\bhalve\b/.test(original.toLowerCase())) spec2.count = Math.max(1, Math.floor(previous.count / 2));
  checkCount(spec2.count);
  if (isFollowUp) {
    const wantsAdd = /\b(add|also|plus|include|including|and)\b/.test(original.toLowerCase());
    const newConditions = conditions.filter((condition) => !removals.conditions.includes(condition.id));
    if (newConditions.length > 0)
      spec2.conditions = wantsAdd
        ? [.../* @__PURE__ */ new Set([...spec2.conditions, ...newConditions.map((c) => c.id)])]
        : newConditions.map((c) => c.id);
    spec2.conditions = spec2.conditions.filter((id) => !removals.conditions.includes(id));
    if (spec2.conditions.length === 0)
      throw new EhrRequestError("question", "That removes every condition; which condition should the patients have?");
  } else spec2.conditions = conditions.map((c) => c.id);
  if (population) {
    spec2.population =
      isFollowUp && !population.country ? { ...spec2.population, ...population.partial } : population.full;
  } else if (!isFollowUp) {
    notes.push('no population named: using the US population (say "from India" or a state for Indian patients)');
  }
  if (sex) spec2.sex = sex;
  if (age) {
    const previousAge = isFollowUp ? spec2.age : void 0;
    spec2.age = { min: age.min ?? previousAge?.min ?? 18, max: age.max ?? previousAge?.max ?? 90 };
    if (age.min === void 0 && age.max !== void 0 && age.max < 18) spec2.age.min = 0;
    if (spec2.age.min > spec2.age.max)
      throw new EhrRequestError("impossible", `age range ${spec2.age.min}-${spec2.age.max} is empty`);
  }
  if (visits2) spec2.visits = { ...spec2.visits, ...visits2 };
  if (format2) spec2.format = format2;
  if (comorbidities === false) spec2.comorbidities = false;
  const conditionObjects = spec2.conditions.map((id) => catalog2.conditionById.get(id)).filter((c) => !!c);
  spec2.observations = chooseObservations(
    spec2,
    previous,
    isFollowUp,
    observationRequest,
    named,
    removals.observations,
    conditionObjects,
    catalog2,
    notes,
  );
  planCohort(spec2, catalog2);
  return { spec: spec2, notes, followUp: isFollowUp };
}
function checkCount(count) {
  if (count <= 0)
    throw new EhrRequestError("impossible", `a cohort of ${count} patients is empty; ask for at least 1 patient`);
  if (!Number.isInteger(count)) throw new EhrRequestError("impossible", `${count} is not a whole number of patients`);
  if (count > MAX_PATIENTS)
    throw new EhrRequestError(
      "impossible",
      `${count.toLocaleString("en-US")} patients is more than one request can generate (at most ${MAX_PATIENTS.toLocaleString("en-US")}); ask for fewer, or make several cohorts with different --seed values`,
    );
}
function readCount(take, current) {
  const alternatives = new RegExp(
    `\\b(\\d+)\\s*(?:or|to|-|/)\\s*(\\d+)\\s+(?:[a-z0-9'/-]+\\s+){0,6}?(?:${COHORT_NOUNS})\\b`,
  ).exec(current());
  if (alternatives)
    throw new EhrRequestError(
      "question",
      `Which number is the count of patients: ${alternatives[1]} or ${alternatives[2]}?`,
      [alternatives[1], alternatives[2]],
    );
  const nounFirst = new RegExp(`\\b(-?\\d+(?:\\.\\d+)?)\\s+(?:[a-z0-9'/-]+\\s+){0,6}?(?:${COHORT_NOUNS})\\b`);
  const match =
    take(nounFirst) ??
    take(
      /\b(?:generate|create|make|simulate|synthesi[sz]e|produce|need|want|give me|make it|set it to|change it to|change to|increase to|decrease to|reduce to)\s+(-?\d+(?:\.\d+)?)\b/,
    );
  if (match) return Number(match[1]);
  const article =
    /\b(?:generate|create|make|simulate)\s+(?:a|an|one|single)\s+(?:[a-z-]+\s+){0,4}?(?:patient|person|record|case)\b/.exec(
      current(),
    );
  if (article) return 1;
  const numbers = [...current().matchAll(/(?<![\w.-])(-?\d+(?:\.\d+)?)(?![\w.%-])/g)].map((m) => Number(m[1]));
  if (numbers.length === 1) return numbers[0];
  if (numbers.length > 1)
    throw new EhrRequestError(
      "question",
      `Which number is the count of patients: ${numbers.join(" or ")}?`,
      numbers.map(String),
    );
  return void 0;
}
function readFormat(take) {
  if (take(/\b(?:as |in )?(?:bulk fhir|fhir(?: r4)? ndjson|ndjson)\b/)) return "fhir-ndjson";
  if (take(/\b(?:as |in )?fhir(?: r4)?(?: bundles?| json)?\b/)) return "fhir";
  if (take(/\b(?:as |in )?synthea(?:-style| style)?(?: csvs?| format| tables)?\b/)) return "synthea";
  if (take(/\b(?:as |into )?(?:case scripts?|simulator cases|practice cases)\b/)) return "cases";
  if (take(/\b(?:as |in )?(?:a )?(?:flat )?csv(?: file)?\b/)) return "csv";
  return void 0;
}
function readVisits(take, notes) {
  const visits2 = {};
  const every = take(
    /\bevery (\d+) (month|months|week|weeks|year|years) (?:for|over) (\d+(?:\.\d+)?) (year|years|month|months)\b/,
  );
  if (every) {
    const stepMonths =
      Number(every[1]) * (every[2].startsWith("week") ? 12 / 52 : every[2].startsWith("year") ? 12 : 1);
    const spanMonths = Number(every[3]) * (every[4].startsWith("year") ? 12 : 1);
    visits2.years = spanMonths / 12;
    visits2.count = Math.max(1, Math.round(spanMonths / stepMonths) + 1);
  }
  const count = take(/\b(\d+) (?:follow-up |clinic |outpatient )?(?:visits|encounters|appointments)\b/);
  if (count) visits2.count = Number(count[1]);
  const span =
    take(/\b(?:over|across|spanning|for|covering) (?:the (?:last|past) )?(\d+(?:\.\d+)?) (years?|months?)\b/) ??
    take(/\b(\d+(?:\.\d+)?)[ -](years?|months?)(?: of)? (?:follow-up|history|records|data|visits)\b/);
  if (span) visits2.years = Number(span[1]) / (span[2].startsWith("month") ? 12 : 1);
  if (take(/\b(?:single|one) visit\b|\bcross-sectional\b/)) visits2.count = 1;
  if (take(/\bnewly diagnosed\b|\bnew(?:ly)? detected\b|\bat diagnosis\b/)) {
    visits2.count = 1;
    notes.push("newly diagnosed: one visit each, the diagnosis visit, before any treatment");
  }
  take(/\blongitudinal(?: records| data)?\b/);
  return Object.keys(visits2).length ? visits2 : void 0;
}
function readAge(take) {
  const range =
    take(
      /\b(?:aged?|ages|age group|age range|between the ages of|from)?\s*(\d{1,3})\s*(?:-|to|and|until)\s*(\d{1,3})\s*(?:years?|yrs?|y)?(?:[ -]old|[ -]olds)?\b/,
    ) ?? take(/\bbetween (\d{1,3}) and (\d{1,3})(?: years?)?(?: of age| old)?\b/);
  if (range) {
    const low = Number(range[1]);
    const high = Number(range[2]);
    if (low > 120 || high > 120)
      throw new EhrRequestError("impossible", `age ${Math.max(low, high)} is beyond the oldest age (120)`);
    if (low > high)
      throw new EhrRequestError("impossible", `age range ${low}-${high} is empty (the minimum is above the maximum)`);
    return { min: low, max: high };
  }
  const age = {};
  const over = take(
    /\b(?:aged |age )?(?:over|above|older than|more than|greater than)\s*(\d{1,3})(?: years?)?(?: of age| old)?\b/,
  );
  if (over) age.min = Number(over[1]) + 1;
  const atLeast =
    take(/\b(?:aged |age )?(?:at least|minimum|min\.?|from)\s*(\d{1,3})(?: years?)?\b/) ??
    take(/\b(\d{1,3})\s*(?:\+|plus|years? and (?:over|above|older)|and (?:over|above|older)|or (?:over|older|above))/);
  if (atLeast) age.min = Number(atLeast[1]);
  const under = take(
    /\b(?:aged |age )?(?:under|below|younger than|less than)\s*(\d{1,3})(?: years?)?(?: of age| old)?\b/,
  );
  if (under) age.max = Number(under[1]) - 1;
  const atMost =
    take(/\b(?:aged |age )?(?:at most|up to|maximum|max\.?)\s*(\d{1,3})(?: years?)?\b/) ??
    take(/\b(\d{1,3}) (?:or|and) (?:younger|under|below)\b/);
  if (atMost) age.max = Number(atMost[1]);
  const exact =
    age.min === void 0 && age.max === void 0
      ? take(/\b(?:aged|age)\s*(\d{1,3})\b|\b(\d{1,3})[ -]years?[ -]old\b/)
      : void 0;
  if (exact) age.min = age.max = Number(exact[1] ?? exact[2]);
  if (take(/\b(?:children|kids|paediatric|pediatric|child)\b/))
    Object.assign(age, { min: age.min ?? 0, max: age.max ?? 17 });
  if (take(/\b(?:adolescents?|teenagers?|teens)\b/)) Object.assign(age, { min: age.min ?? 10, max: age.max ?? 19 });
  if (take(/\b(?:elderly|older adults|seniors?|geriatric|old people|older people)\b/)) age.min ??= 65;
  if (take(/\bmiddle[ -]aged\b/)) Object.assign(age, { min: age.min ?? 40, max: age.max ?? 64 });
  if (take(/\byoung adults?\b/)) Object.assign(age, { min: age.min ?? 18, max: age.max ?? 35 });
  if (take(/\badults?\b/)) age.min ??= 18;
  if ((age.min ?? 0) > 120) throw new EhrRequestError("impossible", `age ${age.min} is beyond the oldest age (120)`);
  return Object.keys(age).length ? age : void 0;
}
function readObservationCount(take) {
  const words =
    "observations?|measurements?|labs?|lab values|lab tests|laboratory values|variables|features|parameters|vitals|tests|columns|fields|data points|biomarkers|markers|values|readings";
  const count = take(
    new RegExp(
      `\\b(\\d+) (?:of the )?(?:most |very )?(?:important|key|main|essential|relevant|common|core|top|major|significant|clinical|coded|different)?\\s*(?:[a-z0-9-]+ ){0,3}?(?:${words})\\b`,
    ),
  );
  if (count) return Number(count[1]);
  if (take(new RegExp(`\\ball (?:the |available |possible )?(?:${words})\\b`))) return "all";
  return void 0;
}
function readSex(take) {
  if (
    take(
      /\b(?:men and women|women and men|males? and females?|females? and males?|both sexes|either sex|any sex|all genders)\b/,
    )
  )
    return "any";
  const female = take(/\b(?:women|woman|females?|ladies|girls|mothers|pregnant)\b/);
  const male = take(/\b(?:men|man|males?|boys|gentlemen)\b/);
  if (female && male)
    throw new EhrRequestError("question", "Women, men, or both? The request mentions both.", ["female", "male", "any"]);
  return female ? "female" : male ? "male" : void 0;
}
function conditionAliases(catalog2) {
  return catalog2.conditions
    .flatMap((condition) =>
      [condition.id.replace(/-/g, " "), ...condition.aliases].map((alias) => ({
        alias: alias.toLowerCase(),
        condition,
      })),
    )
    .sort((a, b) => b.alias.length - a.alias.length);
}
function readConditions(take, current, catalog2, notes) {
  const found = [];
  for (const { alias, condition } of conditionAliases(catalog2)) {
    const pattern = new RegExp(`(?<![a-z0-9])${alias.replace(REGEX_SPECIAL, "\\$&")}(?![a-z0-9])`);
    const at = current().search(pattern);
    if (at < 0) continue;
    take(pattern);
    if (!found.some((entry) => entry.condition === condition)) found.push({ condition, at, alias });
  }
  found.sort((a, b) => a.at - b.at);
  const t2d = found.find((entry) => entry.condition.id === "type-2-diabetes");
  if (t2d && /^(diabetes|diabetic|diabetics|sugar patients)$/.test(t2d.alias))
    notes.push(`"${t2d.alias}" read as type 2 diabetes, the only diabetes medsim generates`);
  return found.map((entry) => entry.condition);
}
function checkAlternatives(text, conditions, catalog2) {
  if (conditions.length < 2) return;
  const aliases = conditionAliases(catalog2);
  const position = (condition) =>
    Math.min(
      ...aliases
        .filter((entry) => entry.condition === condition)
        .map((entry) =>
          text.search(new RegExp(`(?<![a-z0-9])${entry.alias.replace(REGEX_SPECIAL, "\\$&")}(?![a-z0-9])`)),
        )
        .filter((at) => at >= 0),
    );
  const positions = conditions.map(position).sort((a, b) => a - b);
  for (let index = 1; index < positions.length; index++) {
    const between = text.slice(positions[index - 1], positions[index]);
    if (/(?:\bor\b|\/)/.test(between) && !/\band\/or\b/.test(between))
      throw new EhrRequestError(
        "question",
        `Should every patient have ${conditions.map((c) => c.name).join(" and ")}, or do you want separate cohorts? Say "with ${conditions.map((c) => c.name.toLowerCase()).join(" and ")}" for both in every patient, or make one request per condition.`,
      );
  }
}
function readPopulation(take, current, catalog2) {
  const partial = {};
  const countries = [];
  if (take(/\b(?:india|indian|indians|bharat)\b/)) countries.push("india");
  if (take(/(?<![a-z])(?:us|u\.s\.a?\.?|usa|united states(?: of america)?|america|american|americans)(?![a-z])/))
    countries.push("us");
  let state;
  const states = [];
  for (const id of ["india", "us"]) {
    for (const region of [...catalog2.populations[id].regions].sort((a, b) => b.name.length - a.name.length)) {
      const pattern = new RegExp(`(?<![a-z])${region.name.toLowerCase().replace(REGEX_SPECIAL, "\\$&")}(?![a-z])`);
      if (pattern.test(current())) {
        take(pattern);
        states.push({ country: id, name: region.name });
      }
    }
  }
  if (new Set(states.map((entry) => entry.country)).size > 1)
    throw new EhrRequestError(
      "question",
      "The US or India? The request names places in both; medsim generates one population per cohort.",
      ["us", "india"],
    );
  if (states.length > 1)
    throw new EhrRequestError(
      "question",
      `Which state: ${states.map((entry) => entry.name).join(" or ")}? A cohort comes from one state (or the whole country); make one request per state.`,
      states.map((entry) => entry.name),
    );
  state = states[0];
  let district;
  for (const id of ["india", "us"]) {
    for (const region of [...catalog2.populations[id].regions].sort((a, b) => b.name.length - a.name.length)) {
      const pattern = new RegExp(`(?<![a-z])${region.name.toLowerCase().replace(REGEX_SPECIAL, "\\$&")}(?![a-z])`);
      if (!state && pattern.test(current())) {
        take(pattern);
        state = { country: id, name: region.name };
      }
    }
  }
  for (const id of ["india", "us"]) {
    for (const region of catalog2.populations[id].regions) {
      if (state && (state.country !== id || state.name !== region.name)) continue;
      for (const entry of region.districts) {
        const name = typeof entry === "string" ? entry : entry[0];
        const bare = name.toLowerCase().replace(/ (county|parish|municipality|city)$/, "");
        if (id === "us" && !state && bare === name.toLowerCase()) continue;
        const pattern = new RegExp(
          `(?<![a-z])${(id === "us" && !state ? name.toLowerCase() : bare).replace(REGEX_SPECIAL, "\\$&")}(?: (?:county|district|parish))?(?![a-z])`,
        );
        if (!district && pattern.test(current())) {
          take(pattern);
          district = { country: id, state: region.name, name };
        }
      }
    }
  }
  if (state) countries.push(state.country);
  if (district) countries.push(district.country);
  const distinct = [...new Set(countries)];
  if (distinct.length > 1)
    throw new EhrRequestError(
      "question",
      "The US or India? The request names places in both; medsim generates one population per cohort.",
      ["us", "india"],
    );
  const country = distinct[0];
  const rural = take(/\b(?:rural|village|villages|villagers|countryside|remote)\b/);
  const urban = take(/\b(?:urban|city|cities|metro|metropolitan|town|towns)\b/);
  if (rural && urban)
    throw new EhrRequestError("question", "Rural, urban, or both? The request mentions both.", [
      "rural",
      "urban",
      "any",
    ]);
  if (rural) partial.setting = "rural";
  if (urban) partial.setting = "urban";
  if (state) partial.state = state.name;
  if (district) {
    partial.state = district.state;
    partial.district = district.name;
  }
  if (!country && !partial.setting) return void 0;
  if (country) partial.country = country;
  const full = country
    ? { country, setting: partial.setting ?? "any", state: partial.state, district: partial.district }
    : void 0;
  if (full && full.state === void 0) delete full.state;
  if (full && full.district === void 0) delete full.district;
  return { full, partial, country };
}
function readNamedObservations(current, take, catalog2) {
  const aliases = catalog2.observations
    .filter((observation) => !observation.hidden)
    .flatMap((observation) => observation.aliases.map((alias) => ({ alias: alias.toLowerCase(), observation })))
    .sort((a, b) => b.alias.length - a.alias.length);
  const found = [];
  for (const { alias } of aliases) {
    const pattern = new RegExp(`(?<![a-z0-9])${alias.replace(REGEX_SPECIAL, "\\$&")}(?![a-z0-9])`);
    const at = current().search(pattern);
    if (at < 0) continue;
    const group = aliases.filter((entry) => entry.alias === alias).map((entry) => entry.observation);
    take(pattern);
    for (const member of group)
      if (!found.some((entry) => entry.observation === member)) found.push({ observation: member, at });
  }
  return found.sort((a, b) => a.at - b.at).map((entry) => entry.observation);
}
function readRemovals(text, catalog2) {
  const match = /\b(?:remove|drop|exclude|without|no more|take out|minus|delete)\b(.*)$/.exec(text);
  if (!match) return { conditions: [], observations: [] };
  const tail = ` ${normalizeNumbers(match[1].split(/\b(?:and |, ?)?(?:add|include|plus|also|but|then)\b/)[0])} `;
  const conditions = catalog2.conditions
    .filter((condition) =>
      [condition.id.replace(/-/g, " "), ...condition.aliases].some((alias) =>
        new RegExp(`(?<![a-z0-9])${alias.toLowerCase().replace(REGEX_SPECIAL, "\\$&")}(?![a-z0-9])`).test(tail),
      ),
    )
    .map((condition) => condition.id);
  const observations = catalog2.observations
    .filter(
      (observation) =>
        !observation.hidden &&
        observation.aliases.some((alias) =>
          new RegExp(`(?<![a-z0-9])${alias.toLowerCase().replace(REGEX_SPECIAL, "\\$&")}(?![a-z0-9])`).test(tail),
        ),
    )
    .map((observation) => observation.id);
  return { conditions, observations };
}
function chooseObservations(spec2, previous, isFollowUp, requested, named, removed, conditions, catalog2, notes) {
  const available = observationsFor(conditions, catalog2);
  const names = conditions.map((c) => c.name).join(" + ");
  let list;
  if (requested === "all") list = void 0;
  else if (typeof requested === "number") {
    if (requested <= 0) throw new EhrRequestError("impossible", `${requested} observations: ask for at least one`);
    if (requested > available.length)
      throw new EhrRequestError(
        "impossible",
        `${names} has ${available.length} observations, not ${requested}: ${available.map((o) => o.name).join(", ")}. Ask for ${available.length} or fewer, or for all of them.`,
        available.map((o) => o.id),
      );
    list = available.slice(0, requested).map((o) => o.id);
    const extra = named.filter((o) => !list.includes(o.id));
    if (extra.length) {
      list = [...list.slice(0, Math.max(0, requested - extra.length)), ...extra.map((o) => o.id)];
      notes.push(`${extra.map((o) => o.name).join(", ")} included among the ${requested} observations`);
    }
  } else if (isFollowUp) {
    const before = previous?.observations;
    const current =
      before === void 0
        ? available.map((o) => o.id)
        : "top" in before
          ? available.slice(0, before.top).map((o) => o.id)
          : [...before];
    const added = named.filter((o) => !removed.includes(o.id));
    const already = added.filter((o) => current.includes(o.id));
    if (already.length) notes.push(`${already.map((o) => o.name).join(", ")} already included`);
    list = [...current, ...added.filter((o) => !current.includes(o.id)).map((o) => o.id)];
    if (before === void 0 && added.length === already.length && removed.length === 0) list = void 0;
  } else if (named.length > 0) {
    list = named.map((o) => o.id);
  } else list = previous && isFollowUp ? void 0 : void 0;
  if (removed.length) {
    list = (list ?? available.map((o) => o.id)).filter((id) => !removed.includes(id));
    if (list.length === 0)
      throw new EhrRequestError("question", "That removes every observation; which observations should be written?");
  }
  if (spec2.observations && isFollowUp && requested === void 0 && named.length === 0 && removed.length === 0)
    return spec2.observations;
  return list;
}
function unknownSlot(text) {
  const filler = new Set(
    "a an the of with and or from in at for to who have has having suffering diagnosed known new synthetic fake realistic random sample ehr ehrs emr data records record health electronic important key clinical patient patients people persons individuals cases case adults adult some more based on population please generate create make simulate produce give me i need want me their them chronic disease diseases condition conditions disorder mild moderate severe uncontrolled controlled typical treated untreated on its it is are be about around approximately roughly exactly only just visits each per across over year years old aged age state district county rural urban between".split(
      " ",
    ),
  );
  const candidates = [
    new RegExp(`\\b\\d+\\s+((?:[a-z'-]+\\s+){1,4}?)(?:${COHORT_NOUNS})\\b`).exec(text)?.[1],
    /\b(?:with|having|suffering from|diagnosed with|who have|who has|affected by)\s+((?:[a-z'-]+\s*){1,4})/.exec(
      text,
    )?.[1],
  ];
  for (const candidate of candidates) {
    if (!candidate) continue;
    const words = candidate
      .trim()
      .split(/\s+/)
      .filter((word) => word && !filler.has(word) && !/^\d/.test(word));
    if (words.length > 0) return words.join(" ");
  }
  return void 0;
}
var FOLLOW_UP_FILLER = new Set(
  "a an the it its them those these that this to of and or but please now also instead only just add include including plus make change set switch use keep same rest double halve twice half size number cohort patients patient people records them all everything else same as with from in for be is are should would like want i we could can you let lets let's more fewer less remove drop exclude without delete take out minus no longer instead then ok okay too as well".split(
    " ",
  ),
);
function leftoverWords(text) {
  const words = text
    .replace(/[^a-z0-9' -]/g, " ")
    .split(/\s+/)
    .filter((word) => word && !FOLLOW_UP_FILLER.has(word) && !/^\d/.test(word));
  return words.length ? words.join(" ") : void 0;
}
function unknownCondition(name, catalog2) {
  const known = catalog2.conditions.map((condition) => condition.id);
  return new EhrRequestError(
    "impossible",
    `medsim cannot generate "${name}"; known conditions: ${known.join(", ")}`,
    known,
  );
}

// src/ehr/engine-parse.ts
import { z as z6 } from "zod";

// src/library/index.ts
import { join as join3 } from "node:path";

// src/domain/case.ts
import { z as z3 } from "zod";
var FactSchema = z3.preprocess(
  (value) => (typeof value === "string" ? { text: value } : value),
  z3.object({
    text: z3.string().trim().min(1, "a fact must not be empty"),
    volunteer: z3.boolean().default(false).describe("true: the patient mentions it without being asked"),
  }),
);
var facts = () => z3.array(FactSchema).default([]);
var DemographicsSchema = z3.object({
  name: z3.string().min(1).describe("what the patient is called in the dialogue"),
  age: z3.number().int().min(0).max(120),
  sex: z3.enum(["male", "female", "other"]),
  occupation: z3.string().min(1),
  region: z3.string().min(1).describe("where the patient lives, e.g. 'rural Bihar, India'"),
  language: z3.string().min(1).describe("the language the patient speaks best"),
});
var HistoryOfPresentIllnessSchema = z3.object({
  onset: FactSchema,
  duration: FactSchema,
  location: FactSchema.optional(),
  character: FactSchema.optional(),
  severity: z3.number().min(0).max(10).describe("0-10, as the patient would rate it"),
  timing: FactSchema.optional(),
  aggravating: facts(),
  relieving: facts(),
  associated: facts().describe("associated symptoms"),
  negatives: facts().describe("pertinent negatives: symptoms the patient does not have"),
});
var SocialHistorySchema = z3.object({
  tobacco: FactSchema,
  alcohol: FactSchema,
  diet: FactSchema.optional(),
  living: FactSchema.optional().describe("living situation"),
  occupation: FactSchema.optional().describe("work details and exposures"),
  other: facts().describe("travel, sexual history, contacts, and so on"),
});
var IdeasConcernsExpectationsSchema = z3.object({
  ideas: FactSchema.describe("what the patient thinks is wrong (never the real diagnosis)"),
  concerns: FactSchema,
  expectations: FactSchema,
});
var VitalSignsSchema = z3.object({
  temperatureC: z3.number().min(25).max(45),
  heartRate: z3.number().int().min(20).max(250),
  respiratoryRate: z3.number().int().min(4).max(80),
  bloodPressure: z3.string().regex(/^\d{2,3}\/\d{2,3}$/, "expected systolic/diastolic, e.g. 120/80"),
  oxygenSaturation: z3.number().min(50).max(100).optional(),
  weightKg: z3.number().min(1).max(300).optional(),
});
var DiagnosisSchema = z3.object({
  primary: z3.string().min(1),
  /** Other names of the diagnosis that must never be said either (abbreviations, local names). */
  aliases: z3.array(z3.string().min(1)).default([]),
  differentials: z3.array(z3.string().min(1)).default([]),
});
var PatientCaseSchema = z3.strictObject({
  id: z3.string().regex(/^[a-z0-9][a-z0-9-]*$/, "expected lowercase letters, digits and dashes, e.g. 'dengue-fever'"),
  title: z3.string().min(1),
  setting: z3.string().min(1).optional().describe("where the encounter happens"),
  demographics: DemographicsSchema,
  openingStatement: z3.string().min(1).describe("the patient's first words when asked what brings them in"),
  chiefComplaint: z3.string().min(1),
  historyOfPresentIllness: HistoryOfPresentIllnessSchema,
  pastMedicalHistory: facts(),
  medications: facts(),
  allergies: facts(),
  familyHistory: facts(),
  socialHistory: SocialHistorySchema,
  ideasConcernsExpectations: IdeasConcernsExpectationsSchema,
  vitalSigns: VitalSignsSchema,
  /** Findings revealed only when the student examines, keyed by system ("abdomen", "chest"). */
  examination: z3.record(z3.string(), z3.string().min(1)).default({}),
  /** Results revealed only when the student orders the test, keyed by test name. */
  tests: z3.record(z3.string(), z3.string().min(1)).default({}),
  diagnosis: DiagnosisSchema,
});

// src/domain/persona.ts
import { z as z4 } from "zod";
var PersonaSchema = z4.strictObject({
  id: z4.string().regex(/^[a-z0-9][a-z0-9_-]*$/, "expected lowercase letters, digits, '_' and '-', e.g. 'anxious'"),
  name: z4.string().min(1),
  description: z4.string().min(1),
  axes: z4.object({
    personality: z4
      .string()
      .min(1)
      .describe("e.g. plain, anxious, rude, overly_patient, distrustful, self_diagnosing, pleasing, low_literacy"),
    languageProficiency: z4.enum(["A", "B", "C"]).describe("A basic, B intermediate, C fluent (CEFR-like)"),
    recall: z4.enum(["low", "high"]).describe("how well the patient remembers their own history"),
    confusion: z4.enum(["none", "moderate", "high"]),
  }),
  traits: z4.array(z4.string().min(1)).min(1).describe("speech traits the patient shows"),
  sentenceLimit: z4.number().int().min(1).max(12).describe("at most this many sentences a reply"),
  examples: z4.array(z4.string().min(1)).min(1).describe("a few lines in this persona's voice"),
  /** Phrases the offline (scripted) engine mixes in; optional, derived from the axes when absent. */
  phrases: z4
    .object({
      openers: z4.array(z4.string()).default([]),
      closers: z4.array(z4.string()).default([]),
      hedges: z4.array(z4.string()).default([]),
    })
    .optional(),
});

// src/domain/dialogue.ts
import { z as z5 } from "zod";
var DialogueTurnSchema = z5.object({
  role: z5.enum(["doctor", "patient"]),
  content: z5.string(),
});
var SessionRecordSchema = z5.object({
  caseId: z5.string().min(1),
  personaId: z5.string().min(1),
  engine: z5.string().min(1),
  startedAt: z5.string().datetime(),
  turns: z5.array(DialogueTurnSchema),
  disclosedFactIds: z5.array(z5.string()),
});

// src/library/catalog.ts
import { readdir as readdir2 } from "node:fs/promises";
import { basename, extname as extname2, join as join2 } from "node:path";
var Catalog = class {
  constructor(kind, directory, schema) {
    this.kind = kind;
    this.directory = directory;
    this.schema = schema;
  }
  kind;
  directory;
  schema;
  cache;
  /** All built-in items, sorted by id. */
  async list() {
    return [...(await this.load()).values()];
  }
  async ids() {
    return [...(await this.load()).keys()];
  }
  /** A built-in item by id, or an item from a file when the argument looks like a path. */
  async get(idOrPath) {
    if (looksLikePath(idOrPath)) return this.loadFile(idOrPath);
    const items = await this.load();
    const item = items.get(idOrPath);
    if (!item) throw new NotFoundError(this.kind, idOrPath, [...items.keys()]);
    return item;
  }
  /** Loads and validates one item from a JSON or YAML file. */
  async loadFile(path) {
    return validate(this.schema, await readStructuredFile(path), path);
  }
  load() {
    this.cache ??= (async () => {
      const files = (await readdir2(this.directory)).filter((file) => /\.(ya?ml|json)$/i.test(file)).sort();
      const items = /* @__PURE__ */ new Map();
      for (const file of files) {
        const path = join2(this.directory, file);
        const item = await this.loadFile(path);
        const expectedId = basename(file, extname2(file));
        if (item.id !== expectedId) {
          throw new ValidationError(path, [
            { field: "id", message: `expected "${expectedId}" (the file name), found "${item.id}"` },
          ]);
        }
        items.set(item.id, item);
      }
      return items;
    })();
    return this.cache;
  }
};
function looksLikePath(value) {
  return /[\\/]/.test(value) || /\.(ya?ml|json)$/i.test(value);
}

// src/library/index.ts
var cases = new Catalog("case", join3(dataDirectory, "cases"), PatientCaseSchema);
var personas = new Catalog("persona", join3(dataDirectory, "personas"), PersonaSchema);

// src/ehr/engine-parse.ts
var COHORT_SPEC_JSON_SCHEMA = z6.toJSONSchema(CohortSpecSchema, { io: "input" });

// src/util/random.ts
function createRandom(seed2) {
  let state = seed2 >>> 0;
  return () => {
    state = (state + 1831565813) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function deriveSeed(seed2, stream) {
  let h = (seed2 ^ Math.imul(stream + 1, 2654435761)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 2246822507) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 3266489909) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

// src/ehr/generate.ts
var DAY_MS = 864e5;
var REQUIREMENT_ATTEMPTS = 40;
function generatePatient(plan2, seed2, index) {
  const random = createRandom(deriveSeed(seed2, index));
  const normal = createNormal(random);
  const id = uuid(random);
  const [sex, age] = pickAgeSex(plan2, random);
  const female = sex === "female";
  const region = plan2.regions[pickCumulative(plan2.regionCumulative, random)];
  const district = region.districts[Math.floor(random() * region.districts.length)];
  const setting = district.urbanOnly
    ? "urban"
    : plan2.spec.population.setting !== "any"
      ? plan2.spec.population.setting
      : random() < region.urbanShare
        ? "urban"
        : "rural";
  const names = plan2.population.nameGroups[region.nameGroup];
  const firstName = pickOne(random, female ? names.female : names.male);
  const lastName =
    female && names.femaleSurnames && random() < 0.5
      ? pickOne(random, names.femaleSurnames)
      : pickOne(random, names.surnames);
  const [race, ethnicity] = pickEthnicity(plan2, random);
  let occupation = pickOne(random, plan2.population.occupations[setting]);
  if (!female && occupation === "homemaker") occupation = plan2.population.occupations[setting][0];
  const conditions = [...plan2.conditions];
  for (const { condition, probability } of plan2.comorbidities) {
    const draw = random();
    if (draw < probability && age >= condition.ages[0] && age <= condition.ages[1]) conditions.push(condition);
  }
  const dates = visitDates(plan2, conditions, random);
  const birthDate = new Date(dates[dates.length - 1] - (age * 365.25 + 1 + random() * 364) * DAY_MS);
  const patient = { age, female, conditions };
  const models = resolveModels(plan2, conditions);
  const visits2 = simulateVisits(plan2, patient, models, dates, random, normal);
  const first = visits2[0];
  const patientConditions = conditions.map((condition, position) => {
    const stage = condition.stages;
    let snomed = condition.snomed;
    let icd10 = condition.icd10;
    if (stage) {
      const value = first.values[plan2.positions.get(stage.observation)];
      const band = stage.bands.find((entry) => value >= entry.min);
      if (band) {
        snomed = { code: band.snomed, display: band.display };
        icd10 = { code: band.icd10, display: band.icd10Display };
      }
    }
    return {
      condition,
      primary: position < plan2.conditions.length,
      onsetDate: first.start.slice(0, 10),
      snomed,
      icd10,
    };
  });
  for (const visit of visits2) visit.id = uuid(random);
  return {
    index,
    id,
    firstName,
    lastName,
    sex,
    birthDate: isoDate(birthDate.getTime()),
    age,
    country: plan2.population.country,
    state: region.name,
    stateAbbreviation: region.abbreviation,
    district: district.name,
    city: district.city,
    setting,
    race,
    ethnicity,
    language: region.language,
    occupation,
    conditions: patientConditions,
    visits: visits2,
  };
}
var AGE = -1;
var FEMALE = -2;
function resolveModels(plan2, conditions) {
  const key = conditions.map((condition) => condition.id).join("|");
  const cache2 = plan2.modelCache ?? /* @__PURE__ */ new Map();
  plan2.modelCache = cache2;
  const cached = cache2.get(key);
  if (cached) return cached;
  const position = plan2.positions;
  const ordered = plan2.catalog.conditions.filter((condition) => conditions.includes(condition));
  const models = plan2.computed.map((observation) => {
    let model = observation.model;
    model = observation.populations[plan2.populationId]?.model ?? model;
    let drift = 0;
    let course;
    let courseLog = false;
    for (const condition of ordered) {
      const override = condition.overrides[observation.id];
      if (!override) continue;
      model = override.populations[plan2.populationId]?.model ?? override.model;
      drift = override.drift;
      course = override.course;
      courseLog = override.courseScale === "log";
    }
    const formula = observation.formula ? FORMULAS[observation.formula] : void 0;
    const effects = /* @__PURE__ */ new Map();
    for (const medication of plan2.catalog.medications.values()) {
      const effect = medication.effects[observation.id];
      if (effect !== void 0) effects.set(medication.id, effect);
    }
    if (!model || formula) {
      return {
        observation,
        formula,
        logNormal: false,
        center: 0,
        spread: 0,
        within: 0,
        terms: [],
        min: -Infinity,
        max: Infinity,
        drift: 0,
        courseLog: false,
        scale: 10 ** observation.decimals,
        effects,
      };
    }
    const logNormal = model.median !== void 0;
    const terms = model.terms.map(([variable, coefficient, center]) => ({
      index: variable === "age" ? AGE : variable === "female" ? FEMALE : position.get(variable),
      coefficient,
      center: center ?? 0,
    }));
    return {
      observation,
      logNormal,
      center: logNormal ? Math.log(model.median) : model.mean,
      spread: logNormal ? Math.log(model.spread) : model.sd,
      within: logNormal ? Math.log(model.within ?? Math.sqrt(model.spread)) : (model.within ?? model.sd / 2),
      terms,
      min: model.range[0],
      max: model.range[1],
      drift,
      course,
      courseLog,
      scale: 10 ** observation.decimals,
      effects,
    };
  });
  cache2.set(key, models);
  return models;
}
function simulateVisits(plan2, patient, models, dates, random, normal) {
  const count = models.length;
  const position = plan2.positions;
  const conditionIds = new Set(patient.conditions.map((condition) => condition.id));
  const ageAtLast = patient.age;
  const firstDate = dates[0];
  const lastDate = dates[dates.length - 1];
  const baseline = new Float64Array(count);
  const requirements = patient.conditions
    .map((condition) => requirementFor(condition, plan2.populationId))
    .filter((r) => r !== void 0);
  const lookupFor = (values, age) => (variable) => {
    const index = position.get(variable);
    if (index !== void 0) return values[index];
    if (variable === "age") return age;
    if (variable === "female") return patient.female ? 1 : 0;
    if (variable === "india") return plan2.populationId === "india" ? 1 : 0;
    if (variable === "us") return plan2.populationId === "us" ? 1 : 0;
    if (plan2.catalog.conditionById.has(variable)) return conditionIds.has(variable) ? 1 : 0;
    return void 0;
  };
  let firstValues = new Float64Array(count);
  const ageAt = (date) => Math.max(0, ageAtLast - Math.floor((lastDate - date) / (365.25 * DAY_MS)));
  for (let attempt = 0; attempt < REQUIREMENT_ATTEMPTS; attempt++) {
    for (let index = 0; index < count; index++) baseline[index] = normal();
    firstValues = computeValues(
      models,
      baseline,
      new Float64Array(count),
      ageAt(firstDate),
      patient.female,
      0,
      0,
      [],
      plan2,
    );
    const lookup = lookupFor(firstValues, ageAt(firstDate));
    if (requirements.every((rule) => evaluatePredicate(rule, lookup))) break;
  }
  const states = patient.conditions.map((condition) => ({
    condition,
    treatment: treatmentFor(condition, plan2.populationId),
    step: 0,
    choices: /* @__PURE__ */ new Map(),
  }));
  const visits2 = [];
  let active = [];
  const noise = new Float64Array(count);
  for (let visitIndex = 0; visitIndex < dates.length; visitIndex++) {
    const date = dates[visitIndex];
    const years = (date - firstDate) / (365.25 * DAY_MS);
    let values;
    if (visitIndex === 0) values = firstValues;
    else {
      for (let index = 0; index < count; index++) noise[index] = normal();
      values = computeValues(models, baseline, noise, ageAt(date), patient.female, years, visitIndex, active, plan2);
    }
    const lookup = lookupFor(values, ageAt(date));
    const prescribed = [];
    const reasons = {};
    const steps = {};
    for (const state of states) {
      const medicines = decideTreatment(state, visitIndex, lookup);
      steps[state.condition.id] = state.step;
      for (const medicine of medicines)
        if (!prescribed.includes(medicine)) {
          prescribed.push(medicine);
          reasons[medicine] = state.condition.id;
        }
    }
    const minute = Math.floor(random() * 480);
    const start = new Date(date + (8 * 60 + minute) * 6e4).toISOString().replace(".000Z", "Z");
    visits2.push({ id: "", start, values, medications: prescribed, reasons, steps });
    active = prescribed;
  }
  return visits2;
}
function computeValues(models, baseline, noise, age, female, years, visitIndex, medicines, plan2) {
  const values = new Float64Array(models.length);
  const position = plan2.positions;
  const get = (variable) =>
    variable === "age" ? age : variable === "female" ? (female ? 1 : 0) : values[position.get(variable)];
  for (let index = 0; index < models.length; index++) {
    const model = models[index];
    let value;
    if (model.formula) {
      value = model.formula(get);
    } else {
      let linear = model.center + model.spread * baseline[index] + model.within * noise[index];
      for (const term of model.terms) {
        const variable = term.index === AGE ? age : term.index === FEMALE ? (female ? 1 : 0) : values[term.index];
        linear += term.coefficient * (variable - term.center);
      }
      const offset = model.course ? (model.course[Math.min(visitIndex, model.course.length - 1)] ?? 0) : 0;
      if (model.logNormal) value = Math.exp(linear + (model.courseLog ? offset : 0)) + (model.courseLog ? 0 : offset);
      else value = linear + offset;
      value += model.drift * years;
      if (model.effects.size > 0)
        for (const medicine of medicines) {
          const effect = model.effects.get(medicine);
          if (effect === void 0) continue;
          value = typeof effect === "number" ? value + effect : value * effect.scale;
        }
      value = Math.min(model.max, Math.max(model.min, value));
    }
    values[index] = Math.round(value * model.scale) / model.scale;
  }
  return values;
}
function decideTreatment(state, visitIndex, lookup) {
  const treatment = state.treatment;
  if (!treatment) return [];
  const holds = (rule) => rule === void 0 || evaluatePredicate(rule, lookup);
  const excluded = /* @__PURE__ */ new Set();
  for (const [medicine, rule] of treatment.exclude) if (holds(rule)) excluded.add(medicine);
  let medicines = [];
  if (treatment.byVisit) {
    medicines = [...(treatment.byVisit[Math.min(visitIndex, treatment.byVisit.length - 1)] ?? [])];
    state.step = visitIndex + 1;
  } else {
    const maxStep = treatment.steps.length;
    if (visitIndex === 0) {
      state.step = Math.min(maxStep, treatment.start.find((entry) => holds(entry[1]))?.[0] ?? 1);
    } else {
      const jump = treatment.jump.find(([step, rule]) => step > state.step && holds(rule));
      if (jump) state.step = Math.min(maxStep, jump[0]);
      else if (treatment.target && !holds(treatment.target)) state.step = Math.min(maxStep, state.step + 1);
    }
    for (let step = 0; step < state.step; step++) {
      treatment.steps[step].forEach((item, position) => {
        if (typeof item === "string") return medicines.push(item);
        const key = `${step}:${position}`;
        let chosen = state.choices.get(key);
        if (!chosen || excluded.has(chosen)) {
          chosen = item.first.find((choice) => !excluded.has(choice[0]) && holds(choice[1]))?.[0];
          if (chosen) state.choices.set(key, chosen);
        }
        if (chosen) medicines.push(chosen);
      });
    }
  }
  for (const [medicine, rule] of treatment.addons) if (holds(rule)) medicines.push(medicine);
  return [...new Set(medicines)].filter((medicine) => !excluded.has(medicine));
}
function visitDates(plan2, conditions, random) {
  const end = Date.parse(`${plan2.spec.endDate}T00:00:00Z`);
  const scheduled = conditions.find((condition) => condition.schedule)?.schedule;
  const spanDays = Math.round(plan2.spec.visits.years * 365);
  if (scheduled) {
    const unitDays = scheduled.unit === "day" ? 1 : 30;
    const length = scheduled.at[scheduled.at.length - 1] * unitDays;
    const start = end - (length + Math.floor(random() * Math.max(1, spanDays))) * DAY_MS;
    return scheduled.at.map((at) => start + Math.round(at * unitDays) * DAY_MS);
  }
  const count = plan2.spec.visits.count;
  if (count === 1) return [end - Math.floor(random() * 30) * DAY_MS];
  const first = end - spanDays * DAY_MS;
  const dates = [];
  for (let visit = 0; visit < count; visit++) {
    const planned = first + Math.round((visit * spanDays) / (count - 1)) * DAY_MS;
    const window = Math.min(14, spanDays / (count - 1) / 2);
    const jitter = (visit === 0 ? 1 : -1) * Math.floor(random() * window) * DAY_MS;
    dates.push(Math.max(dates[visit - 1] ?? -Infinity, planned + jitter));
  }
  return dates;
}
function pickAgeSex(plan2, random) {
  const cell = pickCumulative(plan2.ageSexCumulative, random);
  return [cell >= 121 ? "female" : "male", cell % 121];
}
function pickEthnicity(plan2, random) {
  const table = plan2.population.ethnicities;
  if (!table) return [void 0, void 0];
  const total = table.reduce((sum, entry) => sum + entry[2], 0);
  let draw = random() * total;
  for (const [race, ethnicity, weight] of table) {
    draw -= weight;
    if (draw < 0) return [race, ethnicity];
  }
  return [table[0][0], table[0][1]];
}
function pickCumulative(cumulative, random) {
  const target = random() * cumulative[cumulative.length - 1];
  let low = 0;
  let high = cumulative.length - 1;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (cumulative[middle] > target) high = middle;
    else low = middle + 1;
  }
  return low;
}
function pickOne(random, items) {
  return items[Math.floor(random() * items.length)];
}
function createNormal(random) {
  let spare;
  return () => {
    if (spare !== void 0) {
      const value = spare;
      spare = void 0;
      return value;
    }
    let u;
    let v;
    let s;
    do {
      u = random() * 2 - 1;
      v = random() * 2 - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const factor = Math.sqrt((-2 * Math.log(s)) / s);
    spare = v * factor;
    return u * factor;
  };
}
var HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, "0"));
function uuid(random) {
  const bytes2 = [];
  for (let word = 0; word < 4; word++) {
    const value = (random() * 4294967296) >>> 0;
    bytes2.push(HEX[value >>> 24], HEX[(value >>> 16) & 255], HEX[(value >>> 8) & 255], HEX[value & 255]);
  }
  bytes2[6] = HEX[64 | (parseInt(bytes2[6], 16) & 15)];
  bytes2[8] = HEX[128 | (parseInt(bytes2[8], 16) & 63)];
  return `${bytes2.slice(0, 4).join("")}-${bytes2.slice(4, 6).join("")}-${bytes2.slice(6, 8).join("")}-${bytes2.slice(8, 10).join("")}-${bytes2.slice(10).join("")}`;
}
function isoDate(time) {
  return new Date(time).toISOString().slice(0, 10);
}

// src/ehr/formats/cases.ts
import { stringify } from "yaml";

// src/ehr/formats/sink.ts
import { randomBytes } from "node:crypto";
import { mkdir as mkdir2, open, rename as rename2, rm as rm2, stat } from "node:fs/promises";
import { dirname as dirname2, join as join4 } from "node:path";
var FLUSH_BYTES = 1 << 20;
var TextSink = class _TextSink {
  constructor(handle) {
    this.handle = handle;
  }
  handle;
  parts = [];
  size = 0;
  static async open(path) {
    await mkdir2(dirname2(path), { recursive: true });
    return new _TextSink(await open(path, "w"));
  }
  async write(text) {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= FLUSH_BYTES) await this.flush();
  }
  async flush() {
    if (this.parts.length === 0) return;
    const text = this.parts.join("");
    this.parts = [];
    this.size = 0;
    await this.handle.write(text);
  }
  async close() {
    await this.flush();
    await this.handle.close();
  }
};
var AtomicOutput = class {
  constructor(path, kind) {
    this.path = path;
    this.kind = kind;
    this.temporary = `${path}.${randomBytes(6).toString("hex")}.tmp`;
  }
  path;
  kind;
  temporary;
  /** A path inside the temporary folder (directory outputs) or the temporary file itself. */
  file(name) {
    return name === void 0 ? this.temporary : join4(this.temporary, name);
  }
  async prepare() {
    const existing = await stat(this.path).catch(() => void 0);
    if (existing && this.kind === "directory" && !existing.isDirectory())
      throw new FileError(this.path, "exists and is not a folder (this format writes a folder)");
    if (existing && this.kind === "file" && existing.isDirectory())
      throw new FileError(this.path, "is a folder (this format writes one file)");
    if (this.kind === "directory") await mkdir2(this.temporary, { recursive: true });
    else await mkdir2(dirname2(this.path), { recursive: true });
  }
  async commit() {
    if (this.kind === "file") return rename2(this.temporary, this.path);
    const existing = await stat(this.path).catch(() => void 0);
    if (existing) {
      const aside = `${this.path}.${randomBytes(6).toString("hex")}.old`;
      await rename2(this.path, aside);
      await rename2(this.temporary, this.path);
      await rm2(aside, { recursive: true, force: true });
    } else await rename2(this.temporary, this.path);
  }
  async abort() {
    await rm2(this.temporary, { recursive: true, force: true });
  }
};
function csvField(value) {
  if (value === void 0) return "";
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
function csvRow(values) {
  return `${values.map(csvField).join(",")}
`;
}

// src/ehr/formats/types.ts
function formatValue(value, decimals) {
  return value.toFixed(decimals);
}
function medicationPeriods(patient) {
  const periods = [];
  const open2 = /* @__PURE__ */ new Map();
  patient.visits.forEach((visit, index) => {
    for (const [medication, period] of open2)
      if (!visit.medications.includes(medication)) {
        period.stopVisit = index;
        open2.delete(medication);
      }
    for (const medication of visit.medications)
      if (!open2.has(medication)) {
        const period = { medication, reason: visit.reasons[medication], startVisit: index };
        periods.push(period);
        open2.set(medication, period);
      }
  });
  return periods;
}

// src/ehr/formats/cases.ts
var TOBACCO = ["Never smoked", "Never used tobacco", "Chews tobacco occasionally", "Gave up smoking ten years ago"];
var ALCOHOL = ["Does not drink alcohol", "Drinks occasionally at weddings", "A drink or two at weekends"];
function caseId(seed2, index) {
  return `ehr-${seed2}-${index}`;
}
function patientToCase(plan2, patient, seed2) {
  const primary = patient.conditions[0].condition;
  const story = primary.case;
  const first = patient.visits[0];
  const value = (id) => {
    const index = plan2.positions.get(id);
    return index === void 0 ? void 0 : first.values[index];
  };
  const others = patient.conditions.filter((entry) => !entry.primary);
  const otherIds = new Set(others.map((entry) => entry.condition.id));
  const medicines = first.medications
    .filter((id) => otherIds.has(first.reasons[id]))
    .map((id) => {
      const medication = plan2.catalog.medications.get(id);
      return `${medication.name} ${medication.dose}`;
    });
  const tests = {};
  for (const observation of plan2.outputs) {
    if (observation.category === "vital-signs") continue;
    const result2 = value(observation.id);
    if (result2 !== void 0)
      tests[observation.name] =
        `${formatValue(result2, observation.decimals)} ${observation.unit} (LOINC ${observation.loinc})`;
  }
  const pick = (items) => items[patient.index % items.length];
  const sbp = value("sbp");
  const dbp = value("dbp");
  const woman = patient.sex === "female";
  const place = `${patient.setting} ${patient.district}, ${patient.state}, ${plan2.population.name}`;
  return {
    id: caseId(seed2, patient.index),
    title: `${primary.name}: ${patient.age}-year-old ${woman ? "woman" : "man"} from ${place}`,
    setting: `${patient.setting === "rural" ? "Rural" : "Urban"} outpatient clinic, ${patient.district}`,
    demographics: {
      name: `${patient.firstName} ${patient.lastName}`,
      age: patient.age,
      sex: patient.sex,
      occupation: patient.occupation,
      region: place,
      language: patient.language ?? "English",
    },
    openingStatement: story.openingStatement,
    chiefComplaint: story.chiefComplaint,
    historyOfPresentIllness: {
      onset: story.onset,
      duration: story.duration,
      ...(story.location ? { location: story.location } : {}),
      ...(story.character ? { character: story.character } : {}),
      severity: story.severity,
      associated: story.associated,
      negatives: story.negatives,
    },
    pastMedicalHistory: others.length
      ? others.map((entry) => `${entry.condition.name}, known`)
      : ["No previous illnesses"],
    medications: medicines.length ? medicines : ["No regular medicines"],
    allergies: ["No known drug allergies"],
    familyHistory: story.familyHistory,
    socialHistory: {
      tobacco: primary.id === "copd" ? "Smoked about 20 bidis or cigarettes a day for 30 years" : pick(TOBACCO),
      alcohol: pick(ALCOHOL),
      occupation: patient.occupation,
    },
    ideasConcernsExpectations: { ideas: story.ideas, concerns: story.concerns, expectations: story.expectations },
    vitalSigns: {
      temperatureC: value("temperature") ?? 36.8,
      heartRate: Math.round(value("heart-rate") ?? 78),
      respiratoryRate: Math.round(value("respiratory-rate") ?? 16),
      bloodPressure: sbp !== void 0 && dbp !== void 0 ? `${sbp}/${dbp}` : "124/78",
      ...(value("spo2") !== void 0 ? { oxygenSaturation: value("spo2") } : {}),
      ...(value("weight") !== void 0 ? { weightKg: value("weight") } : {}),
    },
    examination: story.examination,
    tests,
    diagnosis: { primary: primary.name, aliases: story.aliases, differentials: [] },
  };
}
function casesWriter(plan2, seed2) {
  let output;
  return {
    kind: "directory",
    async open(target) {
      output = target;
    },
    async write(patient) {
      const sink = await TextSink.open(output.file(`${caseId(seed2, patient.index)}.yaml`));
      await sink.write(stringify(patientToCase(plan2, patient, seed2)));
      await sink.close();
    },
    async close() {},
  };
}

// src/ehr/formats/synthea.ts
var SYNTHEA_COLUMNS = {
  patients:
    "Id,BIRTHDATE,DEATHDATE,SSN,DRIVERS,PASSPORT,PREFIX,FIRST,LAST,SUFFIX,MAIDEN,MARITAL,RACE,ETHNICITY,GENDER,BIRTHPLACE,ADDRESS,CITY,STATE,COUNTY,ZIP,LAT,LON,HEALTHCARE_EXPENSES,HEALTHCARE_COVERAGE",
  encounters:
    "Id,START,STOP,PATIENT,ORGANIZATION,PROVIDER,PAYER,ENCOUNTERCLASS,CODE,DESCRIPTION,BASE_ENCOUNTER_COST,TOTAL_CLAIM_COST,PAYER_COVERAGE,REASONCODE,REASONDESCRIPTION",
  conditions: "START,STOP,PATIENT,ENCOUNTER,CODE,DESCRIPTION",
  observations: "DATE,PATIENT,ENCOUNTER,CATEGORY,CODE,DESCRIPTION,VALUE,UNITS,TYPE",
  medications:
    "START,STOP,PATIENT,PAYER,ENCOUNTER,CODE,DESCRIPTION,BASE_COST,PAYER_COVERAGE,DISPENSES,TOTALCOST,REASONCODE,REASONDESCRIPTION",
};
var ENCOUNTER_TYPES = {
  first: { code: "185349003", display: "Encounter for check up (procedure)" },
  followUp: { code: "390906007", display: "Follow-up encounter (procedure)" },
};
function encounterEnd(start) {
  return new Date(Date.parse(start) + 20 * 6e4).toISOString().replace(".000Z", "Z");
}
function syntheaWriter(plan2) {
  const sinks = /* @__PURE__ */ new Map();
  const computed = plan2.computed
    .map((observation, index) => ({ observation, index }))
    .filter(({ observation }) => plan2.outputs.includes(observation));
  return {
    kind: "directory",
    async open(output, { header }) {
      for (const table of Object.keys(SYNTHEA_COLUMNS)) {
        const sink = await TextSink.open(output.file(`${table}.csv`));
        if (header)
          await sink.write(`${SYNTHEA_COLUMNS[table]}
`);
        sinks.set(table, sink);
      }
    },
    async write(patient) {
      const write = (table, values) => sinks.get(table).write(csvRow(values));
      await write("patients", [
        patient.id,
        patient.birthDate,
        "",
        "",
        "",
        "",
        "",
        patient.firstName,
        patient.lastName,
        "",
        "",
        "",
        patient.race ?? "",
        patient.ethnicity ?? "",
        patient.sex === "female" ? "F" : "M",
        "",
        "",
        patient.city,
        patient.state,
        patient.district,
        "",
        "",
        "",
        "0.00",
        "0.00",
      ]);
      const primary = patient.conditions[0];
      for (const [index, visit] of patient.visits.entries()) {
        const type = index === 0 ? ENCOUNTER_TYPES.first : ENCOUNTER_TYPES.followUp;
        await write("encounters", [
          visit.id,
          visit.start,
          encounterEnd(visit.start),
          patient.id,
          "",
          "",
          "",
          "ambulatory",
          type.code,
          type.display,
          "0.00",
          "0.00",
          "0.00",
          primary.snomed?.code ?? "",
          primary.snomed?.display ?? "",
        ]);
        for (const { observation, index: position } of computed)
          await write("observations", [
            visit.start,
            patient.id,
            visit.id,
            observation.category,
            observation.loinc,
            observation.display ?? observation.name,
            formatValue(visit.values[position], observation.decimals),
            observation.unit,
            "numeric",
          ]);
      }
      const lastVisit = patient.visits[patient.visits.length - 1];
      for (const entry of patient.conditions) {
        if (!entry.snomed) continue;
        const resolved = entry.condition.kind === "acute" ? lastVisit.start.slice(0, 10) : "";
        await write("conditions", [
          entry.onsetDate,
          resolved,
          patient.id,
          patient.visits[0].id,
          entry.snomed.code,
          entry.snomed.display,
        ]);
      }
      for (const period of medicationPeriods(patient)) {
        const medication = plan2.catalog.medications.get(period.medication);
        const reason = patient.conditions.find((entry) => entry.condition.id === period.reason);
        await write("medications", [
          patient.visits[period.startVisit].start,
          period.stopVisit === void 0 ? "" : patient.visits[period.stopVisit].start,
          patient.id,
          "",
          patient.visits[period.startVisit].id,
          medication.rxnorm,
          medication.name,
          "0.00",
          "0.00",
          "",
          "0.00",
          reason?.snomed?.code ?? "",
          reason?.snomed?.display ?? "",
        ]);
      }
    },
    async close() {
      for (const sink of sinks.values()) await sink.close();
    },
  };
}

// src/ehr/formats/fhir.ts
var SYSTEMS = {
  snomed: "http://snomed.info/sct",
  icd10: "http://hl7.org/fhir/sid/icd-10",
  loinc: "http://loinc.org",
  ucum: "http://unitsofmeasure.org",
  rxnorm: "http://www.nlm.nih.gov/research/umls/rxnorm",
  atc: "http://www.whocc.no/atc",
};
var RESOURCE_TYPES = ["Patient", "Encounter", "Condition", "Observation", "MedicationRequest"];
function derivedId(base, counter) {
  return `${base.slice(0, 24)}${counter.toString(16).padStart(12, "0")}`;
}
function patientResources(plan2, patient, reference) {
  const subject = { reference: reference("Patient", patient.id), display: `${patient.firstName} ${patient.lastName}` };
  const resources = [
    {
      resourceType: "Patient",
      id: patient.id,
      identifier: [{ system: "urn:medsim:patient", value: patient.id }],
      name: [{ use: "official", family: patient.lastName, given: [patient.firstName] }],
      gender: patient.sex,
      birthDate: patient.birthDate,
      address: [
        {
          use: "home",
          city: patient.city,
          district: patient.district,
          state: patient.state,
          country: patient.country,
          ...(patient.setting
            ? { text: `${patient.city}, ${patient.district}, ${patient.state} (${patient.setting})` }
            : {}),
        },
      ],
    },
  ];
  const conditionIds = /* @__PURE__ */ new Map();
  const firstVisit = patient.visits[0];
  const lastVisit = patient.visits[patient.visits.length - 1];
  patient.conditions.forEach((entry, index) => {
    if (!entry.snomed) return;
    const id = derivedId(patient.id, index + 1);
    conditionIds.set(entry.condition.id, id);
    const resolved = entry.condition.kind === "acute";
    const coding = [{ system: SYSTEMS.snomed, code: entry.snomed.code, display: entry.snomed.display }];
    if (entry.icd10) coding.push({ system: SYSTEMS.icd10, code: entry.icd10.code, display: entry.icd10.display });
    resources.push({
      resourceType: "Condition",
      id,
      clinicalStatus: {
        coding: [
          {
            system: "http://terminology.hl7.org/CodeSystem/condition-clinical",
            code: resolved ? "resolved" : "active",
          },
        ],
      },
      verificationStatus: {
        coding: [{ system: "http://terminology.hl7.org/CodeSystem/condition-ver-status", code: "confirmed" }],
      },
      category: [
        {
          coding: [{ system: "http://terminology.hl7.org/CodeSystem/condition-category", code: "encounter-diagnosis" }],
        },
      ],
      code: { coding, text: entry.condition.name },
      subject,
      encounter: { reference: reference("Encounter", derivedId(firstVisit.id, 0)) },
      onsetDateTime: firstVisit.start,
      recordedDate: firstVisit.start,
      ...(resolved ? { abatementDateTime: lastVisit.start } : {}),
    });
  });
  const primary = patient.conditions[0];
  const outputs = plan2.outputs.map((observation) => ({ observation, index: plan2.positions.get(observation.id) }));
  patient.visits.forEach((visit, visitIndex) => {
    const encounterId = derivedId(visit.id, 0);
    const type = visitIndex === 0 ? ENCOUNTER_TYPES.first : ENCOUNTER_TYPES.followUp;
    resources.push({
      resourceType: "Encounter",
      id: encounterId,
      status: "finished",
      class: { system: "http://terminology.hl7.org/CodeSystem/v3-ActCode", code: "AMB", display: "ambulatory" },
      type: [{ coding: [{ system: SYSTEMS.snomed, ...type }] }],
      subject,
      period: { start: visit.start, end: encounterEnd(visit.start) },
      ...(primary.snomed ? { reasonCode: [{ coding: [{ system: SYSTEMS.snomed, ...primary.snomed }] }] } : {}),
    });
    outputs.forEach(({ observation, index }, counter) => {
      resources.push({
        resourceType: "Observation",
        id: derivedId(visit.id, counter + 1),
        status: "final",
        category: [
          {
            coding: [
              { system: "http://terminology.hl7.org/CodeSystem/observation-category", code: observation.category },
            ],
          },
        ],
        code: {
          coding: [
            { system: SYSTEMS.loinc, code: observation.loinc, display: observation.display ?? observation.name },
          ],
          text: observation.name,
        },
        subject,
        encounter: { reference: reference("Encounter", encounterId) },
        effectiveDateTime: visit.start,
        valueQuantity: {
          value: visit.values[index],
          unit: observation.unit,
          system: SYSTEMS.ucum,
          code: observation.unit,
        },
      });
    });
  });
  medicationPeriods(patient).forEach((period, counter) => {
    const medication = plan2.catalog.medications.get(period.medication);
    const startVisit = patient.visits[period.startVisit];
    const conditionId = conditionIds.get(period.reason);
    resources.push({
      resourceType: "MedicationRequest",
      id: derivedId(patient.id, 4096 + counter),
      status: period.stopVisit === void 0 ? "active" : "stopped",
      intent: "order",
      medicationCodeableConcept: {
        coding: [
          { system: SYSTEMS.rxnorm, code: medication.rxnorm, display: medication.name },
          { system: SYSTEMS.atc, code: medication.atc, display: medication.name },
        ],
        text: medication.name,
      },
      subject,
      encounter: { reference: reference("Encounter", derivedId(startVisit.id, 0)) },
      authoredOn: startVisit.start,
      ...(conditionId ? { reasonReference: [{ reference: reference("Condition", conditionId) }] } : {}),
      dosageInstruction: [{ text: medication.dose }],
    });
  });
  return resources;
}
function patientBundle(plan2, patient) {
  const resources = patientResources(plan2, patient, (_type, id) => `urn:uuid:${id}`);
  return {
    resourceType: "Bundle",
    id: patient.id,
    type: "transaction",
    entry: resources.map((resource) => ({
      fullUrl: `urn:uuid:${resource.id}`,
      resource,
      request: { method: "POST", url: resource.resourceType },
    })),
  };
}
function fhirBundleWriter(plan2) {
  let output;
  return {
    kind: "directory",
    async open(target) {
      output = target;
    },
    async write(patient) {
      const sink = await TextSink.open(output.file(`${patient.id}.json`));
      await sink.write(`${JSON.stringify(patientBundle(plan2, patient))}
`);
      await sink.close();
    },
    async close() {},
  };
}
function fhirNdjsonWriter(plan2) {
  const sinks = /* @__PURE__ */ new Map();
  return {
    kind: "directory",
    async open(output) {
      for (const type of RESOURCE_TYPES) sinks.set(type, await TextSink.open(output.file(`${type}.ndjson`)));
    },
    async write(patient) {
      for (const resource of patientResources(plan2, patient, (type, id) => `${type}/${id}`))
        await sinks.get(resource.resourceType).write(`${JSON.stringify(resource)}
`);
    },
    async close() {
      for (const sink of sinks.values()) await sink.close();
    },
  };
}

// src/ehr/formats/flat-csv.ts
function observationColumn(observation) {
  return `${observation.name} (LOINC ${observation.loinc}, ${observation.unit})`;
}
function flatCsvWriter(plan2) {
  let sink;
  const outputs = plan2.outputs.map((observation) => ({ observation, index: plan2.positions.get(observation.id) }));
  const medications = plan2.catalog.medications;
  return {
    kind: "file",
    async open(output, { header }) {
      sink = await TextSink.open(output.file());
      if (header)
        await sink.write(
          csvRow([
            "patient_id",
            "first_name",
            "last_name",
            "sex",
            "birth_date",
            "age",
            "country",
            "state",
            "district",
            "setting",
            "conditions",
            "snomed_codes",
            "icd10_codes",
            "first_visit",
            "last_visit",
            "visits",
            "treatment_steps",
            "medications",
            "rxnorm_codes",
            ...outputs.map(({ observation }) => observationColumn(observation)),
          ]),
        );
    },
    async write(patient) {
      const last = patient.visits[patient.visits.length - 1];
      const steps = Object.entries(last.steps)
        .filter(([, step]) => step > 0)
        .map(([id, step]) => `${id}:${step}`);
      await sink.write(
        csvRow([
          patient.id,
          patient.firstName,
          patient.lastName,
          patient.sex,
          patient.birthDate,
          patient.age,
          patient.country,
          patient.state,
          patient.district,
          patient.setting,
          patient.conditions.map((entry) => entry.condition.id).join(";"),
          patient.conditions.map((entry) => entry.snomed?.code ?? "").join(";"),
          patient.conditions.map((entry) => entry.icd10?.code ?? "").join(";"),
          patient.visits[0].start.slice(0, 10),
          last.start.slice(0, 10),
          patient.visits.length,
          steps.join(";"),
          last.medications.join(";"),
          last.medications.map((id) => medications.get(id).rxnorm).join(";"),
          ...outputs.map(({ observation, index }) => formatValue(last.values[index], observation.decimals)),
        ]),
      );
    },
    async close() {
      await sink?.close();
    },
  };
}

// src/ehr/formats/index.ts
var FORMAT_WRITERS = {
  csv: flatCsvWriter,
  synthea: syntheaWriter,
  fhir: fhirBundleWriter,
  "fhir-ndjson": fhirNdjsonWriter,
  cases: casesWriter,
};

// src/ehr/write.ts
function shardRange(total, shard = { index: 1, count: 1 }) {
  if (
    !Number.isInteger(shard.count) ||
    shard.count < 1 ||
    !Number.isInteger(shard.index) ||
    shard.index < 1 ||
    shard.index > shard.count
  )
    throw new EhrRequestError("impossible", `shard ${shard.index}/${shard.count}: expected k/n with 1 <= k <= n`);
  return {
    start: Math.floor(((shard.index - 1) * total) / shard.count),
    end: Math.floor((shard.index * total) / shard.count),
  };
}
async function writeCohort(plan2, options) {
  const writer = FORMAT_WRITERS[options.format](plan2, options.seed);
  const { start, end } = shardRange(plan2.spec.count, options.shard);
  const output = new AtomicOutput(options.out, writer.kind);
  await output.prepare();
  let visits2 = 0;
  try {
    await writer.open(output, { header: start === 0 });
    const total = end - start;
    const every = Math.max(1, Math.floor(total / 200));
    for (let index = start; index < end; index++) {
      if (options.signal?.aborted) throw options.signal.reason ?? new Error("aborted");
      const patient = generatePatient(plan2, options.seed, index);
      visits2 += patient.visits.length;
      await writer.write(patient);
      const done = index - start + 1;
      if (done % every === 0 || done === total)
        options.onProgress?.({ label: `writing ${options.format}`, completed: done, total });
    }
    await writer.close();
    await output.commit();
  } catch (error) {
    await writer.close().catch(() => {});
    await output.abort();
    throw error;
  }
  return { format: options.format, out: options.out, patients: end - start, firstIndex: start, visits: visits2 };
}

// src/ehr/session.ts
import { z as z7 } from "zod";
var EhrSessionSchema = z7.strictObject({
  spec: CohortSpecSchema,
  requests: z7.array(z7.string()).default([]),
});

// bench/ehr-generate.ts
var args = process.argv.slice(2);
var option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 ? (args[at + 1] ?? fallback) : fallback;
};
var format = option("--format", "csv");
var patients = Number(option("--patients", "100000"));
var visits = Number(option("--visits", "4"));
var seed = Number(option("--seed", "1"));
var request = option("--request", `generate ${patients} type 2 diabetes patients from the US`);
var out = option("--out", join5(tmpdir(), `medsim-bench-ehr-${process.pid}${format === "csv" ? ".csv" : ""}`));
var catalog = await loadEhrCatalog();
var { spec } = parseRequest(request, catalog);
spec.count = patients;
spec.visits = { ...spec.visits, count: visits };
var plan = planCohort(spec, catalog);
var load = loadavg().map((value) => Number(value.toFixed(2)));
var peakRss = process.memoryUsage().rss;
var sample = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
var cpuStart = process.cpuUsage();
var started = performance.now();
var result = await writeCohort(plan, { format, out, seed });
var wall = (performance.now() - started) / 1e3;
var cpu = process.cpuUsage(cpuStart);
clearInterval(sample);
peakRss = Math.max(peakRss, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024);
var size = async (path) => {
  const info = await stat2(path);
  if (!info.isDirectory()) return info.size;
  let total = 0;
  for (const name of await readdir3(path)) total += await size(join5(path, name));
  return total;
};
var bytes = await size(out);
await rm3(out, { recursive: true, force: true });
started = performance.now();
var baselineCpu = process.cpuUsage();
for (let index = 0; index < patients; index++) generatePatient(plan, seed, index);
var generateOnly = (performance.now() - started) / 1e3;
var generateOnlyCpu = process.cpuUsage(baselineCpu);
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
