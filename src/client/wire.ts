/**
 * JSON shapes that `medsim serve` sends and the client reads, written once for both. Types only:
 * nothing here runs, so the client stays fetch-only and browser-safe.
 */

/** What the student may see of a case: who the patient is and why they came, never the diagnosis. */
export interface CaseSummary {
  /** The public case id (`case-` and 10 hex digits), which never names the diagnosis. */
  id: string;
  title?: string;
  setting?: string;
  patient: { name: string; age: number; sex: string; occupation: string; region: string; language: string };
  chiefComplaint: string;
}

/** A disclosed fact as the student sees it. */
export interface DisclosedFact {
  id: string;
  topic: string;
  text: string;
}

/** The result of an examination or a test the student asked for. */
export interface Finding {
  sessionId: string;
  entry: number;
  name: string;
  /** The finding or result; null when the case records none for what was asked. */
  result: string | null;
  newlyDisclosedFacts: DisclosedFact[];
}
