import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { createRoute, z } from "@hono/zod-openapi";
import { stringify } from "yaml";
import type { PatientCase, Persona } from "../../domain/index.js";
import { buildClassReport, classReportCsv, type ClassSession, type EncounterFeedback } from "../../feedback/index.js";
import { dataDirectory, validateAuthoredText } from "../../library/index.js";
import { MedsimError, ValidationError } from "../../util/errors.js";
import type { RouteModule, ServerServices } from "../app.js";
import type { Principal } from "../auth.js";
import { ErrorSchema } from "../schemas.js";
import { practiceCase } from "./practice.js";

const security = [{ bearer: [] }];
const jsonContent = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});
const errors = {
  400: jsonContent(ErrorSchema, "invalid input; `param` names the field"),
  401: jsonContent(ErrorSchema, "missing or wrong API key"),
  403: jsonContent(ErrorSchema, "the key is not an admin key"),
};
const Kind = z.enum(["case", "persona"]);
const KindParams = z.object({
  kinds: z.enum(["cases", "personas"]).openapi({ param: { name: "kinds", in: "path" } }),
});
const ItemParams = KindParams.extend({
  id: z
    .string()
    .min(1)
    .max(128)
    .openapi({ param: { name: "id", in: "path" } }),
});
const IssueSchema = z.object({ field: z.string(), message: z.string(), line: z.number().int().optional() });
const ValidationResultSchema = z
  .object({
    valid: z.boolean(),
    issues: z.array(IssueSchema),
    preview: z.object({ case: z.unknown().optional(), persona: z.unknown().optional() }).optional(),
    id: z.string().optional(),
    created: z.boolean().optional(),
  })
  .openapi("AuthoringResult");
const AuthoredTextSchema = z.object({
  yaml: z.string().min(1, "must not be empty").max(200_000, "must be at most 200,000 characters"),
});

function requireAdmin(principal: Principal): void {
  if (principal.role !== "admin")
    throw new MedsimError("forbidden", "the educator pages need an API key with the admin role");
}

function preview(kind: "case" | "persona", item: PatientCase | Persona) {
  if (kind === "case") return { case: practiceCase(item as PatientCase, "user") };
  const persona = item as Persona;
  return {
    persona: { id: persona.id, name: persona.name, description: persona.description, examples: persona.examples },
  };
}

function check(kind: "case" | "persona", yaml: string) {
  return kind === "case" ? validateAuthoredText("case", yaml) : validateAuthoredText("persona", yaml);
}

const listItems = createRoute({
  method: "get",
  path: "/v1/educator/catalog/{kinds}",
  summary: "Cases or personas with their YAML, for the educator's editor (admin keys)",
  security,
  request: { params: KindParams },
  responses: {
    200: jsonContent(
      z.object({
        items: z.array(
          z.object({ id: z.string(), label: z.string(), source: z.enum(["built-in", "user"]), yaml: z.string() }),
        ),
      }),
      "the items",
    ),
    ...errors,
  },
});
const validateItem = createRoute({
  method: "post",
  path: "/v1/educator/validate",
  summary: "Validate a case or persona written as YAML: every problem with its field and line, and a preview",
  security,
  request: {
    body: {
      content: { "application/json": { schema: AuthoredTextSchema.extend({ kind: Kind }) } },
      required: true,
    },
  },
  responses: { 200: jsonContent(ValidationResultSchema, "valid, or the issues"), ...errors },
});
const putItem = createRoute({
  method: "put",
  path: "/v1/educator/catalog/{kinds}/{id}",
  summary: "Create or replace a user case or persona from YAML (shared with every key)",
  security,
  request: {
    params: ItemParams,
    body: { content: { "application/json": { schema: AuthoredTextSchema } }, required: true },
  },
  responses: { 200: jsonContent(ValidationResultSchema, "saved"), ...errors },
});
const classRoute = createRoute({
  method: "get",
  path: "/v1/educator/class",
  summary: "Sessions by case and the items most often missed (admin keys)",
  security,
  responses: { 200: jsonContent(z.unknown().openapi("ClassReport"), "the class report"), ...errors },
});
const classCsvRoute = createRoute({
  method: "get",
  path: "/v1/educator/class.csv",
  summary: "The class as CSV: one row per session, one column per feedback item",
  security,
  responses: {
    200: { description: "text/csv", content: { "text/csv": { schema: z.string() } } },
    ...errors,
  },
});

/** Every session (all keys), with its feedback, newest first; at most 5,000. */
async function classSessions(services: ServerServices): Promise<ClassSession[]> {
  const sessions: ClassSession[] = [];
  let cursor: string | undefined;
  do {
    const page = await services.store.listSessions(undefined, { limit: 100, ...(cursor ? { cursor } : {}) });
    for (const row of page.sessions) {
      const patientCase = row.patientCase as PatientCase;
      sessions.push({
        id: row.id,
        owner: row.owner,
        caseId: row.caseId,
        title: patientCase.title,
        persona: (row.persona as Persona).name,
        status: row.status,
        createdAt: row.createdAt.toISOString(),
        ...(row.feedback ? { feedback: row.feedback as EncounterFeedback } : {}),
      });
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor && sessions.length < 5000);
  return sessions;
}

/** The educator's API: authoring cases and personas, and the class view. Admin keys only. */
export const educatorRoutes: RouteModule = (app, services) => {
  app.openapi(listItems, async (c) => {
    const principal = c.get("principal");
    requireAdmin(principal);
    const kind = c.req.valid("param").kinds === "cases" ? "case" : "persona";
    const entries = await services.catalog.list(kind, principal);
    const items = await Promise.all(
      entries.map(async (entry) => {
        const item = entry.item as PatientCase | Persona;
        // Built-ins keep their file's layout and comments; user items are written out from the store.
        const yaml =
          entry.source === "built-in"
            ? await readFile(join(dataDirectory, `${kind}s`, `${item.id}.yaml`), "utf8").catch(() => stringify(item))
            : stringify(item);
        const label =
          kind === "case" ? `${(item as PatientCase).title} (${item.id})` : `${(item as Persona).name} (${item.id})`;
        return { id: item.id, label, source: entry.source, yaml };
      }),
    );
    return c.json({ items }, 200);
  });

  app.openapi(validateItem, async (c) => {
    requireAdmin(c.get("principal"));
    const { kind, yaml } = c.req.valid("json");
    const result = check(kind, yaml);
    return c.json(
      result.valid
        ? { valid: true, issues: [], preview: preview(kind, result.item) }
        : { valid: false, issues: result.issues },
      200,
    );
  });

  app.openapi(putItem, async (c) => {
    const principal = c.get("principal");
    requireAdmin(principal);
    const { kinds, id } = c.req.valid("param");
    const kind = kinds === "cases" ? "case" : "persona";
    const result = check(kind, c.req.valid("json").yaml);
    if (!result.valid) throw new ValidationError("request body", result.issues);
    const saved = await services.catalog.put(kind, result.item, principal, id);
    return c.json({ valid: true, issues: [], id, created: saved.created, preview: preview(kind, result.item) }, 200);
  });

  app.openapi(classRoute, async (c) => {
    requireAdmin(c.get("principal"));
    return c.json(buildClassReport(await classSessions(services)), 200);
  });

  app.openapi(classCsvRoute, async (c) => {
    requireAdmin(c.get("principal"));
    return c.body(classReportCsv(await classSessions(services)), 200, {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": 'attachment; filename="medsim-class.csv"',
    }) as never;
  });
};
