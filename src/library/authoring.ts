import { isMap, isSeq, LineCounter, parseDocument, type Node } from "yaml";
import { z } from "zod";
import {
  forbiddenDiagnosisTerms,
  PatientCaseSchema,
  PersonaSchema,
  type PatientCase,
  type Persona,
} from "../domain/index.js";

/** One problem in an authored case or persona: the field path, what is wrong, and the line it is on. */
export interface AuthoringIssue {
  field: string;
  message: string;
  /** 1-based line in the YAML text, when the field (or its parent) is there. */
  line?: number;
}

export type AuthoringResult<T> = { valid: true; item: T; issues: [] } | { valid: false; issues: AuthoringIssue[] };

const SCHEMAS = { case: PatientCaseSchema, persona: PersonaSchema } as const;

/**
 * Checks a case or persona written as YAML (or JSON) text, as an educator's editor sends it: every
 * problem at once, each with its field path and line, so that the editor can show it at the field.
 * A case whose patient-spoken fields name the diagnosis is refused too (the model might say it).
 */
export function validateAuthoredText(kind: "case", text: string): AuthoringResult<PatientCase>;
export function validateAuthoredText(kind: "persona", text: string): AuthoringResult<Persona>;
export function validateAuthoredText(kind: "case" | "persona", text: string): AuthoringResult<PatientCase | Persona> {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: true });
  if (document.errors.length > 0)
    return {
      valid: false,
      issues: document.errors.map((error) => ({
        field: "",
        message: error.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, ""),
        ...(error.linePos?.[0] ? { line: error.linePos[0].line } : {}),
      })),
    };
  const lineOf = (path: readonly PropertyKey[]): number | undefined => {
    // The deepest node that exists on the path: a missing field points at its parent.
    for (let depth = path.length; depth >= 0; depth--) {
      const node = document.getIn(path.slice(0, depth) as (string | number)[], true) as Node | undefined;
      const pair = depth > 0 ? keyNode(document.contents as Node, path.slice(0, depth)) : undefined;
      const range = pair?.range ?? node?.range;
      if (range) return lineCounter.linePos(range[0]).line;
    }
    return undefined;
  };
  const result = SCHEMAS[kind].safeParse(document.toJS());
  if (!result.success)
    return {
      valid: false,
      issues: result.error.issues.map((issue) => ({
        field: formatPath(issue.path),
        message: issue.message,
        ...(lineOf(issue.path) ? { line: lineOf(issue.path)! } : {}),
      })),
    };
  if (kind === "case") {
    const leaks = findDiagnosisLeaks(result.data as PatientCase);
    if (leaks.length > 0)
      return {
        valid: false,
        issues: leaks.map((leak) => ({
          field: formatPath(leak.path),
          message: `names the diagnosis ("${leak.term}"); the patient speaks from this field and must not say it`,
          ...(lineOf(leak.path) ? { line: lineOf(leak.path)! } : {}),
        })),
      };
  }
  return { valid: true, item: result.data, issues: [] };
}

// The key of a map entry, so that an error points at "severity:" rather than at its value.
function keyNode(root: Node | null, path: readonly PropertyKey[]): Node | undefined {
  let node: unknown = root;
  let key: Node | undefined;
  for (const part of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => String((item.key as { value?: unknown })?.value) === String(part));
      if (!pair) return undefined;
      key = pair.key as Node;
      node = pair.value;
    } else if (isSeq(node) && typeof part === "number") {
      node = node.items[part];
      key = node as Node;
    } else return undefined;
  }
  return key;
}

const PATIENT_SPOKEN_EXCLUDED = new Set(["diagnosis", "examination", "tests", "vitalSigns", "id"]);

/** Fields the patient speaks from that name the diagnosis or an alias. */
export function findDiagnosisLeaks(patientCase: PatientCase): { path: (string | number)[]; term: string }[] {
  // A fact is { text, volunteer }: name the fact, not its text.
  return findDiagnosisMentions(patientCase).map(({ path, term }) => ({
    path: path.at(-1) === "text" ? path.slice(0, -1) : path,
    term,
  }));
}

/**
 * Every string the patient speaks from that names the diagnosis or an alias (a model told it might
 * say it), with its full path. Hyphens and underscores count as spaces ("dengue-fever" names
 * "dengue fever"), and a term matches only as whole words.
 */
export function findDiagnosisMentions(patientCase: PatientCase): { path: (string | number)[]; term: string }[] {
  const normalize = (text: string) => text.toLowerCase().replace(/[-‐–—_]/g, " ");
  const patterns = forbiddenDiagnosisTerms(patientCase).map((term) => ({
    term,
    pattern: new RegExp(`(^|[^\\p{L}\\p{N}])${escapeRegExp(normalize(term))}($|[^\\p{L}\\p{N}])`, "u"),
  }));
  const leaks: { path: (string | number)[]; term: string }[] = [];
  const visit = (value: unknown, path: (string | number)[]) => {
    if (typeof value === "string") {
      const text = normalize(value);
      const term = patterns.find(({ pattern }) => pattern.test(text))?.term;
      if (term) leaks.push({ path, term });
    } else if (Array.isArray(value)) value.forEach((item, index) => visit(item, [...path, index]));
    else if (value && typeof value === "object")
      for (const [key, item] of Object.entries(value)) {
        if (path.length === 0 && PATIENT_SPOKEN_EXCLUDED.has(key)) continue;
        visit(item, [...path, key]);
      }
  };
  visit(patientCase, []);
  return leaks;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A field path as the user writes it: `historyOfPresentIllness.associated[2]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, index) => (typeof part === "number" ? `[${part}]` : `${index === 0 ? "" : "."}${String(part)}`))
    .join("");
}

export const AuthoringIssueSchema = z.object({ field: z.string(), message: z.string(), line: z.number().optional() });
