import { createHash } from "node:crypto";
import type { PatientCase } from "./case.js";
import { findDiagnosisLeak } from "./facts.js";

/**
 * The shape of a public case id: `case-` and 10 hex digits. Internal ids of this shape are refused
 * for user cases, so a public id never names two cases.
 */
export const PUBLIC_CASE_ID_PATTERN = /^case-[0-9a-f]{10}$/;

/**
 * The id a student sees for a case: `case-` and the first 10 hex digits of the SHA-256 of the
 * internal id. Internal ids name the diagnosis (`dengue-fever`); this one names nothing, and is
 * the same on every server and after every restart, so clients may store it.
 *
 * It is opaque, not secret: whoever knows this rule and guesses an internal id can compute it.
 * What it prevents is the diagnosis showing in a model list, a URL or the browser's network tab.
 */
export function publicCaseId(caseId: string): string {
  return `case-${createHash("sha256").update(`medsim case ${caseId}`, "utf8").digest("hex").slice(0, 10)}`;
}

/**
 * The title a student sees: the case's `title` when it does not name the diagnosis, otherwise one
 * built from the chief complaint, age and sex ("Fever for 4 days, 24-year-old man").
 */
export function studentCaseTitle(patientCase: PatientCase): string {
  if (!findDiagnosisLeak(patientCase.title, patientCase)) return patientCase.title;
  const { age, sex } = patientCase.demographics;
  const person = `${age}-year-old ${personWord(age, sex)}`;
  const complaint = patientCase.chiefComplaint;
  return findDiagnosisLeak(complaint, patientCase) ? `A ${person}` : `${complaint}, ${person}`;
}

function personWord(age: number, sex: PatientCase["demographics"]["sex"]): string {
  if (sex === "other") return age < 18 ? "child" : "person";
  if (age < 18) return sex === "male" ? "boy" : "girl";
  return sex === "male" ? "man" : "woman";
}
