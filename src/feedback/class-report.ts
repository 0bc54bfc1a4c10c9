import { FEEDBACK_ITEM_IDS, type EncounterFeedback, type FeedbackItemId } from "./types.js";

/** One session as the class view sees it. */
export interface ClassSession {
  id: string;
  /** The API key name that ran the session (a student or a group). */
  owner: string;
  caseId: string;
  title: string;
  persona: string;
  status: "active" | "ended";
  createdAt: string;
  feedback?: EncounterFeedback;
}

export interface ClassReport {
  cases: {
    caseId: string;
    title: string;
    sessions: number;
    ended: number;
    /** Mean share of applicable history items met, over sessions with feedback; null without any. */
    meanHistory: number | null;
    meanCommunication: number | null;
  }[];
  /** Items by how often they were missed where they applied, most missed first. */
  mostMissed: { id: FeedbackItemId; missed: number; of: number }[];
  sessions: Omit<ClassSession, "feedback">[];
}

/** Sessions by case and the items most often missed, for an educator's class view. */
export function buildClassReport(sessions: readonly ClassSession[]): ClassReport {
  const byCase = new Map<string, ClassSession[]>();
  for (const session of sessions) byCase.set(session.caseId, [...(byCase.get(session.caseId) ?? []), session]);
  const share = (feedback: EncounterFeedback, category: "history" | "communication") => {
    const total = feedback.totals[category];
    return total.applicable === 0 ? undefined : total.met / total.applicable;
  };
  const mean = (values: (number | undefined)[]) => {
    const present = values.filter((value): value is number => value !== undefined);
    return present.length === 0 ? null : present.reduce((sum, value) => sum + value, 0) / present.length;
  };
  const cases = [...byCase.entries()]
    .map(([caseId, list]) => {
      const scored = list.flatMap((session) => (session.feedback ? [session.feedback] : []));
      return {
        caseId,
        title: list[0]!.title,
        sessions: list.length,
        ended: list.filter((session) => session.status === "ended").length,
        meanHistory: mean(scored.map((feedback) => share(feedback, "history"))),
        meanCommunication: mean(scored.map((feedback) => share(feedback, "communication"))),
      };
    })
    .sort((a, b) => b.sessions - a.sessions || a.title.localeCompare(b.title));
  const counts = new Map<FeedbackItemId, { missed: number; of: number }>();
  for (const session of sessions)
    for (const item of session.feedback?.items ?? []) {
      if (!item.applicable) continue;
      const count = counts.get(item.id) ?? { missed: 0, of: 0 };
      count.of++;
      if (!item.met) count.missed++;
      counts.set(item.id, count);
    }
  const mostMissed = [...counts.entries()]
    .map(([id, count]) => ({ id, ...count }))
    .filter((entry) => entry.missed > 0)
    .sort((a, b) => b.missed / b.of - a.missed / a.of || b.missed - a.missed)
    .slice(0, 10);
  return {
    cases,
    mostMissed,
    sessions: sessions.map(({ feedback: _feedback, ...rest }) => rest),
  };
}

/**
 * The class as CSV (RFC 4180; one row per session, one column per item: met, missed or n/a).
 * Written by hand: quoting is five lines, and cells that a spreadsheet would run as a formula
 * (starting with = + - @) are prefixed with a quote mark.
 */
export function classReportCsv(sessions: readonly ClassSession[]): string {
  const header = [
    "session_id",
    "student",
    "case_id",
    "case_title",
    "persona",
    "status",
    "created_at",
    "history_met",
    "history_applicable",
    "communication_met",
    "communication_applicable",
    "impression",
    ...FEEDBACK_ITEM_IDS,
  ];
  const rows = sessions.map((session) => {
    const feedback = session.feedback;
    const items = FEEDBACK_ITEM_IDS.map((id) => {
      const item = feedback?.items.find((candidate) => candidate.id === id);
      return !item ? "" : item.status === "not_applicable" ? "n/a" : item.status;
    });
    return [
      session.id,
      session.owner,
      session.caseId,
      session.title,
      session.persona,
      session.status,
      session.createdAt,
      feedback?.totals.history.met ?? "",
      feedback?.totals.history.applicable ?? "",
      feedback?.totals.communication.met ?? "",
      feedback?.totals.communication.applicable ?? "",
      feedback?.impression.verdict ?? "",
      ...items,
    ];
  });
  return [header, ...rows].map((row) => row.map((cell) => csvCell(String(cell))).join(",")).join("\r\n") + "\r\n";
}

function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
