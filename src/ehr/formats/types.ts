import type { CohortPlan } from "../cohort.js";
import type { PatientRecord } from "../generate.js";
import { TextSink, type AtomicOutput } from "./sink.js";

/** Writes patients in one output format; `header` is false for shards after the first. */
export interface FormatWriter {
  readonly kind: "file" | "directory";
  open(output: AtomicOutput, options: { header: boolean }): Promise<void>;
  write(patient: PatientRecord): Promise<void>;
  close(): Promise<void>;
}

export type FormatFactory = (plan: CohortPlan, seed: number) => FormatWriter;

/** A writer of one file per patient in the output directory, named and written by the format. */
export function filePerPatientWriter(
  fileName: (patient: PatientRecord) => string,
  text: (patient: PatientRecord) => string,
): FormatWriter {
  let output: AtomicOutput | undefined;
  return {
    kind: "directory",
    async open(target) {
      output = target;
    },
    async write(patient) {
      const sink = await TextSink.open(output!.file(fileName(patient)));
      await sink.write(text(patient));
      await sink.close();
    },
    async close() {},
  };
}

/** A value with the observation's fixed number of decimals, so the same value always prints the same. */
export function formatValue(value: number, decimals: number): string {
  return value.toFixed(decimals);
}

/** A medicine taken over consecutive visits: from the visit that prescribed it to the one that stopped it. */
export interface MedicationPeriod {
  medication: string;
  reason: string;
  startVisit: number;
  /** The visit at which it was no longer prescribed; undefined while still taken. */
  stopVisit?: number;
}

export function medicationPeriods(patient: PatientRecord): MedicationPeriod[] {
  const periods: MedicationPeriod[] = [];
  const open = new Map<string, MedicationPeriod>();
  patient.visits.forEach((visit, index) => {
    for (const [medication, period] of open)
      if (!visit.medications.includes(medication)) {
        period.stopVisit = index;
        open.delete(medication);
      }
    for (const medication of visit.medications)
      if (!open.has(medication)) {
        const period: MedicationPeriod = { medication, reason: visit.reasons[medication]!, startVisit: index };
        periods.push(period);
        open.set(medication, period);
      }
  });
  return periods;
}
