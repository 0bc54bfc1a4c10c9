import type { Command } from "commander";
import { SessionRecordSchema } from "../../domain/index.js";
import { createEncounterFeedback, ITEM_DEFINITIONS, type EncounterFeedback } from "../../feedback/index.js";
import { cases } from "../../library/index.js";
import { readStructuredFile, validate } from "../../util/files.js";
import { addEngineOptions, engineFromFlags, type EngineFlags } from "../engine-options.js";
import { printJson } from "../output.js";

interface FeedbackFlags extends EngineFlags {
  json?: boolean;
  case?: string;
}

export function registerFeedbackCommand(program: Command): void {
  addEngineOptions(
    program
      .command("feedback")
      .description("score a finished interview (a session saved by `chat --save`) item by item, with evidence")
      .argument("<session>", "session record (JSON), as `chat --save` writes it")
      .option("--case <case>", "case id or file (default: the session's caseId)")
      .option("--json", "print the feedback as one JSON object"),
  )
    .addHelpText(
      "after",
      "\nWithout --engine the deterministic utterance classifier scores (no model). With --engine llama|ollama|openai a judge model fills the same JSON schema; `mode` says which.",
    )
    .action(async (sessionPath: string, flags: FeedbackFlags) => {
      const record = validate(SessionRecordSchema, await readStructuredFile(sessionPath), sessionPath);
      const patientCase = await cases.get(flags.case ?? record.caseId);
      const judge = flags.engine ? await engineFromFlags(flags) : undefined;
      try {
        const feedback = await createEncounterFeedback(patientCase, record.turns, judge ? { judge } : {});
        if (flags.json) printJson(feedback);
        else process.stdout.write(formatFeedback(feedback));
      } finally {
        await judge?.dispose();
      }
    });
}

/** The feedback as text: items grouped by category, each with its evidence. */
export function formatFeedback(feedback: EncounterFeedback): string {
  const lines: string[] = [];
  const { history, communication } = feedback.totals;
  lines.push(
    `Feedback on ${feedback.caseId} (${feedback.mode === "judge" ? `judge ${feedback.judge}` : "deterministic"})`,
    `History ${history.met}/${history.applicable}, communication ${communication.met}/${communication.applicable}`,
  );
  for (const category of ["history", "communication"] as const) {
    lines.push("", category === "history" ? "History" : "Communication");
    for (const item of feedback.items.filter((candidate) => candidate.category === category)) {
      const mark = item.status === "met" ? "✓" : item.status === "missed" ? "✗" : "–";
      lines.push(`  ${mark} ${ITEM_DEFINITIONS[item.id].label}: ${item.note}`);
      for (const evidence of item.evidence) lines.push(`      [turn ${evidence.turn}] "${evidence.quote}"`);
    }
  }
  const impression = feedback.impression;
  lines.push("", `Impression: ${impression.verdict.replace("_", " ")}. ${impression.note}`);
  for (const evidence of impression.evidence) lines.push(`      [turn ${evidence.turn}] "${evidence.quote}"`);
  lines.push("", "Next time:");
  feedback.tips.forEach((tip, index) => lines.push(`  ${index + 1}. ${tip}`));
  return `${lines.join("\n")}\n`;
}
