import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { dataDirectory } from "../library/paths.js";
import { MedsimError } from "../util/errors.js";
import { readStructuredFile, validate } from "../util/files.js";
import { FORMULA_INPUTS, FORMULAS } from "./formulas.js";
import { parsePredicate, type Predicate } from "./predicate.js";

/**
 * The clinical knowledge the EHR generator runs on, loaded from `data/ehr`: citations, populations,
 * observations (LOINC/UCUM and their value models), medicines (RxNorm/ATC and their effects) and
 * conditions (SNOMED CT/ICD-10, prevalence, comorbidities, treatment rules). Everything a clinician
 * may want to review lives in those YAML files; this module only checks that they hold together.
 */

/** A term of a linear model: [variable, coefficient, center]. Variables: observation ids, `age`, `female`. */
const TermSchema = z.union([z.tuple([z.string(), z.number()]), z.tuple([z.string(), z.number(), z.number()])]);

export const ValueModelSchema = z.strictObject({
  mean: z.number().optional(),
  sd: z.number().nonnegative().optional(),
  median: z.number().positive().optional(),
  spread: z.number().min(1).optional(),
  terms: z.array(TermSchema).default([]),
  within: z.number().nonnegative().optional(),
  range: z.tuple([z.number(), z.number()]),
});
export type ValueModel = z.output<typeof ValueModelSchema>;

const cited = { source: z.string(), note: z.string().optional() };

const PopulationOverrideSchema = z.strictObject({ model: ValueModelSchema, ...cited });

export const ObservationSchema = z.strictObject({
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
export type Observation = z.output<typeof ObservationSchema>;

const EffectSchema = z.union([z.number(), z.strictObject({ scale: z.number().positive() })]);
export const MedicationSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  rxnorm: z.string().regex(/^\d+$/),
  atc: z.string().regex(/^[A-Z]\d\d[A-Z]{2}\d\d$/, "expected an ATC code such as A10BA02"),
  dose: z.string(),
  effects: z.record(z.string(), EffectSchema).default({}),
  ...cited,
});
export type Medication = z.output<typeof MedicationSchema>;

const CodingSchema = z.strictObject({ code: z.string(), display: z.string() });
const PredicateTextSchema = z.string().transform((text, context) => {
  try {
    return parsePredicate(text);
  } catch (error) {
    context.addIssue({ code: "custom", message: (error as Error).message });
    return z.NEVER;
  }
});
const ByPopulation = <T extends z.ZodType>(schema: T) =>
  z.union([schema, z.record(z.enum(["us", "india"]), schema)]).transform((value) => value as unknown);

/** A medicine in a treatment step: an id, or the first of several whose condition holds. */
const StepItemSchema = z.union([
  z.string(),
  z.strictObject({ first: z.array(z.union([z.tuple([z.string()]), z.tuple([z.string(), PredicateTextSchema])])) }),
]);
export type StepItem = z.output<typeof StepItemSchema>;

export const TreatmentSchema = z.strictObject({
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
export type Treatment = z.output<typeof TreatmentSchema>;

const ConditionOverrideSchema = z.strictObject({
  model: ValueModelSchema,
  /** Change per year without treatment (chronic conditions). */
  drift: z.number().default(0),
  /** Offsets by visit number (acute conditions); on the log scale for log-normal models. */
  course: z.array(z.number()).optional(),
  courseScale: z.enum(["linear", "log"]).default("linear"),
  populations: z.record(z.string(), PopulationOverrideSchema).default({}),
  ...cited,
});
export type ConditionOverride = z.output<typeof ConditionOverrideSchema>;

const PrevalenceSchema = z.strictObject({
  bands: z.array(z.tuple([z.number().int(), z.number().int(), z.number().nonnegative(), z.number().nonnegative()])),
  ...cited,
});

const StageBandSchema = z.strictObject({
  min: z.number(),
  snomed: z.string(),
  display: z.string(),
  icd10: z.string(),
  icd10Display: z.string(),
});

const CaseTextSchema = z.strictObject({
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

export const ConditionSchema = z.strictObject({
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
export type Condition = Omit<z.output<typeof ConditionSchema>, "requires" | "treatment"> & {
  requires?: Predicate | Partial<Record<PopulationId, Predicate>>;
  treatment?: Treatment | Partial<Record<PopulationId, Treatment>>;
};

const DistrictSchema = z.union([z.string(), z.tuple([z.string(), z.string()])]);
const NameGroupSchema = z.strictObject({
  male: z.array(z.string()).min(1),
  female: z.array(z.string()).min(1),
  surnames: z.array(z.string()).min(1),
  femaleSurnames: z.array(z.string()).optional(),
});
export const PopulationSchema = z.strictObject({
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
export type PopulationId = "us" | "india";
export type PopulationTable = z.output<typeof PopulationSchema>;

export const SourceSchema = z.strictObject({
  title: z.string(),
  url: z.string().optional(),
  note: z.string().optional(),
});
export type Source = z.output<typeof SourceSchema>;

/** Everything in `data/ehr`, checked for cross-references. */
export interface EhrCatalog {
  directory: string;
  sources: Record<string, Source>;
  observations: Observation[];
  observationById: Map<string, Observation>;
  medications: Map<string, Medication>;
  conditions: Condition[];
  conditionById: Map<string, Condition>;
  populations: Record<PopulationId, PopulationTable>;
}

/** A data file in `data/ehr` that contradicts another (an unknown id, a cycle, a missing source). */
export class EhrDataError extends MedsimError {
  constructor(file: string, message: string) {
    super("file_error", `${file}: ${message}`);
  }
}

const cache = new Map<string, Promise<EhrCatalog>>();

/** Loads (once per directory) and checks the EHR data; `directory` defaults to the package's `data/ehr`. */
export function loadEhrCatalog(directory: string = join(dataDirectory, "ehr")): Promise<EhrCatalog> {
  let loaded = cache.get(directory);
  if (!loaded) {
    loaded = readCatalog(directory);
    loaded.catch(() => cache.delete(directory));
    cache.set(directory, loaded);
  }
  return loaded;
}

async function readCatalog(directory: string): Promise<EhrCatalog> {
  const file = (name: string) => join(directory, name);
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
  const conditions: Condition[] = [];
  for (const name of conditionFiles) {
    const path = join(directory, "conditions", name);
    conditions.push(validate(ConditionSchema, await readStructuredFile(path), path) as Condition);
  }
  const populations = {} as Record<PopulationId, PopulationTable>;
  for (const id of ["us", "india"] as const) {
    const path = join(directory, "populations", `${id}.yaml`);
    populations[id] = validate(PopulationSchema, await readStructuredFile(path), path);
  }
  const catalog: EhrCatalog = {
    directory,
    sources,
    observations,
    observationById: new Map(observations.map((observation) => [observation.id, observation])),
    medications: new Map(medicationList.map((medication) => [medication.id, medication])),
    conditions: orderConditions(conditions),
    conditionById: new Map(conditions.map((condition) => [condition.id, condition])),
    populations,
  };
  checkCatalog(catalog);
  return catalog;
}

/** Chronic conditions first, then acute, then the healthy baseline; alphabetical within each. */
function orderConditions(conditions: Condition[]): Condition[] {
  const rank = { chronic: 0, acute: 1, none: 2 } as const;
  return [...conditions].sort((a, b) => rank[a.kind] - rank[b.kind] || a.id.localeCompare(b.id));
}

function checkCatalog(catalog: EhrCatalog): void {
  const { sources, observationById, medications, conditionById } = catalog;
  const source = (file: string, id: string | undefined) => {
    if (id !== undefined && !(id in sources))
      throw new EhrDataError(file, `unknown source "${id}" (add it to sources.yaml)`);
  };
  const seen = new Set<string>(["age", "female"]);
  for (const observation of catalog.observations) {
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
  for (const condition of catalog.conditions) {
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
        catalog.observations
          .slice(
            0,
            catalog.observations.findIndex((o) => o.id === id),
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
  for (const population of Object.values(catalog.populations)) {
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

function checkModel(file: string, model: ValueModel, known: Set<string>): void {
  const normal = model.mean !== undefined && model.sd !== undefined;
  const logNormal = model.median !== undefined && model.spread !== undefined;
  if (normal === logNormal) throw new EhrDataError(file, "a model needs either mean and sd, or median and spread");
  for (const [variable] of model.terms)
    if (!known.has(variable))
      throw new EhrDataError(file, `term "${variable}" must be age, female or an observation listed earlier`);
}

/** The treatment rules of a condition for every population (one entry if they are shared). */
export function treatmentsOf(condition: Condition): Treatment[] {
  const treatment = condition.treatment;
  if (!treatment) return [];
  return "source" in treatment ? [treatment as Treatment] : Object.values(treatment).filter((t): t is Treatment => !!t);
}

/** The treatment rules of a condition for one population. */
export function treatmentFor(condition: Condition, population: PopulationId): Treatment | undefined {
  return ruleFor(condition.treatment, "source", population);
}

/** The diagnostic requirement of a condition for one population. */
export function requirementFor(condition: Condition, population: PopulationId): Predicate | undefined {
  return ruleFor(condition.requires, "kind", population);
}

/** A rule given once for all populations (it has `sharedKey`) or per population: the one for `population`. */
function ruleFor<Rule extends object>(
  rule: Rule | Partial<Record<PopulationId, Rule>> | undefined,
  sharedKey: keyof Rule,
  population: PopulationId,
): Rule | undefined {
  if (!rule) return undefined;
  return sharedKey in rule ? (rule as Rule) : (rule as Partial<Record<PopulationId, Rule>>)[population];
}
