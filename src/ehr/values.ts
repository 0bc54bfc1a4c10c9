import type { CohortPlan } from "./cohort.js";
import type { Condition, Observation, ValueModel } from "./catalog.js";
import { FORMULAS } from "./formulas.js";

/**
 * The value of each observation at a visit: the observation's model after population and condition
 * overrides, the person's own level (a fixed draw), visit-to-visit noise, drift or acute course,
 * the effects of the medicines taken, clamping and rounding; or a named formula.
 */
/** An observation's model for one patient, after population and condition overrides. */
export interface ResolvedModel {
  observation: Observation;
  formula?: (get: (variable: string) => number) => number;
  logNormal: boolean;
  center: number;
  spread: number;
  within: number;
  terms: { index: number; coefficient: number; center: number }[];
  min: number;
  max: number;
  drift: number;
  course?: number[];
  courseLog: boolean;
  scale: number;
  /** Medicine id -> its effect on this observation. */
  effects: Map<string, number | { scale: number }>;
}

const AGE = -1;
const FEMALE = -2;

/** Resolved models per plan and condition set: a cohort has only a handful of condition sets. */
const modelCaches = new WeakMap<CohortPlan, Map<string, ResolvedModel[]>>();

/** Resolves the models for a set of conditions once per plan (cached by the set). */
export function resolveModels(plan: CohortPlan, conditions: Condition[]): ResolvedModel[] {
  const key = conditions.map((condition) => condition.id).join("|");
  let cache = modelCaches.get(plan);
  if (!cache) modelCaches.set(plan, (cache = new Map()));
  const cached = cache.get(key);
  if (cached) return cached;
  const position = plan.positions;
  const ordered = plan.catalog.conditions.filter((condition) => conditions.includes(condition));
  const models = plan.computed.map((observation): ResolvedModel => {
    let model: ValueModel | undefined = observation.model;
    model = observation.populations[plan.populationId]?.model ?? model;
    let drift = 0;
    let course: number[] | undefined;
    let courseLog = false;
    for (const condition of ordered) {
      const override = condition.overrides[observation.id];
      if (!override) continue;
      model = override.populations[plan.populationId]?.model ?? override.model;
      drift = override.drift;
      course = override.course;
      courseLog = override.courseScale === "log";
    }
    const formula = observation.formula ? FORMULAS[observation.formula] : undefined;
    const effects = new Map<string, number | { scale: number }>();
    for (const medication of plan.catalog.medications.values()) {
      const effect = medication.effects[observation.id];
      if (effect !== undefined) effects.set(medication.id, effect);
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
    const logNormal = model.median !== undefined;
    const terms = model.terms.map(([variable, coefficient, center]) => ({
      index: variable === "age" ? AGE : variable === "female" ? FEMALE : position.get(variable)!,
      coefficient,
      center: center ?? 0,
    }));
    return {
      observation,
      logNormal,
      center: logNormal ? Math.log(model.median!) : model.mean!,
      spread: logNormal ? Math.log(model.spread!) : model.sd!,
      within: logNormal ? Math.log(model.within ?? Math.sqrt(model.spread!)) : (model.within ?? model.sd! / 2),
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
  cache.set(key, models);
  return models;
}

export function computeValues(
  models: ResolvedModel[],
  baseline: Float64Array,
  noise: Float64Array,
  age: number,
  female: boolean,
  years: number,
  visitIndex: number,
  medicines: readonly string[],
  plan: CohortPlan,
): Float64Array {
  const values = new Float64Array(models.length);
  const position = plan.positions;
  const get = (variable: string) =>
    variable === "age" ? age : variable === "female" ? (female ? 1 : 0) : values[position.get(variable)!]!;
  for (let index = 0; index < models.length; index++) {
    const model = models[index]!;
    let value: number;
    if (model.formula) {
      value = model.formula(get);
    } else {
      let linear = model.center + model.spread * baseline[index]! + model.within * noise[index]!;
      for (const term of model.terms) {
        const variable = term.index === AGE ? age : term.index === FEMALE ? (female ? 1 : 0) : values[term.index]!;
        linear += term.coefficient * (variable - term.center);
      }
      const offset = model.course ? (model.course[Math.min(visitIndex, model.course.length - 1)] ?? 0) : 0;
      if (model.logNormal) value = Math.exp(linear + (model.courseLog ? offset : 0)) + (model.courseLog ? 0 : offset);
      else value = linear + offset;
      value += model.drift * years;
      if (model.effects.size > 0)
        for (const medicine of medicines) {
          const effect = model.effects.get(medicine);
          if (effect === undefined) continue;
          value = typeof effect === "number" ? value + effect : value * effect.scale;
        }
      value = Math.min(model.max, Math.max(model.min, value));
    }
    values[index] = Math.round(value * model.scale) / model.scale;
  }
  return values;
}
