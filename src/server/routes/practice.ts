import { createRoute, z } from "@hono/zod-openapi";
import { publicCaseId, studentCaseTitle, type PatientCase } from "../../domain/index.js";
import { SESSION_LANGUAGES } from "../../speech/index.js";
import type { RouteModule } from "../app.js";
import { ErrorSchema } from "../schemas.js";

/**
 * A case as the student's picker shows it: under its public id, with a title that does not name the
 * diagnosis, and the body systems it records findings for. Not the names of its tests: "malaria rapid
 * test" or "scrub typhus IgM ELISA" would give the answer away; the student names the tests to order.
 */
export const PracticeCaseSchema = z
  .object({
    id: z.string().openapi({ description: "the public case id (`case-` and 10 hex digits): never the diagnosis" }),
    title: z.string(),
    setting: z.string().optional(),
    chiefComplaint: z.string(),
    patient: z.object({ name: z.string(), age: z.number(), sex: z.string(), language: z.string() }),
    examination: z.array(z.string()).openapi({ description: "body systems the case records findings for" }),
    source: z.enum(["built-in", "user"]),
  })
  .openapi("PracticeCase");

const PracticeCatalogSchema = z
  .object({
    cases: z.array(PracticeCaseSchema),
    personas: z.array(z.object({ id: z.string(), name: z.string(), description: z.string() })),
    languages: z.array(z.string()),
  })
  .openapi("PracticeCatalog");

/** The picker's view of a case. */
export function practiceCase(
  patientCase: PatientCase,
  source: "built-in" | "user",
): z.output<typeof PracticeCaseSchema> {
  const { demographics } = patientCase;
  return {
    id: publicCaseId(patientCase.id),
    title: studentCaseTitle(patientCase),
    ...(patientCase.setting ? { setting: patientCase.setting } : {}),
    chiefComplaint: patientCase.chiefComplaint,
    patient: { name: demographics.name, age: demographics.age, sex: demographics.sex, language: demographics.language },
    examination: Object.keys(patientCase.examination),
    source,
  };
}

const catalogRoute = createRoute({
  method: "get",
  path: "/v1/practice/catalog",
  summary: "Cases (public ids, no diagnoses), personas and languages for the practice room's picker",
  security: [{ bearer: [] }],
  responses: {
    200: { description: "the picker's catalog", content: { "application/json": { schema: PracticeCatalogSchema } } },
    401: { description: "missing or wrong API key", content: { "application/json": { schema: ErrorSchema } } },
  },
});

/** `GET /v1/practice/catalog`: what a student may pick from, built-in and shared user items alike. */
export const practiceRoutes: RouteModule = (app, services) => {
  app.openapi(catalogRoute, async (c) => {
    const principal = c.get("principal");
    const [cases, personas] = await Promise.all([
      services.catalog.list("case", principal),
      services.catalog.list("persona", principal),
    ]);
    return c.json(
      {
        cases: cases.map((entry) => practiceCase(entry.item, entry.source)),
        personas: personas.map(({ item }) => ({ id: item.id, name: item.name, description: item.description })),
        languages: [...SESSION_LANGUAGES],
      },
      200,
    );
  });
};
