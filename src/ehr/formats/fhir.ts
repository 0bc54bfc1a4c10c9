import type { CohortPlan } from "../cohort.js";
import type { PatientRecord } from "../generate.js";
import { TextSink } from "./sink.js";
import { ENCOUNTER_TYPES, encounterEnd } from "./synthea.js";
import { filePerPatientWriter, medicationPeriods, type FormatWriter } from "./types.js";

/** Code systems by their canonical FHIR URIs. */
export const SYSTEMS = {
  snomed: "http://snomed.info/sct",
  icd10: "http://hl7.org/fhir/sid/icd-10",
  loinc: "http://loinc.org",
  ucum: "http://unitsofmeasure.org",
  rxnorm: "http://www.nlm.nih.gov/research/umls/rxnorm",
  atc: "http://www.whocc.no/atc",
} as const;

export const RESOURCE_TYPES = ["Patient", "Encounter", "Condition", "Observation", "MedicationRequest"] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];

type Resource = { resourceType: ResourceType; id: string } & Record<string, unknown>;

/**
 * A resource id derived from a UUID and a counter: the first 24 characters of the base UUID (its
 * random part is unique per patient or visit) and the counter in the last group. Still a UUID, so
 * a transaction Bundle can use it as a `urn:uuid:` full URL.
 */
function derivedId(base: string, counter: number): string {
  return `${base.slice(0, 24)}${counter.toString(16).padStart(12, "0")}`;
}

/**
 * The FHIR R4 resources of one patient. `reference` turns (type, id) into a reference: `urn:uuid:`
 * inside a transaction Bundle, `Type/id` in bulk NDJSON.
 */
export function patientResources(
  plan: CohortPlan,
  patient: PatientRecord,
  reference: (type: ResourceType, id: string) => string,
): Resource[] {
  const subject = { reference: reference("Patient", patient.id), display: `${patient.firstName} ${patient.lastName}` };
  const resources: Resource[] = [
    {
      resourceType: "Patient",
      id: patient.id,
      identifier: [{ system: "urn:medsim:patient", value: patient.id }],
      name: [{ use: "official", family: patient.lastName, given: [patient.firstName] }],
      gender: patient.sex,
      birthDate: patient.birthDate,
      address: [
        {
          use: "home",
          city: patient.city,
          district: patient.district,
          state: patient.state,
          country: patient.country,
          ...(patient.setting
            ? { text: `${patient.city}, ${patient.district}, ${patient.state} (${patient.setting})` }
            : {}),
        },
      ],
    },
  ];
  const conditionIds = new Map<string, string>();
  const firstVisit = patient.visits[0]!;
  const lastVisit = patient.visits[patient.visits.length - 1]!;
  patient.conditions.forEach((entry, index) => {
    if (!entry.snomed) return;
    const id = derivedId(patient.id, index + 1);
    conditionIds.set(entry.condition.id, id);
    const resolved = entry.condition.kind === "acute";
    const coding: { system: string; code: string; display: string }[] = [
      { system: SYSTEMS.snomed, code: entry.snomed.code, display: entry.snomed.display },
    ];
    if (entry.icd10) coding.push({ system: SYSTEMS.icd10, code: entry.icd10.code, display: entry.icd10.display });
    resources.push({
      resourceType: "Condition",
      id,
      clinicalStatus: {
        coding: [
          {
            system: "http://terminology.hl7.org/CodeSystem/condition-clinical",
            code: resolved ? "resolved" : "active",
          },
        ],
      },
      verificationStatus: {
        coding: [{ system: "http://terminology.hl7.org/CodeSystem/condition-ver-status", code: "confirmed" }],
      },
      category: [
        {
          coding: [{ system: "http://terminology.hl7.org/CodeSystem/condition-category", code: "encounter-diagnosis" }],
        },
      ],
      code: { coding, text: entry.condition.name },
      subject,
      encounter: { reference: reference("Encounter", derivedId(firstVisit.id, 0)) },
      onsetDateTime: firstVisit.start,
      recordedDate: firstVisit.start,
      ...(resolved ? { abatementDateTime: lastVisit.start } : {}),
    });
  });
  const primary = patient.conditions[0]!;
  const outputs = plan.outputs.map((observation) => ({ observation, index: plan.positions.get(observation.id)! }));
  patient.visits.forEach((visit, visitIndex) => {
    const encounterId = derivedId(visit.id, 0);
    const type = visitIndex === 0 ? ENCOUNTER_TYPES.first : ENCOUNTER_TYPES.followUp;
    resources.push({
      resourceType: "Encounter",
      id: encounterId,
      status: "finished",
      class: { system: "http://terminology.hl7.org/CodeSystem/v3-ActCode", code: "AMB", display: "ambulatory" },
      type: [{ coding: [{ system: SYSTEMS.snomed, ...type }] }],
      subject,
      period: { start: visit.start, end: encounterEnd(visit.start) },
      ...(primary.snomed ? { reasonCode: [{ coding: [{ system: SYSTEMS.snomed, ...primary.snomed }] }] } : {}),
    });
    outputs.forEach(({ observation, index }, counter) => {
      resources.push({
        resourceType: "Observation",
        id: derivedId(visit.id, counter + 1),
        status: "final",
        category: [
          {
            coding: [
              { system: "http://terminology.hl7.org/CodeSystem/observation-category", code: observation.category },
            ],
          },
        ],
        code: {
          coding: [
            { system: SYSTEMS.loinc, code: observation.loinc, display: observation.display ?? observation.name },
          ],
          text: observation.name,
        },
        subject,
        encounter: { reference: reference("Encounter", encounterId) },
        effectiveDateTime: visit.start,
        valueQuantity: {
          value: visit.values[index],
          unit: observation.unit,
          system: SYSTEMS.ucum,
          code: observation.unit,
        },
      });
    });
  });
  medicationPeriods(patient).forEach((period, counter) => {
    const medication = plan.catalog.medications.get(period.medication)!;
    const startVisit = patient.visits[period.startVisit]!;
    const conditionId = conditionIds.get(period.reason);
    resources.push({
      resourceType: "MedicationRequest",
      id: derivedId(patient.id, 0x1000 + counter),
      status: period.stopVisit === undefined ? "active" : "stopped",
      intent: "order",
      medicationCodeableConcept: {
        coding: [
          { system: SYSTEMS.rxnorm, code: medication.rxnorm, display: medication.name },
          { system: SYSTEMS.atc, code: medication.atc, display: medication.name },
        ],
        text: medication.name,
      },
      subject,
      encounter: { reference: reference("Encounter", derivedId(startVisit.id, 0)) },
      authoredOn: startVisit.start,
      ...(conditionId ? { reasonReference: [{ reference: reference("Condition", conditionId) }] } : {}),
      dosageInstruction: [{ text: medication.dose }],
    });
  });
  return resources;
}

/** A FHIR R4 transaction Bundle for one patient: every resource POSTed, references as `urn:uuid:`. */
export function patientBundle(plan: CohortPlan, patient: PatientRecord): Record<string, unknown> {
  const resources = patientResources(plan, patient, (_type, id) => `urn:uuid:${id}`);
  return {
    resourceType: "Bundle",
    id: patient.id,
    type: "transaction",
    entry: resources.map((resource) => ({
      fullUrl: `urn:uuid:${resource.id}`,
      resource,
      request: { method: "POST", url: resource.resourceType },
    })),
  };
}

/** FHIR transaction Bundles: one JSON file per patient (`<patient id>.json`). */
export function fhirBundleWriter(plan: CohortPlan): FormatWriter {
  return filePerPatientWriter(
    (patient) => `${patient.id}.json`,
    (patient) => `${JSON.stringify(patientBundle(plan, patient))}\n`,
  );
}

/** FHIR bulk data: one NDJSON file per resource type (`Patient.ndjson`, `Observation.ndjson`, ...). */
export function fhirNdjsonWriter(plan: CohortPlan): FormatWriter {
  const sinks = new Map<ResourceType, TextSink>();
  return {
    kind: "directory",
    async open(output) {
      for (const type of RESOURCE_TYPES) sinks.set(type, await TextSink.open(output.file(`${type}.ndjson`)));
    },
    async write(patient) {
      for (const resource of patientResources(plan, patient, (type, id) => `${type}/${id}`))
        await sinks.get(resource.resourceType)!.write(`${JSON.stringify(resource)}\n`);
    },
    async close() {
      for (const sink of sinks.values()) await sink.close();
    },
  };
}
