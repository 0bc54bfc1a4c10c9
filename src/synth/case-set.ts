import type { PatientCase, Persona } from "../domain/index.js";
import type { KnowledgeBase } from "../knowledge/index.js";
import { generateCase } from "./case-generator.js";

/** Options of {@link generateCaseSet}. */
export interface CaseSetOptions {
  /** Cases per disease. Default 3. */
  perDisease?: number;
  /** Disease ids to use. Default: all. */
  diseases?: readonly string[];
  population?: string;
  seed?: number;
}

/** A generated case with the disease it was sampled for and the persona it is meant to be played in. */
export interface GeneratedCase {
  patientCase: PatientCase;
  diseaseId: string;
  /** The persona this case is meant to be played in (round-robin over the personas, for balance). */
  personaId: string;
}

/** Generates `perDisease` cases for each disease, with personas assigned in turn. */
export function generateCaseSet(
  kb: KnowledgeBase,
  personas: readonly Persona[],
  options: CaseSetOptions = {},
): GeneratedCase[] {
  const perDisease = options.perDisease ?? 3;
  const diseases = options.diseases
    ? kb.diseases.filter((disease) => options.diseases!.includes(disease.id))
    : kb.diseases;
  const result: GeneratedCase[] = [];
  for (const disease of diseases) {
    for (let index = 0; index < perDisease; index++) {
      const patientCase = generateCase(kb, disease, index, { population: options.population, seed: options.seed });
      result.push({
        patientCase,
        diseaseId: disease.id,
        personaId: personas[result.length % Math.max(1, personas.length)]?.id ?? "calm",
      });
    }
  }
  return result;
}
