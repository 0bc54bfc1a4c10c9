import { z } from "zod";

/** The largest cohort one request may ask for; beyond it, split the work with `--shard`. */
export const MAX_PATIENTS = 10_000_000;

export const OUTPUT_FORMATS = ["csv", "synthea", "fhir", "fhir-ndjson", "cases"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/**
 * A cohort specification: what a plain-language request means, and what the generator runs on.
 * The rule-based parser and a model (`--engine`) fill the same schema; `toJSONSchema` of it is the
 * schema a model is constrained to.
 */
export const CohortSpecSchema = z.strictObject({
  count: z
    .number()
    .int()
    .min(1, "a cohort needs at least one patient")
    .max(MAX_PATIENTS, `at most ${MAX_PATIENTS.toLocaleString("en-US")} patients per request`)
    .describe("number of patients"),
  conditions: z
    .array(z.string())
    .min(1)
    .describe("condition ids every patient has (see `medsim ehr conditions`); ['healthy'] for a healthy baseline"),
  comorbidities: z.boolean().default(true).describe("add other conditions at their cited co-occurrence rates"),
  observations: z
    .union([
      z.array(z.string()).min(1).describe("observation ids to write, in order"),
      z.object({ top: z.number().int().min(1) }).describe("the N most important observations of the conditions"),
    ])
    .optional()
    .describe("default: all observations listed for the conditions"),
  population: z
    .strictObject({
      country: z.enum(["us", "india"]).describe("us: US census-like; india: Indian states and districts"),
      state: z.string().optional().describe("a US state or an Indian state"),
      district: z.string().optional().describe("a county (US) or district (India) within the state"),
      setting: z.enum(["any", "urban", "rural"]).default("any"),
    })
    .describe("where the patients live"),
  age: z
    .strictObject({ min: z.number().int().min(0).max(120), max: z.number().int().min(0).max(120) })
    .optional()
    .describe("inclusive age range in years; default: the conditions' own range, adults only"),
  sex: z.enum(["any", "female", "male"]).default("any"),
  visits: z
    .strictObject({
      count: z.number().int().min(1).max(60).default(4).describe("visits per patient (chronic conditions)"),
      years: z.number().min(0).max(30).default(2).describe("years the visits span"),
    })
    .default({ count: 4, years: 2 }),
  endDate: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "expected YYYY-MM-DD")
    .default("2025-12-31")
    .describe("date of the last visit window; fixed by default so the same seed gives the same bytes"),
  format: z.enum(OUTPUT_FORMATS).optional().describe("output format named in the request"),
});
export type CohortSpec = z.output<typeof CohortSpecSchema>;
export type CohortSpecInput = z.input<typeof CohortSpecSchema>;
