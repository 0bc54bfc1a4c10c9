import { stringify } from "yaml";
import type { PatientCaseInput } from "../../domain/case.js";
import type { CohortPlan } from "../cohort.js";
import type { PatientRecord } from "../generate.js";
import { filePerPatientWriter, formatValue, type FormatWriter } from "./types.js";

const TOBACCO = ["Never smoked", "Never used tobacco", "Chews tobacco occasionally", "Gave up smoking ten years ago"];
const ALCOHOL = ["Does not drink alcohol", "Drinks occasionally at weddings", "A drink or two at weekends"];

/** The case id of a generated patient: stable for (seed, index). */
export function caseId(seed: number, index: number): string {
  return `ehr-${seed}-${index}`;
}

/**
 * A case script for the patient simulator from a generated record, at the first visit (the
 * presentation, before the diagnosis is made): the condition's story, the person's demographics,
 * vital signs and test results from that visit, known comorbidities and their medicines.
 */
export function patientToCase(plan: CohortPlan, patient: PatientRecord, seed: number): PatientCaseInput {
  const primary = patient.conditions[0]!.condition;
  const story = primary.case;
  const first = patient.visits[0]!;
  const value = (id: string) => {
    const index = plan.positions.get(id);
    return index === undefined ? undefined : first.values[index];
  };
  const others = patient.conditions.filter((entry) => !entry.primary);
  const otherIds = new Set(others.map((entry) => entry.condition.id));
  const medicines = first.medications
    .filter((id) => otherIds.has(first.reasons[id]!))
    .map((id) => {
      const medication = plan.catalog.medications.get(id)!;
      return `${medication.name} ${medication.dose}`;
    });
  const tests: Record<string, string> = {};
  for (const observation of plan.outputs) {
    if (observation.category === "vital-signs") continue;
    const result = value(observation.id);
    if (result !== undefined)
      tests[observation.name] =
        `${formatValue(result, observation.decimals)} ${observation.unit} (LOINC ${observation.loinc})`;
  }
  const pick = (items: string[]) => items[patient.index % items.length]!;
  const sbp = value("sbp");
  const dbp = value("dbp");
  const woman = patient.sex === "female";
  const place = `${patient.setting} ${patient.district}, ${patient.state}, ${plan.population.name}`;
  return {
    id: caseId(seed, patient.index),
    title: `${primary.name}: ${patient.age}-year-old ${woman ? "woman" : "man"} from ${place}`,
    setting: `${patient.setting === "rural" ? "Rural" : "Urban"} outpatient clinic, ${patient.district}`,
    demographics: {
      name: `${patient.firstName} ${patient.lastName}`,
      age: patient.age,
      sex: patient.sex,
      occupation: patient.occupation,
      region: place,
      language: patient.language ?? "English",
    },
    openingStatement: story.openingStatement,
    chiefComplaint: story.chiefComplaint,
    historyOfPresentIllness: {
      onset: story.onset,
      duration: story.duration,
      ...(story.location ? { location: story.location } : {}),
      ...(story.character ? { character: story.character } : {}),
      severity: story.severity,
      associated: story.associated,
      negatives: story.negatives,
    },
    pastMedicalHistory: others.length
      ? others.map((entry) => `${entry.condition.name}, known`)
      : ["No previous illnesses"],
    medications: medicines.length ? medicines : ["No regular medicines"],
    allergies: ["No known drug allergies"],
    familyHistory: story.familyHistory,
    socialHistory: {
      tobacco: primary.id === "copd" ? "Smoked about 20 bidis or cigarettes a day for 30 years" : pick(TOBACCO),
      alcohol: pick(ALCOHOL),
      occupation: patient.occupation,
    },
    ideasConcernsExpectations: { ideas: story.ideas, concerns: story.concerns, expectations: story.expectations },
    vitalSigns: {
      temperatureC: value("temperature") ?? 36.8,
      heartRate: Math.round(value("heart-rate") ?? 78),
      respiratoryRate: Math.round(value("respiratory-rate") ?? 16),
      bloodPressure: sbp !== undefined && dbp !== undefined ? `${sbp}/${dbp}` : "124/78",
      ...(value("spo2") !== undefined ? { oxygenSaturation: value("spo2") } : {}),
      ...(value("weight") !== undefined ? { weightKg: value("weight") } : {}),
    },
    examination: story.examination,
    tests,
    diagnosis: { primary: primary.name, aliases: story.aliases, differentials: [] },
  };
}

/** Case scripts: one YAML file per patient (`ehr-<seed>-<index>.yaml`), loadable by `medsim chat --case`. */
export function casesWriter(plan: CohortPlan, seed: number): FormatWriter {
  return filePerPatientWriter(
    (patient) => `${caseId(seed, patient.index)}.yaml`,
    (patient) => stringify(patientToCase(plan, patient, seed)),
  );
}
