import { forbiddenDiagnosisTerms, type PatientCase } from "../domain/index.js";

/**
 * The names of the case's diagnosis (primary and aliases) and its internal id that `text` contains,
 * as whole words; hyphens count as spaces. An abbreviation written in capitals ("AGE", "MS", "DM")
 * matches only in capitals, so the word "age" in `"age": 24` is not acute gastroenteritis.
 */
export function diagnosisNamesIn(text: string, patientCase: PatientCase): string[] {
  const normalize = (value: string) => value.replace(/[-‐–—_]/g, " ").replace(/\s+/g, " ");
  const found: string[] = [];
  for (const term of [...forbiddenDiagnosisTerms(patientCase), patientCase.id]) {
    const abbreviation = term === term.toUpperCase();
    const escaped = normalize(term).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const pattern = new RegExp(`(^|[^\\p{L}\\p{N}])${escaped}($|[^\\p{L}\\p{N}])`, abbreviation ? "u" : "iu");
    if (pattern.test(normalize(text))) found.push(term);
  }
  return found;
}
