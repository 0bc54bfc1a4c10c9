import { describe, expect, it } from "vitest";
import { recogniseIntents } from "../engines/scripted/intents.js";
import { createRandom } from "../engines/scripted/random.js";
import { loadKnowledgeBase } from "../knowledge/index.js";
import { personas as personaCatalog } from "../library/index.js";
import { generateCaseSet, PHRASINGS, planQuestions, synthesizeDialogues } from "./index.js";

describe("question plans", () => {
  it("every phrasing is recognised as the step it stands for", () => {
    for (const [step, phrasings] of Object.entries(PHRASINGS)) {
      for (const phrasing of phrasings) {
        const kinds = recogniseIntents(phrasing.replace("{doctor}", "Rao")).map((intent) => (intent.kind === "topic" ? intent.topic : intent.kind));
        expect(kinds, phrasing).toEqual([step]);
      }
    }
  });

  it("plans open with the open question (after an optional greeting) and end with a closing", () => {
    for (let seed = 0; seed < 200; seed++) {
      const plan = planQuestions(createRandom(seed), 6, 16);
      expect(plan.length).toBeGreaterThanOrEqual(6);
      expect(plan.length).toBeLessThanOrEqual(16);
      expect(PHRASINGS.closing).toContain(plan.at(-1));
      expect(PHRASINGS.open_question.includes(plan[0]!) || PHRASINGS.open_question.includes(plan[1]!)).toBe(true);
    }
  });

  it("regenerates duplicates: a single case and persona still gives distinct dialogues", async () => {
    const kb = await loadKnowledgeBase();
    const persona = await personaCatalog.get("calm");
    const [item] = generateCaseSet(kb, [persona], { perDisease: 1, diseases: ["migraine"] });
    const result = await synthesizeDialogues({ cases: [item!], personas: [persona], count: 30, seed: 1, minTurns: 3, maxTurns: 4 });
    const keys = result.dialogues.map((dialogue) => dialogue.turns.map((turn) => turn.content).join("|"));
    expect(new Set(keys).size).toBe(keys.length);
    expect(result.duplicatesRemoved.exact + result.duplicatesRemoved.near).toBeGreaterThan(0);
    expect(result.dialogues.length + result.unfilled).toBe(30);
  });
});
