import { describe, expect, it } from "vitest";
import { forbiddenDiagnosisTerms, listCaseFacts } from "../domain/index.js";
import { findDiagnosisLeak } from "../simulator/index.js";
import { NotFoundError } from "../util/errors.js";
import { cases, personas } from "./index.js";

describe("built-in case library", () => {
  it("has at least 24 valid cases with unique ids", async () => {
    const all = await cases.list();
    expect(all.length).toBeGreaterThanOrEqual(24);
    expect(new Set(all.map((item) => item.id)).size).toBe(all.length);
  });

  it("covers the common presentations of Indian primary care (fevers, TB, diabetes, chest pain, depression)", async () => {
    const ids = await cases.ids();
    for (const expected of [
      "dengue-fever",
      "malaria-vivax",
      "typhoid-fever",
      "pulmonary-tuberculosis",
      "type-2-diabetes",
      "acute-coronary-syndrome",
      "depression",
    ]) {
      expect(ids).toContain(expected);
    }
  });

  it("never puts the diagnosis in anything the patient can say", async () => {
    for (const item of await cases.list()) {
      const spoken = [
        item.openingStatement,
        item.chiefComplaint,
        ...listCaseFacts(item)
          .filter((fact) => fact.revealedBy === "ask")
          .map((fact) => fact.text),
      ];
      for (const text of spoken) expect(findDiagnosisLeak(text, item), `${item.id}: "${text}"`).toBeUndefined();
      expect(forbiddenDiagnosisTerms(item).length).toBeGreaterThan(0);
    }
  });

  it("has something to examine and something to order in every case", async () => {
    for (const item of await cases.list()) {
      expect(Object.keys(item.examination).length, item.id).toBeGreaterThan(0);
      expect(Object.keys(item.tests).length, item.id).toBeGreaterThan(0);
    }
  });

  it("lists the valid ids when an id is unknown", async () => {
    const error = await cases.get("no-such-case").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as Error).message).toMatch(/^unknown case "no-such-case"; valid case ids: .*dengue-fever/);
  });
});

describe("built-in personas", () => {
  it("has the four seed personas and at least four more", async () => {
    const ids = await personas.ids();
    for (const seed of ["calm", "anxious", "rude", "overly_patient"]) expect(ids).toContain(seed);
    expect(ids.length).toBeGreaterThanOrEqual(8);
  });

  it("rejects an unknown persona with the valid ids", async () => {
    await expect(personas.get("grumpy")).rejects.toThrow(/unknown persona "grumpy"; valid persona ids: anxious, calm/);
  });
});
