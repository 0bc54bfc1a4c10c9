import { describe, expect, it } from "vitest";
import { KnowledgeBaseSchema, type KnowledgeBase } from "../knowledge/index.js";
import { generateQaPairs, offlineParaphrase } from "./index.js";

/** A one-disease knowledge base whose scores can be worked out by hand: duration fixed at 4 days. */
function tinyKb(critical: boolean): KnowledgeBase {
  return KnowledgeBaseSchema.parse({
    symptoms: { cough: { lay: "a cough" }, high_fever: { lay: "a high fever" }, headache: { lay: "a headache" } },
    diseases: [
      {
        id: "test-flu",
        name: "Test flu",
        category: "test",
        description: "A made-up disease for tests.",
        symptoms: { cough: 3, high_fever: 5, headache: 2 },
        precautions: ["Rest.", "Drink fluids.", "Wash hands.", "Stay home."],
        demographics: { ages: [20, 40] },
        duration: { days: [4, 4], onset: "sudden" },
        redFlags: ["Breathlessness"],
        critical,
        india: {
          prevalence: "Everywhere.",
          localNames: { hindi: "test bukhar", tamil: "test kaaichal" },
          access: "Easy.",
        },
      },
    ],
  });
}

describe("clinical Q&A pairs", () => {
  it("scores severity as sum of weights × days ÷ (symptoms + 1), by hand", async () => {
    const samples = await generateQaPairs(tinyKb(false), { perDisease: 4, seed: 5 });
    expect(samples).toHaveLength(4);
    // cough is always first (the main symptom); the others are a sampled subset.
    const expected: Record<string, number> = {
      "cough,headache,high_fever": 10,
      "cough,high_fever": 10.7,
      "cough,headache": 6.7,
    };
    for (const sample of samples) {
      expect(sample.meta.symptoms[0]).toBe("cough");
      const key = [...sample.meta.symptoms].sort().join(",");
      expect(sample.meta.severityScore, key).toBe(expected[key]);
      expect(sample.output_text).toContain(`= ${expected[key]}.`);
      expect(sample.output_text).toMatch(/^Likely condition: Test flu$/m);
      // Below 13 and not critical: no urgent visit.
      expect(sample.output_text).toContain("See a doctor: Not urgently.");
      expect(sample.input_text).toMatch(/four days/);
    }
  });

  it("a lower threshold, or a critical disease, recommends a doctor", async () => {
    for (const sample of await generateQaPairs(tinyKb(false), { perDisease: 4, seed: 5, severityThreshold: 6 }))
      expect(sample.output_text).toContain("See a doctor: Yes. The severity score");
    for (const sample of await generateQaPairs(tinyKb(true), { perDisease: 4, seed: 5 }))
      expect(sample.output_text).toContain("See a doctor: Yes. Test flu always needs a doctor");
  });

  it("paraphrasing doubles the set with different inputs and the same answers", async () => {
    const samples = await generateQaPairs(tinyKb(false), { perDisease: 3, seed: 2, paraphrase: true });
    expect(samples).toHaveLength(6);
    for (let index = 0; index < 6; index += 2) {
      expect(samples[index + 1]!.meta.variant).toBe("paraphrase");
      expect(samples[index + 1]!.input_text).not.toBe(samples[index]!.input_text);
      expect(samples[index + 1]!.output_text).toBe(samples[index]!.output_text);
    }
    expect(offlineParaphrase("I have a high fever for two days.", 1)).toBe(
      offlineParaphrase("I have a high fever for two days.", 1),
    );
  });
});
