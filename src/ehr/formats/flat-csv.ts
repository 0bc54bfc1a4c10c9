import type { CohortPlan } from "../cohort.js";
import type { PatientRecord } from "../generate.js";
import { csvRow, TextSink, type AtomicOutput } from "./sink.js";
import { formatValue, type FormatWriter } from "./types.js";

/** Column title of an observation: its name, LOINC code and UCUM unit. */
export function observationColumn(observation: { name: string; loinc?: string; unit: string }): string {
  return `${observation.name} (LOINC ${observation.loinc}, ${observation.unit})`;
}

/**
 * Flat CSV: one row per patient with demographics, diagnoses (SNOMED CT and ICD-10), current
 * medicines (RxNorm), and the latest visit's value of every observation, one column each.
 */
export function flatCsvWriter(plan: CohortPlan): FormatWriter {
  let sink: TextSink | undefined;
  const outputs = plan.outputs.map((observation) => ({ observation, index: plan.positions.get(observation.id)! }));
  const medications = plan.catalog.medications;
  return {
    kind: "file",
    async open(output: AtomicOutput, { header }) {
      sink = await TextSink.open(output.file());
      if (header)
        await sink.write(
          csvRow([
            "patient_id",
            "first_name",
            "last_name",
            "sex",
            "birth_date",
            "age",
            "country",
            "state",
            "district",
            "setting",
            "conditions",
            "snomed_codes",
            "icd10_codes",
            "first_visit",
            "last_visit",
            "visits",
            "treatment_steps",
            "medications",
            "rxnorm_codes",
            ...outputs.map(({ observation }) => observationColumn(observation)),
          ]),
        );
    },
    async write(patient: PatientRecord) {
      const last = patient.visits[patient.visits.length - 1]!;
      const steps = Object.entries(last.steps)
        .filter(([, step]) => step > 0)
        .map(([id, step]) => `${id}:${step}`);
      await sink!.write(
        csvRow([
          patient.id,
          patient.firstName,
          patient.lastName,
          patient.sex,
          patient.birthDate,
          patient.age,
          patient.country,
          patient.state,
          patient.district,
          patient.setting,
          patient.conditions.map((entry) => entry.condition.id).join(";"),
          patient.conditions.map((entry) => entry.snomed?.code ?? "").join(";"),
          patient.conditions.map((entry) => entry.icd10?.code ?? "").join(";"),
          patient.visits[0]!.start.slice(0, 10),
          last.start.slice(0, 10),
          patient.visits.length,
          steps.join(";"),
          last.medications.join(";"),
          last.medications.map((id) => medications.get(id)!.rxnorm).join(";"),
          ...outputs.map(({ observation, index }) => formatValue(last.values[index]!, observation.decimals)),
        ]),
      );
    },
    async close() {
      await sink?.close();
    },
  };
}
