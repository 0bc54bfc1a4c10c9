import { describe, expect, it } from "vitest";
import { listCaseFacts } from "../domain/index.js";
import { recognizeIntents } from "../engines/scripted/intents.js";
import { findFactsSaid } from "../engines/scripted/memory.js";
import { createRandom } from "../util/random.js";
import { loadKnowledgeBase } from "../knowledge/index.js";
import { personas as personaCatalog } from "../library/index.js";
import { generateCaseSet, PHRASINGS, planQuestions, synthesizeDialogues } from "./index.js";

describe("question plans", () => {
  it("every phrasing is recognised as the step it stands for", () => {
    for (const [step, phrasings] of Object.entries(PHRASINGS)) {
      for (const phrasing of phrasings) {
        const kinds = recognizeIntents(phrasing.replace("{doctor}", "Rao")).map((intent) =>
          intent.kind === "topic" ? intent.topic : intent.kind,
        );
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
    const result = await synthesizeDialogues({
      cases: [item!],
      personas: [persona],
      count: 30,
      seed: 1,
      minTurns: 2,
      maxTurns: 2,
    });
    const keys = result.dialogues.map((dialogue) => dialogue.turns.map((turn) => turn.content).join("|"));
    expect(new Set(keys).size).toBe(keys.length);
    expect(result.duplicatesRemoved.exact + result.duplicatesRemoved.near).toBeGreaterThan(0);
    expect(result.dialogues.length + result.unfilled).toBe(30);
  });
});

describe("tangents", () => {
  it("talkative personas add facts nobody asked for, taken from the case; calm ones do not", async () => {
    const kb = await loadKnowledgeBase();
    const talkative = await personaCatalog.get("overly_patient");
    const calm = await personaCatalog.get("calm");
    const cases = generateCaseSet(kb, [talkative], { perDisease: 1, seed: 3 });
    const tangent = /(?:By the way,|Oh, and|You know,|That reminds me,|Not that it matters, but) (.+?)\.?$/;
    const run = async (persona: typeof calm) =>
      (await synthesizeDialogues({ cases, personas: [persona], count: 60, seed: 2 })).dialogues;
    let tangents = 0;
    for (const dialogue of await run(talkative)) {
      const facts = listCaseFacts(dialogue.patientCase);
      for (const turn of dialogue.turns.filter((item) => item.role === "patient")) {
        const match = tangent.exec(turn.content);
        if (!match) continue;
        tangents++;
        // The tangent says a fact of the case (in the patient's words).
        expect(findFactsSaid(match[1]!, facts), turn.content).not.toEqual([]);
      }
    }
    expect(tangents).toBeGreaterThan(10);
    const calmTurns = (await run(calm)).flatMap((dialogue) =>
      dialogue.turns.filter((turn) => turn.role === "patient").map((turn) => turn.content),
    );
    expect(calmTurns.filter((text) => tangent.test(text))).toEqual([]);
  });
});

describe("case generator populations", () => {
  it("samples demographics from the chosen population", async () => {
    const kb = await loadKnowledgeBase();
    const indian = generateCaseSet(kb, [], { perDisease: 2, seed: 1 }).map(
      (item) => item.patientCase.demographics.region,
    );
    expect(indian.every((region) => region.endsWith("India"))).toBe(true);
    const global = generateCaseSet(kb, [], { perDisease: 2, seed: 1, population: "global" }).map(
      (item) => item.patientCase.demographics.region,
    );
    expect(global.some((region) => region.endsWith("India"))).toBe(false);
    expect(() => generateCaseSet(kb, [], { perDisease: 1, population: "mars" })).toThrow(
      'unknown population "mars"; valid population ids: india, global',
    );
  });
});
