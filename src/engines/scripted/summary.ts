import { pick } from "../../util/random.js";
import type { AnswerContext } from "./answer.js";

const NUMBER_WORDS: Readonly<Record<string, number>> = {
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  fifteen: 15,
  twenty: 20,
  couple: 2,
};

interface Span {
  amount: number;
  unit: "day" | "week" | "month" | "year";
  text: string;
}

/** "three days", "2 weeks", "a month": the time spans a text states. */
function spansIn(text: string): Span[] {
  const spans: Span[] = [];
  const pattern =
    /\b(\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|couple)(?: of)? (day|week|month|year)s?\b/gi;
  for (const match of text.matchAll(pattern)) {
    const word = match[1]!.toLowerCase();
    const amount = /^\d+$/.test(word) ? Number(word) : NUMBER_WORDS[word]!;
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
