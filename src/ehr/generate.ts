import { createRandom, deriveSeed } from "../util/random.js";
import type { CohortPlan, RegionChoice } from "./cohort.js";
import { requirementFor, treatmentFor, type Condition } from "./catalog.js";
import { evaluatePredicate } from "./predicate.js";
import { decideTreatment, type ConditionState } from "./treatment.js";
import { computeValues, resolveModels, type ResolvedModel } from "./values.js";

/** One generated patient: demographics, diagnoses, and visits with values and medicines. */
export interface PatientRecord {
  index: number;
  id: string;
  firstName: string;
  lastName: string;
  sex: "female" | "male";
  birthDate: string;
  /** Age in whole years at the last visit. */
  age: number;
  country: string;
  state: string;
  stateAbbreviation?: string;
  district: string;
  city: string;
  setting: "urban" | "rural";
  race?: string;
  ethnicity?: string;
  language?: string;
  occupation: string;
  conditions: PatientCondition[];
  visits: Visit[];
}

export interface PatientCondition {
  condition: Condition;
  primary: boolean;
  onsetDate: string;
  snomed?: { code: string; display: string };
  icd10?: { code: string; display: string };
}

export interface Visit {
  id: string;
  /** ISO date-time of the encounter. */
  start: string;
  /** Values in the order of `plan.computed`. */
  values: Float64Array;
  /** Medicine ids prescribed at this visit (the ones taken until the next). */
  medications: string[];
  /** For each prescribed medicine, the condition whose rule prescribed it. */
  reasons: Record<string, string>;
  /** Treatment step per condition id after this visit's decision (0 = none). */
  steps: Record<string, number>;
}

const DAY_MS = 86_400_000;
const REQUIREMENT_ATTEMPTS = 40;

/**
 * Generates patient `index` of a cohort. Everything is drawn from a random stream seeded by
 * (seed, index) alone, so a patient is the same whichever machine or shard generates it.
 */
export function generatePatient(plan: CohortPlan, seed: number, index: number): PatientRecord {
  const random = createRandom(deriveSeed(seed, index));
  const normal = createNormal(random);
  const id = uuid(random);
  const [sex, age] = pickAgeSex(plan, random);
  const female = sex === "female";
  const region = plan.regions[pickCumulative(plan.regionCumulative, random)]!;
  const district = region.districts[Math.floor(random() * region.districts.length)]!;
  const setting = district.urbanOnly
    ? "urban"
    : plan.spec.population.setting !== "any"
      ? plan.spec.population.setting
      : random() < region.urbanShare
        ? "urban"
        : "rural";
  const names = plan.population.nameGroups[region.nameGroup]!;
  const firstName = pickOne(random, female ? names.female : names.male);
  const lastName =
    female && names.femaleSurnames && random() < 0.5
      ? pickOne(random, names.femaleSurnames)
      : pickOne(random, names.surnames);
  const [race, ethnicity] = pickEthnicity(plan, random);
  let occupation = pickOne(random, plan.population.occupations[setting]);
  if (!female && occupation === "homemaker") occupation = plan.population.occupations[setting][0]!;

  const conditions: Condition[] = [...plan.conditions];
  for (const { condition, probability } of plan.comorbidities) {
    const draw = random();
    if (draw < probability && age >= condition.ages[0] && age <= condition.ages[1]) conditions.push(condition);
  }
  const dates = visitDates(plan, conditions, random);
  const birthDate = new Date(dates[dates.length - 1]! - (age * 365.25 + 1 + random() * 364) * DAY_MS);
  const patient = { age, female, conditions };
  const models = resolveModels(plan, conditions);
  const visits = simulateVisits(plan, patient, models, dates, random, normal);

  const first = visits[0]!;
  const patientConditions = conditions.map((condition, position): PatientCondition => {
    const stage = condition.stages;
    let snomed = condition.snomed;
    let icd10 = condition.icd10;
    if (stage) {
      const value = first.values[plan.positions.get(stage.observation)!]!;
      const band = stage.bands.find((entry) => value >= entry.min);
      if (band) {
        snomed = { code: band.snomed, display: band.display };
        icd10 = { code: band.icd10, display: band.icd10Display };
      }
    }
    return {
      condition,
      primary: position < plan.conditions.length,
      onsetDate: first.start.slice(0, 10),
      snomed,
      icd10,
    };
  });
  for (const visit of visits) visit.id = uuid(random);
  return {
    index,
    id,
    firstName,
    lastName,
    sex,
    birthDate: isoDate(birthDate.getTime()),
    age,
    country: plan.population.country,
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
    visits,
  };
}

function simulateVisits(
  plan: CohortPlan,
  patient: { age: number; female: boolean; conditions: Condition[] },
  models: ResolvedModel[],
  dates: number[],
  random: () => number,
  normal: () => number,
): Visit[] {
  const count = models.length;
  const position = plan.positions;
  const conditionIds = new Set(patient.conditions.map((condition) => condition.id));
  const ageAtLast = patient.age;
  const firstDate = dates[0]!;
  const lastDate = dates[dates.length - 1]!;
  const baseline = new Float64Array(count);
  const requirements = patient.conditions
    .map((condition) => requirementFor(condition, plan.populationId))
    .filter((r) => r !== undefined);

  const lookupFor =
    (values: Float64Array, age: number) =>
    (variable: string): number | undefined => {
      const index = position.get(variable);
      if (index !== undefined) return values[index];
      if (variable === "age") return age;
      if (variable === "female") return patient.female ? 1 : 0;
      if (variable === "india") return plan.populationId === "india" ? 1 : 0;
      if (variable === "us") return plan.populationId === "us" ? 1 : 0;
      if (plan.catalog.conditionById.has(variable)) return conditionIds.has(variable) ? 1 : 0;
      return undefined;
    };

  // The first visit must meet each condition's diagnostic rule: redraw the person's levels until it does.
  let firstValues: Float64Array = new Float64Array(count);
  const ageAt = (date: number) => Math.max(0, ageAtLast - Math.floor((lastDate - date) / (365.25 * DAY_MS)));
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
      plan,
    );
    const lookup = lookupFor(firstValues, ageAt(firstDate));
    if (requirements.every((rule) => evaluatePredicate(rule, lookup))) break;
  }

  const states: ConditionState[] = patient.conditions.map((condition) => ({
    condition,
    treatment: treatmentFor(condition, plan.populationId),
    step: 0,
    choices: new Map(),
  }));
  const visits: Visit[] = [];
  let active: string[] = [];
  const noise = new Float64Array(count);
  for (let visitIndex = 0; visitIndex < dates.length; visitIndex++) {
    const date = dates[visitIndex]!;
    const years = (date - firstDate) / (365.25 * DAY_MS);
    let values: Float64Array;
    if (visitIndex === 0) values = firstValues;
    else {
      for (let index = 0; index < count; index++) noise[index] = normal();
      values = computeValues(models, baseline, noise, ageAt(date), patient.female, years, visitIndex, active, plan);
    }
    const lookup = lookupFor(values, ageAt(date));
    const prescribed: string[] = [];
    const reasons: Record<string, string> = {};
    const steps: Record<string, number> = {};
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
    const start = new Date(date + (8 * 60 + minute) * 60_000).toISOString().replace(".000Z", "Z");
    visits.push({ id: "", start, values, medications: prescribed, reasons, steps });
    active = prescribed;
  }
  return visits;
}

/** Visit times (ms since epoch, at midnight UTC): chronic visits spread over the requested years, acute ones on the condition's schedule. */
function visitDates(plan: CohortPlan, conditions: Condition[], random: () => number): number[] {
  const end = Date.parse(`${plan.spec.endDate}T00:00:00Z`);
  const scheduled = conditions.find((condition) => condition.schedule)?.schedule;
  const spanDays = Math.round(plan.spec.visits.years * 365);
  if (scheduled) {
    const unitDays = scheduled.unit === "day" ? 1 : 30;
    const length = scheduled.at[scheduled.at.length - 1]! * unitDays;
    const start = end - (length + Math.floor(random() * Math.max(1, spanDays))) * DAY_MS;
    return scheduled.at.map((at) => start + Math.round(at * unitDays) * DAY_MS);
  }
  const count = plan.spec.visits.count;
  if (count === 1) return [end - Math.floor(random() * 30) * DAY_MS];
  const first = end - spanDays * DAY_MS;
  const dates: number[] = [];
  for (let visit = 0; visit < count; visit++) {
    const planned = first + Math.round((visit * spanDays) / (count - 1)) * DAY_MS;
    const window = Math.min(14, spanDays / (count - 1) / 2);
    const jitter = (visit === 0 ? 1 : -1) * Math.floor(random() * window) * DAY_MS;
    dates.push(Math.max(dates[visit - 1] ?? -Infinity, planned + jitter));
  }
  return dates;
}

function pickAgeSex(plan: CohortPlan, random: () => number): ["female" | "male", number] {
  const cell = pickCumulative(plan.ageSexCumulative, random);
  return [cell >= 121 ? "female" : "male", cell % 121];
}

function pickEthnicity(plan: CohortPlan, random: () => number): [string | undefined, string | undefined] {
  const table = plan.population.ethnicities;
  if (!table) return [undefined, undefined];
  const total = table.reduce((sum, entry) => sum + entry[2], 0);
  let draw = random() * total;
  for (const [race, ethnicity, weight] of table) {
    draw -= weight;
    if (draw < 0) return [race, ethnicity];
  }
  return [table[0]![0], table[0]![1]];
}

/** Index of the first cumulative weight above a uniform draw (binary search). */
function pickCumulative(cumulative: Float64Array, random: () => number): number {
  const target = random() * cumulative[cumulative.length - 1]!;
  let low = 0;
  let high = cumulative.length - 1;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (cumulative[middle]! > target) high = middle;
    else low = middle + 1;
  }
  return low;
}

function pickOne<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

/** Standard normal draws (Marsaglia's polar method, both values used: no trigonometry). */
function createNormal(random: () => number): () => number {
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const value = spare;
      spare = undefined;
      return value;
    }
    let u: number;
    let v: number;
    let s: number;
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

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, "0"));

/** A version-4-shaped UUID from the patient's stream (deterministic, not cryptographic). */
function uuid(random: () => number): string {
  const bytes: string[] = [];
  for (let word = 0; word < 4; word++) {
    const value = (random() * 0x100000000) >>> 0;
    bytes.push(HEX[value >>> 24]!, HEX[(value >>> 16) & 0xff]!, HEX[(value >>> 8) & 0xff]!, HEX[value & 0xff]!);
  }
  bytes[6] = HEX[0x40 | (parseInt(bytes[6]!, 16) & 0x0f)]!;
  bytes[8] = HEX[0x80 | (parseInt(bytes[8]!, 16) & 0x3f)]!;
  return `${bytes.slice(0, 4).join("")}-${bytes.slice(4, 6).join("")}-${bytes.slice(6, 8).join("")}-${bytes.slice(8, 10).join("")}-${bytes.slice(10).join("")}`;
}

export function isoDate(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

export type { RegionChoice };
