import { createRoute, z } from "@hono/zod-openapi";
import { PatientCaseSchema, PersonaSchema, publicCaseId, studentCaseTitle } from "../../domain/index.js";
import { MedsimError } from "../../util/errors.js";
import type { RouteModule } from "../app.js";
import type { CatalogEntry } from "../catalog.js";
import { ErrorSchema } from "../schemas.js";
import type { CatalogKind } from "../store/index.js";

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});
const errors = {
  400: json(ErrorSchema, "invalid item; `param` names the field"),
  401: json(ErrorSchema, "missing or wrong API key"),
  403: json(ErrorSchema, "another key's item"),
  404: json(ErrorSchema, "unknown id"),
  409: json(ErrorSchema, "a built-in (read-only) id, or another key's id"),
};
const security = [{ bearer: [] }];
const IdParams = z.object({
  id: z
    .string()
    .min(1)
    .max(128)
    .openapi({ param: { name: "id", in: "path" } }),
});
const Meta = { source: z.enum(["built-in", "user"]), owner: z.string().optional(), shared: z.boolean().optional() };

/**
 * `GET/POST/PUT/DELETE /v1/personas` and `/v1/cases`. Bodies are validated with the library's own
 * schemas; built-ins are read-only; a case naming its diagnosis where the patient speaks is refused.
 * A student key reads the built-ins, its own items and items shared by an admin key.
 *
 * Cases are returned whole (diagnosis and internal id included) only to their owner or an admin: a
 * student listing cases sees summaries under public ids, since the diagnosis is what they are
 * practising to find.
 */
export const catalogRoutes: RouteModule = (app, services) => {
  const register = (kind: CatalogKind, plural: string, schema: z.ZodType) => {
    const name = kind === "case" ? "Case" : "Persona";
    const ItemSchema = z.object({ item: z.record(z.string(), z.unknown()), ...Meta }).openapi(`${name}Entry`);
    const view = (entry: CatalogEntry<CatalogKind>, principal: { name: string; role: string }) => {
      const mayReadAll = kind === "persona" || principal.role === "admin" || entry.owner === principal.name;
      const item = mayReadAll ? entry.item : caseSummary(entry.item as z.output<typeof PatientCaseSchema>);
      return {
        item: item as Record<string, unknown>,
        source: entry.source,
        ...(entry.owner === undefined ? {} : { owner: entry.owner, shared: entry.shared ?? false }),
      };
    };

    app.openapi(
      createRoute({
        method: "get",
        path: `/v1/${plural}`,
        summary: `List ${plural}: built-in and user`,
        security,
        responses: { 200: json(z.object({ data: z.array(ItemSchema) }), `the ${plural}`), ...errors },
      }),
      async (c) => {
        const principal = c.get("principal");
        const entries = await services.catalog.list(kind, principal);
        return c.json({ data: entries.map((entry) => view(entry, principal)) }, 200);
      },
    );

    app.openapi(
      createRoute({
        method: "get",
        path: `/v1/${plural}/{id}`,
        summary: `One ${kind}`,
        security,
        request: { params: IdParams },
        responses: { 200: json(ItemSchema, `the ${kind}`), ...errors },
      }),
      async (c) => {
        const principal = c.get("principal");
        const entry = await services.catalog.get(kind, c.req.valid("param").id, principal, "id");
        return c.json(view(entry, principal), 200);
      },
    );

    app.openapi(
      createRoute({
        method: "post",
        path: `/v1/${plural}`,
        summary: `Add a user ${kind} (validated with the library's ${name} schema)`,
        security,
        request: { body: { content: { "application/json": { schema } }, required: true } },
        responses: { 201: json(ItemSchema, `the stored ${kind}`), ...errors },
      }),
      async (c) => {
        const principal = c.get("principal");
        const body = await c.req.json();
        const existing = await services.store.getCatalogItem(kind, String((body as { id?: unknown })?.id ?? ""));
        if (existing) {
          throw new MedsimError(
            "conflict",
            `${kind} "${existing.id}" exists; PUT /v1/${plural}/${existing.id} replaces it`,
          );
        }
        const { item } = await services.catalog.put(kind, body, principal);
        return c.json(
          view({ item, source: "user", owner: principal.name, shared: principal.role === "admin" }, principal),
          201,
        );
      },
    );

    app.openapi(
      createRoute({
        method: "put",
        path: `/v1/${plural}/{id}`,
        summary: `Create or replace a user ${kind}`,
        security,
        request: { params: IdParams, body: { content: { "application/json": { schema } }, required: true } },
        responses: { 200: json(ItemSchema, `the stored ${kind}`), ...errors },
      }),
      async (c) => {
        const principal = c.get("principal");
        const { item } = await services.catalog.put(kind, await c.req.json(), principal, c.req.valid("param").id);
        const entry = await services.catalog.get(kind, item.id, principal);
        return c.json(view(entry, principal), 200);
      },
    );

    app.openapi(
      createRoute({
        method: "delete",
        path: `/v1/${plural}/{id}`,
        summary: `Delete a user ${kind} (sessions that use it keep their copy)`,
        security,
        request: { params: IdParams },
        responses: { 200: json(z.object({ id: z.string(), deleted: z.literal(true) }), "deleted"), ...errors },
      }),
      async (c) => {
        const { id } = c.req.valid("param");
        await services.catalog.delete(kind, id, c.get("principal"));
        return c.json({ id, deleted: true as const }, 200);
      },
    );
  };
  register("persona", "personas", PersonaSchema);
  register("case", "cases", PatientCaseSchema);
};

/**
 * What a student sees of a case they do not own: enough to pick it, not its answers. Its id is the
 * public one and its title one that does not name the diagnosis.
 */
function caseSummary(patientCase: z.output<typeof PatientCaseSchema>) {
  return {
    id: publicCaseId(patientCase.id),
    title: studentCaseTitle(patientCase),
    chiefComplaint: patientCase.chiefComplaint,
    demographics: patientCase.demographics,
  };
}
