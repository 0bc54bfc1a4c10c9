import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { temporaryFolder } from "../../ehr/ehr.test-utils.js";
import { runCliInProcess } from "../run-in-process.test-utils.js";

describe("medsim ehr", () => {
  it("generates from a request, keeps a session for follow-ups, and prints JSON with LOINC codes and sources", async () => {
    const folder = await temporaryFolder();
    const session = join(folder, "session.json");
    const first = await runCliInProcess(
      "ehr",
      "generate",
      "generate 40 type 2 diabetes patients from the US with 20 important observations",
      "--out",
      join(folder, "t2d.csv"),
      "--session",
      session,
      "--json",
    );
    expect(first.code, first.stderr).toBe(0);
    const report = JSON.parse(first.stdout);
    expect(report.counts.patients).toBe(40);
    expect(report.observations).toHaveLength(20);
    expect(report.observations[0]).toMatchObject({
      id: "hba1c",
      loinc: "4548-4",
      unit: "%",
      source: expect.any(String),
    });
    expect(report.observations.every((o: { sourceTitle?: string }) => o.sourceTitle)).toBe(true);
    const csv = (await readFile(join(folder, "t2d.csv"), "utf8")).trim().split("\n");
    expect(csv).toHaveLength(41);

    const followUp = await runCliInProcess(
      "ehr",
      "generate",
      "make it 25 and add eGFR, only women over 60",
      "--out",
      join(folder, "women"),
      "--format",
      "fhir-ndjson",
      "--session",
      session,
      "--json",
    );
    expect(followUp.code, followUp.stderr).toBe(0);
    const refined = JSON.parse(followUp.stdout);
    expect(refined.followUp).toBe(true);
    expect(refined.spec).toMatchObject({ count: 25, sex: "female", age: { min: 61 } });
    expect(refined.observations.map((o: { id: string }) => o.id)).toContain("egfr");
    expect(JSON.parse(await readFile(session, "utf8")).requests).toHaveLength(2);
    expect((await readFile(join(folder, "women", "Patient.ndjson"), "utf8")).trim().split("\n")).toHaveLength(25);

    const ask = await runCliInProcess(
      "ehr",
      "ask",
      "where does the HbA1c distribution come from?",
      "--session",
      session,
    );
    expect(ask.code).toBe(0);
    expect(ask.stdout).toMatch(/NHANES/);
  });

  it("answers an impossible or ambiguous request with one line and exit code 1, writing nothing", async () => {
    const folder = await temporaryFolder();
    const out = join(folder, "none.csv");
    const zero = await runCliInProcess("ehr", "generate", "generate 0 asthma patients", "--out", out);
    expect(zero.code).toBe(1);
    expect(zero.stderr.trim().split("\n")).toHaveLength(1);
    expect(zero.stderr).toMatch(/^medsim: .*0 patients/);
    const unknown = await runCliInProcess("ehr", "generate", "generate 100 lupus patients", "--out", out);
    expect(unknown.stderr).toMatch(/known conditions: .*type-2-diabetes/);
    const vague = await runCliInProcess("ehr", "generate", "some asthma patients please", "--out", out);
    expect(vague.stderr).toMatch(/How many patients/);
    const shard = await runCliInProcess("ehr", "generate", "10 asthma patients", "--out", out, "--shard", "3/2");
    expect(shard.code).toBe(2);
    await expect(readFile(out)).rejects.toThrow();
  });

  it("lists the conditions with their observations", async () => {
    const result = await runCliInProcess("ehr", "conditions", "--json");
    const conditions = JSON.parse(result.stdout) as { id: string; kind: string; observations: { loinc: string }[] }[];
    expect(conditions.map((c) => c.id)).toEqual(
      expect.arrayContaining([
        "type-2-diabetes",
        "hypertension",
        "chronic-kidney-disease",
        "asthma",
        "copd",
        "tuberculosis",
        "dengue",
        "anaemia",
        "healthy",
      ]),
    );
    for (const condition of conditions.filter((c) => c.kind === "chronic"))
      expect(condition.observations.length).toBeGreaterThanOrEqual(20);
  });
});
