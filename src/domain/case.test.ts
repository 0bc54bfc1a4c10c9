import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cases } from "../library/index.js";
import { FileError, ValidationError } from "../util/errors.js";
import { PatientCaseSchema } from "./case.js";
import { forbiddenDiagnosisTerms, listCaseFacts } from "./facts.js";

async function validCaseInput(): Promise<Record<string, unknown>> {
  return structuredClone((await cases.get("dengue-fever")) as unknown as Record<string, unknown>);
}

async function writeTemp(name: string, text: string): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), "medsim-case-"));
  const path = join(directory, name);
  await writeFile(path, text);
  return path;
}

describe("PatientCaseSchema", () => {
  it("turns plain strings into facts told only when asked", async () => {
    const input = await validCaseInput();
    input.medications = ["Metformin 500 mg twice a day", { text: "Insulin at night", volunteer: true }];
    const parsed = PatientCaseSchema.parse(input);
    expect(parsed.medications).toEqual([
      { text: "Metformin 500 mg twice a day", volunteer: false },
      { text: "Insulin at night", volunteer: true },
    ]);
  });

  it("names the field of a bad value in a one-line error", async () => {
    const input = await validCaseInput();
    (input.historyOfPresentIllness as Record<string, unknown>).severity = 14;
    const path = await writeTemp("bad.json", JSON.stringify(input));
    const error = await cases.loadFile(path).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toMatch(/bad\.json: historyOfPresentIllness\.severity: .*10/);
    expect((error as Error).message).not.toContain("\n");
  });

  it("rejects unknown keys, so a typo does not silently drop a section", async () => {
    const input = await validCaseInput();
    input.medication = ["typo"];
    const path = await writeTemp("typo.json", JSON.stringify(input));
    await expect(cases.loadFile(path)).rejects.toThrow(/typo\.json: .*medication/);
  });

  it("reports the line of a YAML syntax error", async () => {
    const path = await writeTemp("broken.yaml", "id: x\ntitle: [unclosed\ndemographics: {}\n");
    await expect(cases.loadFile(path)).rejects.toSatisfy(
      (error: unknown) =>
        error instanceof FileError && /broken\.yaml: invalid YAML at line \d/.test((error as Error).message),
    );
  });

  it("reports a missing file by name", async () => {
    await expect(cases.loadFile("/nonexistent/case.yaml")).rejects.toThrow("/nonexistent/case.yaml: file not found");
  });
});

describe("listCaseFacts", () => {
  it("gives stable ids and keeps examination findings and tests behind examination and ordering", async () => {
    const facts = listCaseFacts(await cases.get("dengue-fever"));
    const ids = facts.map((fact) => fact.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain("hpi.onset");
    expect(ids).toContain("tests.ns1_antigen");
    expect(facts.find((fact) => fact.id === "exam.abdomen")?.revealedBy).toBe("examine");
    expect(facts.find((fact) => fact.id === "tests.ns1_antigen")?.revealedBy).toBe("test");
    expect(facts.find((fact) => fact.id === "hpi.onset")?.volunteer).toBe(true);
    expect(facts.find((fact) => fact.id === "hpi.duration")?.volunteer).toBe(false);
  });

  it("lists the diagnosis and its aliases as forbidden terms", async () => {
    expect(forbiddenDiagnosisTerms(await cases.get("dengue-fever"))).toEqual(
      expect.arrayContaining(["Dengue fever", "dengue", "DHF"]),
    );
  });
});
