import type { CohortPlan } from "../cohort.js";
import type { PatientRecord } from "../generate.js";
import { csvRow, TextSink, type AtomicOutput } from "./sink.js";
import { formatValue, medicationPeriods, type FormatWriter } from "./types.js";

/** Column layouts of Synthea's CSV exporter (the version of ../shared/data/synthea). */
export const SYNTHEA_COLUMNS = {
  patients:
    "Id,BIRTHDATE,DEATHDATE,SSN,DRIVERS,PASSPORT,PREFIX,FIRST,LAST,SUFFIX,MAIDEN,MARITAL,RACE,ETHNICITY,GENDER,BIRTHPLACE,ADDRESS,CITY,STATE,COUNTY,ZIP,LAT,LON,HEALTHCARE_EXPENSES,HEALTHCARE_COVERAGE",
  encounters:
    "Id,START,STOP,PATIENT,ORGANIZATION,PROVIDER,PAYER,ENCOUNTERCLASS,CODE,DESCRIPTION,BASE_ENCOUNTER_COST,TOTAL_CLAIM_COST,PAYER_COVERAGE,REASONCODE,REASONDESCRIPTION",
  conditions: "START,STOP,PATIENT,ENCOUNTER,CODE,DESCRIPTION",
  observations: "DATE,PATIENT,ENCOUNTER,CATEGORY,CODE,DESCRIPTION,VALUE,UNITS,TYPE",
  medications:
    "START,STOP,PATIENT,PAYER,ENCOUNTER,CODE,DESCRIPTION,BASE_COST,PAYER_COVERAGE,DISPENSES,TOTALCOST,REASONCODE,REASONDESCRIPTION",
} as const;
type Table = keyof typeof SYNTHEA_COLUMNS;

/** SNOMED CT encounter types: the first visit, and follow-ups. */
export const ENCOUNTER_TYPES = {
  first: { code: "185349003", display: "Encounter for check up (procedure)" },
  followUp: { code: "390906007", display: "Follow-up encounter (procedure)" },
} as const;

/** The end of an encounter: twenty minutes after its start. */
export function encounterEnd(start: string): string {
  return new Date(Date.parse(start) + 20 * 60_000).toISOString().replace(".000Z", "Z");
}

/**
 * Synthea-style relational CSVs: patients, encounters, conditions, observations and medications,
 * with Synthea's column layout, so tools built for Synthea exports read them.
 */
export function syntheaWriter(plan: CohortPlan): FormatWriter {
  const sinks = new Map<Table, TextSink>();
  const computed = plan.computed
    .map((observation, index) => ({ observation, index }))
    .filter(({ observation }) => plan.outputs.includes(observation));
  return {
    kind: "directory",
    async open(output: AtomicOutput, { header }) {
      for (const table of Object.keys(SYNTHEA_COLUMNS) as Table[]) {
        const sink = await TextSink.open(output.file(`${table}.csv`));
        if (header) await sink.write(`${SYNTHEA_COLUMNS[table]}\n`);
        sinks.set(table, sink);
      }
    },
    async write(patient: PatientRecord) {
      const write = (table: Table, values: (string | number | undefined)[]) => sinks.get(table)!.write(csvRow(values));
      await write("patients", [
        patient.id,
        patient.birthDate,
        "",
        "",
        "",
        "",
        "",
        patient.firstName,
        patient.lastName,
        "",
        "",
        "",
        patient.race ?? "",
        patient.ethnicity ?? "",
        patient.sex === "female" ? "F" : "M",
        "",
        "",
        patient.city,
        patient.state,
        patient.district,
        "",
        "",
        "",
        "0.00",
        "0.00",
      ]);
      const primary = patient.conditions[0]!;
      for (const [index, visit] of patient.visits.entries()) {
        const type = index === 0 ? ENCOUNTER_TYPES.first : ENCOUNTER_TYPES.followUp;
        await write("encounters", [
          visit.id,
          visit.start,
          encounterEnd(visit.start),
          patient.id,
          "",
          "",
          "",
          "ambulatory",
          type.code,
          type.display,
          "0.00",
          "0.00",
          "0.00",
          primary.snomed?.code ?? "",
          primary.snomed?.display ?? "",
        ]);
        for (const { observation, index: position } of computed)
          await write("observations", [
            visit.start,
            patient.id,
            visit.id,
            observation.category,
            observation.loinc,
            observation.display ?? observation.name,
            formatValue(visit.values[position]!, observation.decimals),
            observation.unit,
            "numeric",
          ]);
      }
      const lastVisit = patient.visits[patient.visits.length - 1]!;
      for (const entry of patient.conditions) {
        if (!entry.snomed) continue;
        const resolved = entry.condition.kind === "acute" ? lastVisit.start.slice(0, 10) : "";
        await write("conditions", [
          entry.onsetDate,
          resolved,
          patient.id,
          patient.visits[0]!.id,
          entry.snomed.code,
          entry.snomed.display,
        ]);
      }
      for (const period of medicationPeriods(patient)) {
        const medication = plan.catalog.medications.get(period.medication)!;
        const reason = patient.conditions.find((entry) => entry.condition.id === period.reason);
        await write("medications", [
          patient.visits[period.startVisit]!.start,
          period.stopVisit === undefined ? "" : patient.visits[period.stopVisit]!.start,
          patient.id,
          "",
          patient.visits[period.startVisit]!.id,
          medication.rxnorm,
          medication.name,
          "0.00",
          "0.00",
          "",
          "0.00",
          reason?.snomed?.code ?? "",
          reason?.snomed?.display ?? "",
        ]);
      }
    },
    async close() {
      for (const sink of sinks.values()) await sink.close();
    },
  };
}
