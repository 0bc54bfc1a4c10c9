import { beforeAll, describe, expect, it } from "vitest";
import { loadEhrCatalog, type EhrCatalog } from "./catalog.js";
import { EhrRequestError } from "./errors.js";
import { normalizeNumbers } from "./numbers.js";
import { parseRequest } from "./parse.js";
import { answerQuestion } from "./ask.js";

let catalog: EhrCatalog;
beforeAll(async () => {
  catalog = await loadEhrCatalog();
});

function failure(request: string, previous?: Parameters<typeof parseRequest>[2]): EhrRequestError {
  try {
    parseRequest(request, catalog, previous);
  } catch (error) {
    if (error instanceof EhrRequestError) return error;
    throw error;
  }
  throw new Error(`"${request}" was accepted`);
}

describe("parseRequest", () => {
  it("reads the quoted US request: count, condition, 20 most important observations, population", () => {
    const { spec, notes } = parseRequest(
      "generate 2000 Type 2 diabetes patients EHR data with 20 important diabetes observations based on the US population",
      catalog,
    );
    expect(spec.count).toBe(2000);
    expect(spec.conditions).toEqual(["type-2-diabetes"]);
    expect(spec.population).toEqual({ country: "us", setting: "any" });
    expect(spec.observations).toHaveLength(20);
    expect((spec.observations as string[]).slice(0, 2)).toEqual(["hba1c", "fasting-glucose"]);
    expect(notes.join(" ")).not.toMatch(/no population named/);
  });

  it("reads the rural Tamil Nadu request", () => {
    const { spec } = parseRequest("Generate 500 hypertensive patients from rural Tamil Nadu aged 40-70", catalog);
    expect(spec).toMatchObject({
      count: 500,
      conditions: ["hypertension"],
      population: { country: "india", state: "Tamil Nadu", setting: "rural" },
      age: { min: 40, max: 70 },
    });
  });

  it("reads other phrasings: number words, districts, sex, age words, formats, visits", () => {
    expect(parseRequest("ten newly diagnosed diabetics from rural Bihar", catalog).spec).toMatchObject({
      count: 10,
      conditions: ["type-2-diabetes"],
      population: { country: "india", state: "Bihar", setting: "rural" },
      visits: { count: 1 },
    });
    expect(
      parseRequest("I need 1,500 women with anaemia aged 15 to 49 from Patna district as FHIR", catalog).spec,
    ).toMatchObject({
      count: 1500,
      conditions: ["anaemia"],
      sex: "female",
      age: { min: 15, max: 49 },
      population: { country: "india", state: "Bihar", district: "Patna" },
      format: "fhir",
    });
    expect(
      parseRequest("simulate 2k COPD patients over 60 in Kerala with 6 visits over 3 years", catalog).spec,
    ).toMatchObject({
      count: 2000,
      conditions: ["copd"],
      age: { min: 61, max: 90 },
      visits: { count: 6, years: 3 },
    });
    expect(parseRequest("200 people with CKD and type 2 diabetes from Texas", catalog).spec).toMatchObject({
      conditions: ["chronic-kidney-disease", "type-2-diabetes"],
      population: { country: "us", state: "Texas" },
    });
    expect(
      parseRequest(
        "Generate 500 patients having hypertension from rural areas of Tamil Nadu between 40 and 70 years",
        catalog,
      ).spec,
    ).toMatchObject({ count: 500, population: { state: "Tamil Nadu", setting: "rural" }, age: { min: 40, max: 70 } });
    expect(parseRequest("generate 1 lakh diabetic patients from Gujarat", catalog).spec.count).toBe(100_000);
    expect(parseRequest("generate 100 diabetics with HbA1c, eGFR and BMI", catalog).spec.observations).toEqual([
      "hba1c",
      "egfr",
      "bmi",
    ]);
    expect(normalizeNumbers("two thousand five hundred people, a dozen men, 1.5 million, 10^9")).toBe(
      "2500 people, 12 men, 1500000, 1000000000",
    );
  });

  it("asks instead of guessing when the request is ambiguous", () => {
    const count = failure("generate some diabetic patients");
    expect(count.kind).toBe("question");
    expect(count.message).toMatch(/How many patients/);
    const condition = failure("generate 100 patients from India");
    expect(condition.kind).toBe("question");
    expect(condition.options).toContain("type-2-diabetes");
    expect(failure("generate 100 patients with diabetes or hypertension").message).toMatch(
      /every patient have Type 2 diabetes and Hypertension/,
    );
    expect(failure("generate 100 asthma patients from Kerala and Texas").message).toMatch(/US or India/);
    expect(failure("generate 100 asthma patients in rural and urban areas").kind).toBe("question");
    expect(failure("generate 100 or 200 asthma patients").message).toMatch(/Which number/);
  });

  it("refuses impossible requests with the reason and the alternatives", () => {
    expect(failure("generate 0 asthma patients")).toMatchObject({
      kind: "impossible",
      message: expect.stringMatching(/0 patients is empty/),
    });
    expect(failure("generate 10^9 type 2 diabetes patients").message).toMatch(/1,000,000,000 patients is more than/);
    expect(failure("generate a billion diabetics").message).toMatch(/more than one request/);
    const lupus = failure("generate 100 lupus patients from India");
    expect(lupus.message).toMatch(/cannot generate "lupus"/);
    expect(lupus.options).toEqual(catalog.conditions.map((condition) => condition.id));
    expect(failure("500 patients with sickle cell disease in Odisha").message).toMatch(/sickle cell/);
    expect(failure("generate 50 type 1 diabetes patients").message).toMatch(/"type 1 diabetes"/);
    const observations = failure("generate 50 dengue patients with 20 observations");
    expect(observations.message).toMatch(/Dengue fever has 12 observations, not 20: Platelets, Haematocrit/);
    expect(observations.options).toHaveLength(12);
    expect(failure("generate 30 COPD patients aged 10-20").message).toMatch(/COPD generator covers ages 40-90/);
    expect(failure("generate 30 asthma patients aged 70-40").message).toMatch(/empty/);
    expect(failure("generate -5 asthma patients").message).toMatch(/negative number of patients/);
    expect(failure("make 300 CKD stage 3 patients").message).toMatch(/cannot generate only "ckd stage 3" patients/);
  });

  it("refines the previous specification with follow-ups", () => {
    const first = parseRequest("generate 100 type 2 diabetes patients from India with HbA1c and BMI", catalog).spec;
    const second = parseRequest("make it 500 and add eGFR", catalog, first);
    expect(second.followUp).toBe(true);
    expect(second.spec).toMatchObject({
      count: 500,
      conditions: ["type-2-diabetes"],
      observations: ["hba1c", "bmi", "egfr"],
    });
    expect(second.spec.population.country).toBe("india");
    const third = parseRequest("only women over 60", catalog, second.spec).spec;
    expect(third).toMatchObject({
      count: 500,
      sex: "female",
      age: { min: 61, max: 90 },
      observations: ["hba1c", "bmi", "egfr"],
    });
    const fourth = parseRequest("remove BMI and add hypertension", catalog, third).spec;
    expect(fourth.observations).toEqual(["hba1c", "egfr"]);
    expect(fourth.conditions).toEqual(["type-2-diabetes", "hypertension"]);
    expect(parseRequest("change to rural Kerala", catalog, fourth).spec.population).toMatchObject({
      state: "Kerala",
      setting: "rural",
    });
    expect(failure("make it 0", fourth).message).toMatch(/empty/);
    expect(failure("add lupus", fourth).message).toMatch(/"lupus"/);
    // A new full request replaces the session's specification.
    const fresh = parseRequest("generate 30 asthma patients from Texas", catalog, fourth);
    expect(fresh.followUp).toBe(false);
    expect(fresh.spec).toMatchObject({ count: 30, conditions: ["asthma"], sex: "any" });
  });
});

describe("answerQuestion", () => {
  it("answers provenance questions from the stored citations", () => {
    const spec = parseRequest("generate 100 type 2 diabetes patients from the US", catalog).spec;
    const hba1c = answerQuestion("Where does the HbA1c distribution come from?", catalog, spec);
    expect(hba1c.citations.map((c) => c.id)).toEqual(expect.arrayContaining(["nhanes-2017-2020", "cdc-ndsr-2023"]));
    expect(hba1c.answer).toMatch(/LOINC 4548-4/);
    const guideline = answerQuestion("What guideline decides the medication?", catalog, spec);
    expect(guideline.citations.map((c) => c.id)).toContain("ada-soc-2024");
    expect(guideline.answer).toMatch(/Metformin first/);
    const india = answerQuestion("which guideline decides the blood pressure medicines in India?", catalog);
    expect(india.citations.map((c) => c.id)).toContain("ihci-2022");
    expect(
      answerQuestion("where do the names and districts come from for India?", catalog).citations.map((c) => c.id),
    ).toEqual(expect.arrayContaining(["india-names", "india-districts"]));
    expect(answerQuestion("is it sunny?", catalog).citations).toEqual([]);
  });
});
