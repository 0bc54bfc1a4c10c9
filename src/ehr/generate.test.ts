import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { dataDirectory } from "../library/paths.js";
import { loadEhrCatalog, type EhrCatalog } from "./catalog.js";
import { planCohort, type CohortPlan } from "./cohort.js";
import { correlation, readCsv, temporaryFolder } from "./ehr.test-utils.js";
import { generatePatient, type PatientRecord } from "./generate.js";
import { parseRequest } from "./parse.js";
import { answerQuestion } from "./ask.js";
import { writeCohort } from "./write.js";

const T2D_REQUEST =
  "generate 2000 Type 2 diabetes patients EHR data with 20 important diabetes observations based on the US population";

/** CKD-EPI 2021 written out again from Inker et al. (NEJM 2021), independently of formulas.ts. */
function referenceEgfr(creatinine: number, age: number, female: boolean): number {
  const k = female ? 0.7 : 0.9;
  const a = female ? -0.241 : -0.302;
  return (
    142 *
    Math.pow(Math.min(creatinine / k, 1), a) *
    Math.pow(Math.max(creatinine / k, 1), -1.2) *
    Math.pow(0.9938, age) *
    (female ? 1.012 : 1)
  );
}

function column(rows: Record<string, string>[], loinc: string): number[] {
  const name = Object.keys(rows[0]!).find((key) => key.includes(`LOINC ${loinc},`));
  if (!name) throw new Error(`no column for LOINC ${loinc}`);
  return rows.map((row) => Number(row[name]));
}

describe("the quoted type 2 diabetes request", () => {
  let catalog: EhrCatalog;
  let plan: CohortPlan;
  let rows: Record<string, string>[];

  beforeAll(async () => {
    catalog = await loadEhrCatalog();
    const { spec } = parseRequest(T2D_REQUEST, catalog);
    plan = planCohort(spec, catalog);
    const out = join(await temporaryFolder(), "t2d.csv");
    await writeCohort(plan, { format: "csv", out, seed: 42 });
    rows = await readCsv(out);
  }, 120_000);

  it("gives exactly 2000 adults, all with type 2 diabetes, and at least 20 LOINC-coded observation columns", () => {
    expect(rows).toHaveLength(2000);
    expect(rows.every((row) => row.conditions!.split(";")[0] === "type-2-diabetes")).toBe(true);
    expect(
      rows.every((row) => row.snomed_codes!.split(";").includes("44054006") && row.icd10_codes!.includes("E11.9")),
    ).toBe(true);
    expect(rows.every((row) => Number(row.age) >= 18)).toBe(true);
    const loincColumns = Object.keys(rows[0]!).filter((key) => /LOINC \d+-\d, /.test(key));
    expect(loincColumns.length).toBeGreaterThanOrEqual(20);
    expect(new Set(rows.map((row) => row.patient_id)).size).toBe(2000);
  });

  it("has the US sex and age mix of the cited tables (census pyramid x CDC prevalence by age and sex)", async () => {
    const population = parseYaml(await readFile(join(dataDirectory, "ehr/populations/us.yaml"), "utf8")) as {
      ageBands: [number, number, number, number][];
    };
    const condition = parseYaml(await readFile(join(dataDirectory, "ehr/conditions/type-2-diabetes.yaml"), "utf8")) as {
      prevalence: { us: { bands: [number, number, number, number][] } };
    };
    // Expected shares, worked out year by year from the two cited tables.
    let male = 0;
    let total = 0;
    let over65 = 0;
    for (let age = 18; age <= 90; age++)
      for (const female of [false, true]) {
        const band = population.ageBands.find(([low, high]) => age >= low && age <= high)!;
        const prevalence = condition.prevalence.us.bands.find(([low, high]) => age >= low && age <= high)!;
        const weight =
          ((female ? band[3] : band[2]) / (band[1] - band[0] + 1)) * (female ? prevalence[3] : prevalence[2]);
        total += weight;
        if (!female) male += weight;
        if (age >= 65) over65 += weight;
      }
    const maleShare = rows.filter((row) => row.sex === "male").length / rows.length;
    const over65Share = rows.filter((row) => Number(row.age) >= 65).length / rows.length;
    // 2000 draws: a binomial share has sd ~1.1 points; 4 points is > 3 sd.
    expect(Math.abs(maleShare - male / total)).toBeLessThan(0.04);
    expect(Math.abs(over65Share - over65 / total)).toBeLessThan(0.04);
  });

  it("keeps HbA1c and fasting glucose consistent (ADAG relation) and eGFR exactly CKD-EPI 2021", () => {
    const hba1c = column(rows, "4548-4");
    const glucose = column(rows, "1558-6");
    expect(correlation(hba1c, glucose)).toBeGreaterThan(0.7);
    // Residual around FPG = 25 x A1C - 28 stays within 4 residual sds (13 mg/dL) except at the clamps.
    const far = hba1c.filter((a1c, index) => Math.abs(glucose[index]! - (25 * a1c - 28)) > 4 * 13);
    expect(far.length).toBeLessThan(rows.length * 0.01);
    const creatinine = column(rows, "2160-0");
    const egfr = column(rows, "98979-8");
    rows.forEach((row, index) => {
      const expected = referenceEgfr(creatinine[index]!, Number(row.age), row.sex === "female");
      expect(Math.abs(egfr[index]! - expected)).toBeLessThanOrEqual(1);
    });
  });

  it("keeps body measures and lipids together: BMI with waist and blood pressure, total = LDL + HDL + TG/5, lower LDL on statins", () => {
    const bmi = column(rows, "39156-5");
    expect(correlation(bmi, column(rows, "8280-0"))).toBeGreaterThan(0.7);
    expect(correlation(bmi, column(rows, "8480-6"))).toBeGreaterThan(0.1);
    const weight = column(rows, "29463-7");
    const height = column(rows, "8302-2");
    weight.forEach((kg, index) => expect(Math.abs(kg - bmi[index]! * (height[index]! / 100) ** 2)).toBeLessThan(0.6));
    const ldl = column(rows, "13457-7");
    const hdl = column(rows, "2085-9");
    const triglycerides = column(rows, "2571-8");
    const total = column(rows, "2093-3");
    total.forEach((value, index) =>
      expect(Math.abs(value - (ldl[index]! + hdl[index]! + triglycerides[index]! / 5))).toBeLessThanOrEqual(1.5),
    );
    const onStatin = rows.map((row) => row.medications!.split(";").includes("atorvastatin"));
    const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
    const statinLdl = mean(ldl.filter((_, index) => onStatin[index]));
    const otherLdl = mean(ldl.filter((_, index) => !onStatin[index]));
    expect(statinLdl).toBeLessThan(otherLdl * 0.8);
  });

  it("prescribes by the ADA step the HbA1c values imply, at every visit", () => {
    let checked = 0;
    for (let index = 0; index < 300; index++) {
      const patient: PatientRecord = generatePatient(plan, 42, index);
      const a1cAt = (visit: number) => patient.visits[visit]!.values[plan.positions.get("hba1c")!]!;
      const egfrAt = (visit: number) => patient.visits[visit]!.values[plan.positions.get("egfr")!]!;
      let step = 0;
      patient.visits.forEach((visit, visitIndex) => {
        const a1c = a1cAt(visitIndex);
        // ADA 2024: metformin; two agents when >= 1.5% above the 7% goal; one step more at any visit above goal; insulin at >= 10%.
        if (visitIndex === 0) step = a1c >= 8.5 ? 2 : 1;
        else if (a1c >= 10 && step < 3) step = 3;
        else if (a1c >= 7) step = Math.min(3, step + 1);
        expect(visit.steps["type-2-diabetes"]).toBe(step);
        const medicines = visit.medications;
        expect(medicines.includes("metformin")).toBe(egfrAt(visitIndex) >= 30);
        expect(medicines.includes("insulin-glargine")).toBe(step >= 3);
        const secondAgents = ["empagliflozin", "semaglutide", "glimepiride", "sitagliptin"].filter((id) =>
          medicines.includes(id),
        );
        if (step >= 2) expect(secondAgents.length).toBeGreaterThanOrEqual(1);
        else expect(secondAgents.filter((id) => visit.reasons[id] === "type-2-diabetes")).toEqual([]);
        checked++;
      });
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it("gives higher HbA1c to patients on more treatment steps (treatment follows the values)", () => {
    const hba1c = column(rows, "4548-4");
    const first = rows.map((row) => Number(/type-2-diabetes:(\d)/.exec(row.treatment_steps!)?.[1] ?? 0));
    const mean = (step: number) => {
      const values = hba1c.filter((_, index) => first[index] === step);
      return values.reduce((sum, value) => sum + value, 0) / values.length;
    };
    expect(mean(3)).toBeGreaterThan(mean(1));
  });
});

describe("the rural Tamil Nadu hypertension request", () => {
  it("gives Indian names, Tamil Nadu districts outside Chennai, ages 40-70 and a cited blood-pressure distribution", async () => {
    const catalog = await loadEhrCatalog();
    const { spec } = parseRequest("Generate 500 hypertensive patients from rural Tamil Nadu aged 40-70", catalog);
    const plan = planCohort(spec, catalog);
    const out = join(await temporaryFolder(), "tn.csv");
    await writeCohort(plan, { format: "csv", out, seed: 3 });
    const rows = await readCsv(out);
    const india = parseYaml(await readFile(join(dataDirectory, "ehr/populations/india.yaml"), "utf8")) as {
      regions: { name: string; districts: string[] }[];
      nameGroups: Record<string, { male: string[]; female: string[]; surnames: string[] }>;
    };
    const tamil = india.nameGroups.tamil!;
    const districts = india.regions.find((region) => region.name === "Tamil Nadu")!.districts;
    expect(rows).toHaveLength(500);
    for (const row of rows) {
      expect(row.country).toBe("IN");
      expect(row.state).toBe("Tamil Nadu");
      expect(districts).toContain(row.district);
      expect(row.district).not.toBe("Chennai");
      expect(row.setting).toBe("rural");
      expect([...tamil.male, ...tamil.female]).toContain(row.first_name);
      expect(tamil.surnames).toContain(row.last_name);
      expect(Number(row.age)).toBeGreaterThanOrEqual(40);
      expect(Number(row.age)).toBeLessThanOrEqual(70);
      expect(row.conditions!.split(";")[0]).toBe("hypertension");
    }
    expect(new Set(rows.map((row) => row.district)).size).toBeGreaterThan(20);
    // Every patient met the IHCI threshold (>= 140/90) at diagnosis.
    for (let index = 0; index < 100; index++) {
      const first = generatePatient(plan, 3, index).visits[0]!;
      const sbp = first.values[plan.positions.get("sbp")!]!;
      const dbp = first.values[plan.positions.get("dbp")!]!;
      expect(sbp >= 140 || dbp >= 90).toBe(true);
    }
    const answer = answerQuestion("where does the blood pressure distribution come from?", catalog, spec);
    expect(answer.citations.map((citation) => citation.id)).toContain("nfhs-5");
    expect(answer.answer).toMatch(/Hypertension, India/);
  }, 120_000);
});
