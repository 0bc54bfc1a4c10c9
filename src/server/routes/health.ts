import { createRoute, z } from "@hono/zod-openapi";
import type { RouteModule } from "../app.js";
import { ErrorSchema } from "../schemas.js";

const health = createRoute({
  method: "get",
  path: "/health",
  summary: "Liveness: the process answers (no key needed)",
  responses: {
    200: { description: "alive", content: { "application/json": { schema: z.object({ status: z.literal("ok") }) } } },
  },
});

const ReadySchema = z.object({
  status: z.enum(["ready", "not_ready"]),
  engine: z.string(),
  database: z.object({ kind: z.string(), reachable: z.boolean() }),
});

const ready = createRoute({
  method: "get",
  path: "/ready",
  summary: "Readiness: the engine is loaded and the database answers",
  responses: {
    200: { description: "ready", content: { "application/json": { schema: ReadySchema } } },
    503: { description: "not ready", content: { "application/json": { schema: ReadySchema } } },
    401: { description: "missing or wrong key", content: { "application/json": { schema: ErrorSchema } } },
  },
});

/** `/health` and `/ready`. */
export const healthRoutes: RouteModule = (app, services) => {
  app.openapi(health, (c) => c.json({ status: "ok" as const }, 200));
  app.openapi(ready, async (c) => {
    const reachable = await services.store.ping().then(
      () => true,
      () => false,
    );
    const body = {
      status: reachable && !services.draining.value ? ("ready" as const) : ("not_ready" as const),
      engine: `${services.engine.name}:${services.engine.modelName}`,
      database: { kind: services.store.kind, reachable },
    };
    return body.status === "ready" ? c.json(body, 200) : c.json(body, 503);
  });
};
