import { cp, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { dataDirectory } from "../library/paths.js";
import { loadEhrCatalog, treatmentsOf } from "./catalog.js";
import { temporaryFolder } from "./ehr.test-utils.js";

describe("data/ehr", () => {
  it("covers the nine generators with coded observations, and every chronic condition has at least 20", async () => {
    const catalog = await loadEhrCatalog();
    expect(catalog.conditions.map((condition) => condition.id).sort()).toEqual([
      "anaemia",
      "asthma",
      "chronic-kidney-disease",
      "copd",
      "dengue",
      "healthy",
      "hypertension",
      "tuberculosis",
      "type-2-diabetes",
    ]);
    for (const condition of catalog.conditions) {
      if (condition.kind === "chronic") expect(condition.observations.length, condition.id).toBeGreaterThanOrEqual(20);
      if (condition.kind !== "none") {
        expect(condition.snomed?.code, condition.id).toMatch(/^\d{6,18}$/);
        expect(condition.icd10?.code, condition.id).toMatch(/^[A-Z]\d\d(\.\d{1,2})?$/);
        expect(treatmentsOf(condition).length, condition.id).toBeGreaterThan(0);
      }
    }
    for (const observation of catalog.observations.filter((o) => !o.hidden)) {
      expect(observation.loinc, observation.id).toMatch(/^\d+-\d$/);
      expect(observation.unit, observation.id).not.toBe("");
    }
  });

  it("refuses data files that cite an unknown source or order a model before its inputs", async () => {
    const folder = join(await temporaryFolder(), "ehr");
    await cp(join(dataDirectory, "ehr"), folder, { recursive: true });
    const path = join(folder, "conditions", "asthma.yaml");
    const original = await readFile(path, "utf8");
    await writeFile(path, original.replace("source: gina-2023", "source: my-blog"));
    await expect(loadEhrCatalog(folder)).rejects.toThrow(/conditions\/asthma.yaml: unknown source "my-blog"/);
    await writeFile(path, original);
    const observations = join(folder, "observations.yaml");
    const text = await readFile(observations, "utf8");
    await writeFile(observations, text.replace("terms: [[hba1c, 25.0]]", "terms: [[ldl, 25.0]]"));
    await expect(loadEhrCatalog(`${folder}/`)).rejects.toThrow(/fasting-glucose.*term "ldl" must be/);
  });
});
