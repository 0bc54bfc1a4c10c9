import type { Condition, Treatment } from "./catalog.js";
import { evaluatePredicate } from "./predicate.js";

export interface ConditionState {
  condition: Condition;
  treatment?: Treatment;
  step: number;
  choices: Map<string, string>;
}

/** Applies a condition's treatment rules at a visit; returns the medicines it prescribes. */
export function decideTreatment(
  state: ConditionState,
  visitIndex: number,
  lookup: (variable: string) => number | undefined,
): string[] {
  const treatment = state.treatment;
  if (!treatment) return [];
  const holds = (rule: Parameters<typeof evaluatePredicate>[0] | undefined) =>
    rule === undefined || evaluatePredicate(rule, lookup);
  // Contraindications first, so a choice never falls on a medicine the values rule out.
  const excluded = new Set<string>();
  for (const [medicine, rule] of treatment.exclude) if (holds(rule)) excluded.add(medicine);
  let medicines: string[] = [];
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
      treatment.steps[step]!.forEach((item, position) => {
        if (typeof item === "string") return medicines.push(item);
        // A choice, once made, is kept until the values rule it out.
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
