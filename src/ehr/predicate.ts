/**
 * The small condition language of the data files, e.g. `"egfr < 60 or uacr >= 30"` or
 * `"age >= 40 and age <= 75"`: comparisons of a variable with a number, joined by `and` (binding
 * tighter) and `or`. Variables are observation ids, `age`, `female`, `india`, `us` and condition ids
 * (1 when the patient has it). Written by hand because it is twenty lines and a clinician should be
 * able to read every rule as plain text.
 */
export interface Comparison {
  variable: string;
  operator: "<" | "<=" | ">" | ">=" | "==" | "!=";
  value: number;
}

/** A parsed rule: true when any of its `and`-groups holds entirely. */
export interface Predicate {
  kind: "predicate";
  text: string;
  anyOf: Comparison[][];
}

const COMPARISON = /^([a-z][a-z0-9-]*)\s*(<=|>=|==|!=|<|>)\s*(-?\d+(?:\.\d+)?)$/;

/** Parses a rule; throws an Error naming the part it could not read. */
export function parsePredicate(text: string): Predicate {
  const anyOf = text.split(/\s+or\s+/).map((group) =>
    group.split(/\s+and\s+/).map((part): Comparison => {
      const match = COMPARISON.exec(part.trim());
      if (!match) throw new Error(`cannot read the rule "${part.trim()}" in "${text}" (expected e.g. "hba1c >= 7")`);
      return { variable: match[1]!, operator: match[2] as Comparison["operator"], value: Number(match[3]) };
    }),
  );
  return { kind: "predicate", text, anyOf };
}

/** Evaluates a rule; a variable without a value makes its comparison false. */
export function evaluatePredicate(predicate: Predicate, lookup: (variable: string) => number | undefined): boolean {
  // Plain loops: rules run several times per visit for every generated patient.
  for (const group of predicate.anyOf) {
    let all = true;
    for (const { variable, operator, value } of group) {
      const actual = lookup(variable);
      if (actual === undefined || !compare(actual, operator, value)) {
        all = false;
        break;
      }
    }
    if (all) return true;
  }
  return false;
}

function compare(actual: number, operator: Comparison["operator"], value: number): boolean {
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

/** The variables a rule reads. */
export function variablesOf(predicate: Predicate): string[] {
  return [...new Set(predicate.anyOf.flat().map((comparison) => comparison.variable))];
}
