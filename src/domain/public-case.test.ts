import { describe, expect, it } from "vitest";
import { cases } from "../library/index.js";
import { findDiagnosisLeak } from "./facts.js";
import { PUBLIC_CASE_ID_PATTERN, publicCaseId, studentCaseTitle } from "./public-case.js";

describe("publicCaseId", () => {
  it("is stable, opaque and distinct for every built-in case", async () => {
    const all = await cases.list();
    const ids = all.map((item) => publicCaseId(item.id));
    expect(new Set(ids).size).toBe(all.length);
    for (const [index, item] of all.entries()) {
      expect(ids[index]).toMatch(PUBLIC_CASE_ID_PATTERN);
      expect(findDiagnosisLeak(ids[index]!, item)).toBeUndefined();
    }
    // The same id on every server and after every restart: a hash of the internal id, nothing random.
    expect(publicCaseId("dengue-fever")).toBe(publicCaseId("dengue-fever"));
    expect(publicCaseId("dengue-fever")).not.toBe(publicCaseId("dengue-fever-2"));
  });
});

describe("studentCaseTitle", () => {
  it("keeps a title that does not name the diagnosis", async () => {
    const dengue = await cases.get("dengue-fever");
    expect(studentCaseTitle(dengue)).toBe(dengue.title);
  });

  it("builds one from the complaint, age and sex when the title names the diagnosis", async () => {
    const dengue = await cases.get("dengue-fever");
    const named = { ...dengue, title: "Dengue in the monsoon" };
    expect(studentCaseTitle(named)).toBe(
      `${dengue.chiefComplaint}, ${dengue.demographics.age}-year-old ${dengue.demographics.sex === "male" ? "man" : "woman"}`,
    );
    const child = { ...named, demographics: { ...dengue.demographics, age: 9, sex: "female" as const } };
    expect(studentCaseTitle(child)).toMatch(/, 9-year-old girl$/);
    const both = { ...named, chiefComplaint: "Dengue for three days" };
    expect(studentCaseTitle(both)).toBe(`A ${dengue.demographics.age}-year-old man`);
  });

  it("never names the diagnosis of a built-in case", async () => {
    for (const item of await cases.list()) expect(findDiagnosisLeak(studentCaseTitle(item), item)).toBeUndefined();
  });
});
