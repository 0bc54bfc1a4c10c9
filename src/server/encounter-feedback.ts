import type { DialogueTurn, PatientCase } from "../domain/index.js";
import { createEncounterFeedback, type EncounterFeedback } from "../feedback/index.js";
import type { SessionEntryRow, SessionRow } from "./store/index.js";

/**
 * The feedback on a stored session, computed when it ends: the deterministic classifier over the
 * dialogue (examinations and tests are not part of it). Evidence `turn`s index the session's
 * `transcript` (doctor and patient turns only, from 0).
 */
export function feedbackForSession(row: SessionRow, entries: readonly SessionEntryRow[]): Promise<EncounterFeedback> {
  const transcript: DialogueTurn[] = entries
    .filter((entry) => entry.kind === "doctor" || entry.kind === "patient")
    .map((entry) => ({ role: entry.kind as DialogueTurn["role"], content: entry.content }));
  return createEncounterFeedback(row.patientCase as PatientCase, transcript);
}
