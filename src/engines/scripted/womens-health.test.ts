import { describe, expect, it } from "vitest";
import { cases, personas } from "../../library/index.js";
import { answerFromScript } from "./answer.js";
import { readWomensHealthForMan } from "./womens-health.js";

const REFUSAL = /doesn't apply to me, doctor, I'm a man/;

async function replyOf(caseId: string, question: string): Promise<string> {
  return answerFromScript(await cases.get(caseId), await personas.get("calm"), [{ role: "doctor", content: question }])
    .text;
}

describe("a man asked a gynaecological question", () => {
  it("refuses only what names a woman's own history", async () => {
    for (const question of ["When was your last period?", "Are you pregnant?", "Do you use a copper T?"])
      expect(await replyOf("acute-coronary-syndrome", question), question).toMatch(REFUSAL);
  });

  it("never refuses a question misread from a stray word", async () => {
    for (const question of [
      "Wife says you snore loudly at night?",
      "Any monthly injection before?",
      "How many children do you have?",
      "Your face has become darker?",
      "Every winter this cough comes?",
    ])
      expect(await replyOf("copd-exacerbation", question), question).not.toMatch(REFUSAL);
  });

  it("re-asks a misread question as what it names", () => {
    const reading = readWomensHealthForMan({
      kind: "topic",
      topic: "obstetric",
      concepts: ["family_members", "snore"],
      text: "wife complains u snore?",
      confidence: 0.6,
    });
    expect(reading).toMatchObject({ kind: "symptom_check", concepts: ["family_members", "snore"] });
    expect(
      readWomensHealthForMan({ kind: "topic", topic: "contraception", concepts: ["contraception"], text: "Condoms?" }),
    ).toBe("keep");
  });
});
