import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { personas } from "../../library/index.js";
import {
  loadPersonaClassifier,
  PersonaClassifier,
  SEED_PERSONAS,
  trainPersonaClassifier,
  trainPersonaModel,
} from "./index.js";

describe("persona classifier", () => {
  it("trained on freshly generated synthetic replies, reaches 90% on held-out replies of the seed personas", async () => {
    const { model, heldOut } = await trainPersonaClassifier();
    // Held-out replies come from dialogues of cases the training never saw (the case-level split).
    expect(heldOut.seed.count).toBeGreaterThan(400);
    expect(heldOut.seed.accuracy).toBeGreaterThanOrEqual(0.9);
    const matrixTotal = Object.values(heldOut.seed.confusion)
      .flatMap((row) => Object.values(row))
      .reduce((a, b) => a + b, 0);
    expect(matrixTotal).toBe(heldOut.seed.count);
    // All eight personas: reported, and far above chance (1/8)
    expect(heldOut.all.personas).toHaveLength(8);
    expect(heldOut.all.accuracy).toBeGreaterThan(0.6);
    expect(model.classes).toEqual([...model.classes].sort());
  }, 300_000);

  it("classifies the personas' own example lines and unseen lines in their voices", async () => {
    const classifier = await loadPersonaClassifier();
    for (const id of SEED_PERSONAS) {
      const persona = await personas.get(id);
      for (const line of persona.examples) expect(classifier.classify(line, SEED_PERSONAS).persona, line).toBe(id);
    }
    const prediction = classifier.classify("What if it is something really bad? I am so frightened.");
    expect(prediction.persona).toBe("anxious");
    const total = Object.values(prediction.scores).reduce((a, b) => a + b, 0);
    expect(total).toBeCloseTo(1, 10);
    expect(Object.keys(classifier.classify("fine", ["calm", "rude"]).scores)).toEqual(["calm", "rude"]);
    expect(() => classifier.classify("fine", ["calm", "grumpy"])).toThrow(/"grumpy" is not known.*knows anxious/);
  });

  it("places short hand-written lines in the seed personas (80% or more)", async () => {
    // 48 lines written by hand in each seed persona's voice, not drawn from the synthesiser's
    // templates or the personas' phrases; never used in training. Measured: 42 of 48 (87.5%).
    const lines = (await readFile(new URL("./hand-written-lines.tsv", import.meta.url), "utf8"))
      .trim()
      .split("\n")
      .map((line) => line.split("\t") as [string, string]);
    const classifier = await loadPersonaClassifier();
    const correct = lines.filter(([persona, text]) => classifier.classify(text, SEED_PERSONAS).persona === persona);
    expect(lines.length).toBeGreaterThanOrEqual(48);
    expect(new Set(lines.map(([persona]) => persona))).toEqual(new Set(SEED_PERSONAS));
    expect(correct.length / lines.length).toBeGreaterThanOrEqual(0.8);
  });

  it("trains deterministically", () => {
    const examples = [
      { text: "I am so scared, is it serious?", persona: "anxious" },
      { text: "Oh no, I am worried.", persona: "anxious" },
      { text: "Just hurry up.", persona: "rude" },
      { text: "I already told you. Next question.", persona: "rude" },
    ];
    const first = trainPersonaModel(examples, { minCount: 1, seed: 5 });
    expect(trainPersonaModel(examples, { minCount: 1, seed: 5 })).toEqual(first);
    expect(new PersonaClassifier(first).classify("Hurry up, I already told you.").persona).toBe("rude");
    expect(() => trainPersonaModel(examples.slice(0, 2))).toThrow(/at least 2 personas/);
  });
});
