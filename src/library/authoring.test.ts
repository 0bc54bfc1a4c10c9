import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { dataDirectory, validateAuthoredText } from "./index.js";

describe("validateAuthoredText", () => {
  it("accepts a built-in case and reports every problem of a broken one with its field and line", async () => {
    const text = await readFile(join(dataDirectory, "cases", "dengue-fever.yaml"), "utf8");
    expect(validateAuthoredText("case", text).valid).toBe(true);

    const broken = text
      .replace("severity: 7", "severity: eleven")
      .replace('  bloodPressure: "112/72"', '  bloodPressure: "high"');
    const result = validateAuthoredText("case", broken);
    expect(result.valid).toBe(false);
    const lines = broken.split("\n");
    const issues = result.issues;
    const severity = issues.find((issue) => issue.field === "historyOfPresentIllness.severity")!;
    expect(lines[severity.line! - 1]).toContain("severity: eleven");
    const pressure = issues.find((issue) => issue.field === "vitalSigns.bloodPressure")!;
    expect(pressure.message).toMatch(/systolic\/diastolic/);
    expect(lines[pressure.line! - 1]).toContain("bloodPressure");
  });

  it("refuses a case whose patient-spoken field names the diagnosis, naming the field", async () => {
    const text = await readFile(join(dataDirectory, "cases", "dengue-fever.yaml"), "utf8");
    const leaking = text.replace(
      'ideas: "I think it is just viral fever',
      'ideas: "I think it is dengue, or just viral fever',
    );
    const result = validateAuthoredText("case", leaking);
    expect(result.valid).toBe(false);
    expect(result.issues[0]).toMatchObject({
      field: "ideasConcernsExpectations.ideas",
      message: expect.stringContaining("dengue"),
    });
    expect(leaking.split("\n")[result.issues[0]!.line! - 1]).toContain("ideas:");
  });

  it("reports YAML syntax errors with their line, and a missing field at its parent", () => {
    expect(validateAuthoredText("persona", "id: x\nname: [unclosed\n").issues[0]!.line).toBeGreaterThan(0);
    const missing = validateAuthoredText("persona", "id: calm2\nname: Calm\ndescription: d\n");
    expect(missing.valid).toBe(false);
    expect(missing.issues.map((issue) => issue.field)).toEqual(expect.arrayContaining(["axes", "traits", "examples"]));
  });
});
