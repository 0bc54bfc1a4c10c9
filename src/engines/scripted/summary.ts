import { NUMBER_WORDS } from "../../util/number-words.js";
import { pick } from "../../util/random.js";
import type { AnswerContext } from "./answer.js";

// "a couple of days" counts too, here where the patient checks a summary's time spans.
const SPAN_WORDS: Readonly<Record<string, number>> = { ...NUMBER_WORDS, couple: 2 };
const SPAN_PATTERN = new RegExp(
  `\\b(\\d+|${Object.keys(SPAN_WORDS).join("|")})(?: of)? (day|week|month|year)s?\\b`,
  "gi",
);

interface Span {
  amount: number;
  unit: "day" | "week" | "month" | "year";
  text: string;
}

/** "three days", "2 weeks", "a month": the time spans a text states. */
function spansIn(text: string): Span[] {
  const spans: Span[] = [];
  for (const match of text.matchAll(SPAN_PATTERN)) {
    const word = match[1]!.toLowerCase();
    const amount = /^\d+$/.test(word) ? Number(word) : SPAN_WORDS[word]!;
    spans.push({ amount, unit: match[2]!.toLowerCase() as Span["unit"], text: match[0].toLowerCase() });
  }
  return spans;
}

/**
 * The patient's reply to a student's summary: confirmed, or corrected where a time span it states
 * contradicts the case ("No doctor, three days, not two.").
 */
export function checkSummary(summary: string, context: AnswerContext): string {
  const hpi = context.patientCase.historyOfPresentIllness;
  const truth = [...spansIn(hpi.duration.text), ...spansIn(hpi.onset.text)];
  for (const said of spansIn(summary)) {
    const fact = truth.find((span) => span.unit === said.unit);
    if (fact && fact.amount !== said.amount)
      return pick(context.random, [
        `No, doctor, ${fact.text}, not ${said.text}.`,
        `Not ${said.text}, doctor, ${fact.text}.`,
      ])!;
  }
  return pick(context.random, ["Yes, that's right, doctor.", "Yes, that's correct.", "Yes, exactly."])!;
}
