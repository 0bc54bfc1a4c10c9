import { beforeAll, describe, expect, it } from "vitest";
import { loadKnowledgeBase, type KnowledgeBase } from "../knowledge/index.js";
import { generateQaPairs, type QaSample } from "../synth/index.js";
import { answerSections, diseaseOf, scoreQaAnswers } from "./qa.js";

let kb: KnowledgeBase;
let samples: QaSample[];
beforeAll(async () => {
  kb = await loadKnowledgeBase();
  samples = await generateQaPairs(kb, { perDisease: 1, seed: 2 });
});

describe("scoreQaAnswers", () => {
  it("gives a perfect score to the reference itself", () => {
    const pairs = samples
      .slice(0, 10)
      .map((s) => ({ input: s.input_text, reference: s.output_text, generated: s.output_text }));
    const result = scoreQaAnswers(pairs, kb);
    expect(result.rouge.rougeL.f1).toBeCloseTo(1, 12);
    expect(result.structure_compliance).toBe(1);
    expect(result.disease_accuracy).toBe(1);
    expect(result.see_doctor_violations).toBe(0);
    expect(answerSections(samples[0]!.output_text)).toEqual([
      "Likely condition",
      "Rationale",
      "About it",
      "Precautions",
      "See a doctor",
      "Red flags",
      "Indian context",
    ]);
  });

  it("finds missing sections, a wrong disease and a critical disease without a doctor", () => {
    const critical = samples.find((s) => kb.diseases.find((d) => d.id === s.meta.diseaseId)?.critical)!;
    const other = samples.find((s) => s.meta.diseaseId !== critical.meta.diseaseId)!;
    const otherName = kb.diseases.find((d) => d.id === other.meta.diseaseId)!.name;
    const generated = `Likely condition: ${otherName}\nSee a doctor: Not urgently, rest at home.`;
    const result = scoreQaAnswers([{ input: critical.input_text, reference: critical.output_text, generated }], kb);
    expect(result.answers[0]!.missingSections).toEqual([
      "Rationale",
      "About it",
      "Precautions",
      "Red flags",
      "Indian context",
    ]);
    expect(result.answers[0]!.predictedDisease).toBe(other.meta.diseaseId);
    expect(result.disease_accuracy).toBe(0);
    expect(result.see_doctor_violations).toBe(1);
    expect(result.structure_compliance).toBe(0);
    expect(diseaseOf("no such line", kb)).toBeNull();
  });
});
