import type { CaseFact, PatientCase } from "../domain/index.js";
import { listCaseFacts } from "../domain/index.js";

/** A name as compared: lower case, letters and digits only ("Complete blood count" -> "completebloodcount"). */
function squash(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "");
}

/** The initials of a multi-word name ("complete blood count" -> "cbc"), so abbreviations match. */
function initials(text: string): string {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return words.length > 1 ? words.map((word) => word[0]).join("") : "";
}

const VITALS = new Set(["vitals", "vitalsigns", "observations", "vitalsign"]);

/**
 * The examination finding or test result a student asked for, matched by name (any case and
 * punctuation, or the initials of a multi-word name: "CBC", "LFT"). Only the fact asked for is
 * returned, never the list of what exists.
 */
export function findRevealedFact(
  patientCase: PatientCase,
  revealedBy: "examine" | "test",
  requested: string,
): CaseFact | undefined {
  const wanted = squash(requested);
  if (!wanted) return undefined;
  const candidates = listCaseFacts(patientCase).filter((fact) => fact.revealedBy === revealedBy);
  if (revealedBy === "examine" && VITALS.has(wanted)) return candidates.find((fact) => fact.id === "vitals");
  const labelled = candidates.filter((fact) => fact.label !== undefined);
  const exact =
    labelled.find((fact) => squash(fact.label!) === wanted) ??
    labelled.find((fact) => squash(fact.label!).replace(/s$/, "") === wanted.replace(/s$/, "")) ??
    labelled.find((fact) => initials(fact.label!) === wanted);
  if (exact) return exact;
  // "peripheral smear" for "peripheral blood smear": every word asked for is in one name only.
  const asked = words(requested);
  const containing = labelled.filter((fact) => {
    const have = new Set(words(fact.label!));
    return asked.length > 0 && asked.every((word) => have.has(word));
  });
  return containing.length === 1 ? containing[0] : undefined;
}

function words(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).map((word) => word.replace(/s$/, ""));
}
