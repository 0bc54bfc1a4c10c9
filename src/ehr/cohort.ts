import { EhrRequestError } from "./errors.js";
import { FORMULA_INPUTS } from "./formulas.js";
import { variablesOf, type Predicate } from "./predicate.js";
import {
  requirementFor,
  treatmentFor,
  type Condition,
  type EhrCatalog,
  type Observation,
  type PopulationId,
  type PopulationTable,
} from "./catalog.js";
import { CohortSpecSchema, type CohortSpec, type CohortSpecInput } from "./spec.js";
import { validate } from "../util/files.js";

/** Age range used when a request names none: adults, within the conditions' own range. */
export const DEFAULT_AGE_RANGE = { min: 18, max: 90 } as const;

/** A region a patient may be drawn from, with the districts allowed for the requested setting. */
export interface RegionChoice {
  name: string;
  abbreviation?: string;
  language?: string;
  nameGroup: string;
  urbanShare: number;
  districts: { name: string; city: string; urbanOnly: boolean }[];
}

/** A specification checked against the catalog, with everything the generator looks up per patient. */
export interface CohortPlan {
  spec: CohortSpec;
  catalog: EhrCatalog;
  population: PopulationTable;
  populationId: PopulationId;
  conditions: Condition[];
  /** Observations written, in order. */
  outputs: Observation[];
  /** Observations computed (outputs and everything they or the rules read), in catalog order. */
  computed: Observation[];
  /** Observation id -> index in `computed`. */
  positions: Map<string, number>;
  age: { min: number; max: number };
  /** Cumulative weights over (sex, age) cells: index = sexIndex * 121 + age. */
  ageSexCumulative: Float64Array;
  regions: RegionChoice[];
  regionCumulative: Float64Array;
  /** Other conditions a patient may get, with the largest cited probability among the primaries. */
  comorbidities: { condition: Condition; probability: number }[];
}

/** Checks a specification against the catalog and prepares the per-patient tables. */
export function planCohort(input: CohortSpecInput | CohortSpec, catalog: EhrCatalog): CohortPlan {
  const spec = validate(CohortSpecSchema, input, "cohort specification");
  const knownConditions = catalog.conditions.map((condition) => condition.id);
  const conditions = spec.conditions.map((id) => {
    const condition = catalog.conditionById.get(id);
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
  const populationId = spec.population.country;
  const population = catalog.populations[populationId];
  const outputs = chooseOutputs(spec, conditions, catalog);
  const age = chooseAgeRange(spec, conditions);
  const comorbidities = spec.comorbidities ? chooseComorbidities(conditions, catalog) : [];
  const computed = computeClosure(
    outputs,
    [...conditions, ...comorbidities.map((entry) => entry.condition)],
    populationId,
    catalog,
  );
  const ageSexCumulative = ageSexTable(spec, population, conditions, populationId, age);
  const { regions, regionCumulative } = chooseRegions(spec, population);
  return {
    spec,
    catalog,
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

/** The observations listed for the conditions, most important first, without repeats. */
export function observationsFor(conditions: readonly Condition[], catalog: EhrCatalog): Observation[] {
  const ids = [...new Set(conditions.flatMap((condition) => condition.observations))];
  return ids.map((id) => catalog.observationById.get(id)!);
}

function chooseOutputs(spec: CohortSpec, conditions: Condition[], catalog: EhrCatalog): Observation[] {
  const available = observationsFor(conditions, catalog);
  const names = conditions.map((condition) => condition.name).join(" + ");
  const requested = spec.observations;
  if (requested === undefined) return available;
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
    const observation = catalog.observationById.get(id);
    if (!observation || observation.hidden)
      throw new EhrRequestError(
        "impossible",
        `unknown observation "${id}"; known: ${catalog.observations
          .filter((o) => !o.hidden)
          .map((o) => o.id)
          .join(", ")}`,
      );
    return observation;
  });
}

function chooseAgeRange(spec: CohortSpec, conditions: Condition[]): { min: number; max: number } {
  let min = spec.age?.min ?? DEFAULT_AGE_RANGE.min;
  let max = spec.age?.max ?? DEFAULT_AGE_RANGE.max;
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

function chooseComorbidities(
  conditions: Condition[],
  catalog: EhrCatalog,
): { condition: Condition; probability: number }[] {
  const primary = new Set(conditions.map((condition) => condition.id));
  const best = new Map<string, number>();
  for (const condition of conditions)
    for (const { condition: id, probability } of condition.comorbidities)
      if (!primary.has(id)) best.set(id, Math.max(best.get(id) ?? 0, probability));
  return catalog.conditions
    .filter((condition) => best.has(condition.id))
    .map((condition) => ({ condition, probability: best.get(condition.id)! }));
}

/** Every observation the outputs, formulas, models and rules need, in catalog order. */
function computeClosure(
  outputs: Observation[],
  conditions: Condition[],
  population: PopulationId,
  catalog: EhrCatalog,
): Observation[] {
  const needed = new Set<string>();
  const add = (id: string) => {
    if (needed.has(id) || !catalog.observationById.has(id)) return;
    needed.add(id);
    const observation = catalog.observationById.get(id)!;
    const models = [observation.model, ...Object.values(observation.populations).map((p) => p.model)];
    for (const condition of conditions) {
      const override = condition.overrides[id];
      if (override) models.push(override.model, ...Object.values(override.populations).map((p) => p.model));
    }
    for (const model of models) for (const [variable] of model?.terms ?? []) add(variable);
    for (const input of FORMULA_INPUTS[observation.formula ?? ""] ?? []) add(input);
  };
  for (const observation of outputs) add(observation.id);
  const rules: Predicate[] = [];
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
      if (typeof item !== "string") for (const choice of item.first) if (choice[1]) rules.push(choice[1]);
    for (const medicationId of [
      ...treatment.steps.flat().flatMap((item) => (typeof item === "string" ? [item] : item.first.map((c) => c[0]))),
      ...treatment.addons.map((addon) => addon[0]),
    ])
      for (const effect of Object.keys(catalog.medications.get(medicationId)?.effects ?? {}))
        if (needed.has(effect)) add(effect);
  }
  for (const rule of rules) for (const variable of variablesOf(rule)) add(variable);
  return catalog.observations.filter((observation) => needed.has(observation.id));
}

function ageSexTable(
  spec: CohortSpec,
  population: PopulationTable,
  conditions: Condition[],
  populationId: PopulationId,
  range: { min: number; max: number },
): Float64Array {
  const cumulative = new Float64Array(2 * 121);
  let total = 0;
  for (let sex = 0; sex < 2; sex++) {
    const female = sex === 1;
    for (let age = 0; age <= 120; age++) {
      let weight = 0;
      const allowed =
        age >= range.min && age <= range.max && (spec.sex === "any" || (spec.sex === "female") === female);
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
      `no ${spec.sex === "any" ? "" : `${spec.sex} `}patients aged ${range.min}-${range.max} have ${conditions.map((c) => c.name).join(" and ")} in the cited prevalence tables`,
    );
  return cumulative;
}

function chooseRegions(
  spec: CohortSpec,
  population: PopulationTable,
): { regions: RegionChoice[]; regionCumulative: Float64Array } {
  const { state, district, setting } = spec.population;
  let candidates = population.regions;
  if (state !== undefined) {
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
  const regions: RegionChoice[] = [];
  const weights: number[] = [];
  for (const region of candidates) {
    const urbanShare = (region.urbanShare ?? population.urbanShare ?? 50) / 100;
    let districts = region.districts.map((entry) => {
      const [name, city] = typeof entry === "string" ? [entry, entry] : entry;
      return { name, city, urbanOnly: region.urbanOnly.includes(name) };
    });
    if (district !== undefined) {
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

function sameName(a: string, b: string): boolean {
  return a.toLowerCase().replace(/[^a-z0-9]/g, "") === b.toLowerCase().replace(/[^a-z0-9]/g, "");
}
