import { describe, expect, it } from "vitest";
import { cases, personas } from "../../library/index.js";
import { answerFromScript } from "./answer.js";
import { classifyQuestion } from "./classifier.js";
import { recognizeIntents } from "./intents.js";
import { PARAPHRASES, QUESTION_LABELS } from "./paraphrases.js";

describe("question classifier", () => {
  it("has at least 15 phrasings for every label and no phrasing under two labels", () => {
    const seen = new Map<string, string>();
    for (const label of QUESTION_LABELS) {
      expect(PARAPHRASES[label].length, label).toBeGreaterThanOrEqual(15);
      for (const phrasing of PARAPHRASES[label]) {
        const key = phrasing.toLowerCase();
        expect(seen.get(key) ?? label, `${phrasing} (${label})`).toBe(label);
        seen.set(key, label);
      }
    }
  });

  // Phrasings that are in no bank: what the ward bank is for.
  it.each([
    ["What is frightening you most about this fever?", "concerns"],
    ["Once the pain begins, how many hours does it go on for?", "duration"],
    ["Kab se shuru hua ye dard?", "onset"],
    ["Are you taking any herbal or desi medicine for the sugar?", "medications"],
    ["Anybody in your mohalla sick with the same fever?", "contacts"],
  ])("reads %j as %s", (question, label) => {
    expect(classifyQuestion(question).label).toBe(label);
  });

  it("answers the question after an introduction, not only the hello", async () => {
    const question = "Namaste uncle, I'm an intern in the medicine ward. So tell me what happened?";
    expect(recognizeIntents(question).map((intent) => intent.kind)).toEqual(["open_question"]);
    const answer = await answerFromScript(await cases.get("malaria-vivax"), await personas.get("rude"), [
      { role: "doctor", content: question },
    ]);
    expect(answer.factIds).toContain("chief_complaint");
  });
});
