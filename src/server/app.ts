import { OpenAPIHono } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import type { Context } from "hono";
import type { PatientEngine } from "../engines/index.js";
import { MedsimError, ValidationError } from "../util/errors.js";
import { silentLogger, type Logger } from "../util/logger.js";
import { ANONYMOUS, bearerToken, type KeyRing, type Principal } from "./auth.js";
import type { ServerCatalog } from "./catalog.js";
import { RetryableError, toErrorResponse } from "./errors.js";
import { RateLimiter, type ActivityTracker, type ReplyPool } from "./limits.js";
import type { SessionService } from "./sessions.js";
import type { SessionStore } from "./store/index.js";

/** What every route module may use. */
export interface ServerServices {
  store: SessionStore;
  catalog: ServerCatalog;
  sessions: SessionService;
  engine: PatientEngine;
  pool: ReplyPool;
  logger: Logger;
  /** True while shutting down: new requests get a 503. */
  draining: { value: boolean };
  /** Requests and streamed replies in progress; a shutdown waits for them. */
  activity: ActivityTracker;
}

export interface AppOptions {
  /** Configured API keys; undefined or empty: no auth (the server then binds to loopback). */
  keys?: KeyRing;
  /** Requests a minute per key (or per client address without keys); 0 turns it off. Default 600. */
  rateLimitPerMinute?: number;
  /** Largest request body in bytes. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Origins allowed by CORS ("*" for any); none by default. */
  corsOrigins?: string[];
  /** Paths served without a key. Default `/health`. */
  publicPaths?: string[];
}

export type ServerEnv = { Variables: { principal: Principal } };
export type ServerApp = OpenAPIHono<ServerEnv>;

/** A route module: adds its routes to the app (one file per area under `routes/`). */
export type RouteModule = (app: ServerApp, services: ServerServices) => void;

/**
 * Builds the HTTP application: middleware (CORS, body limit, auth, rate limit), the route modules
 * and the one error handler. No socket is opened here, so tests call `app.request` in-process.
 */
export function createApp(
  services: ServerServices,
  routes: readonly RouteModule[],
  options: AppOptions = {},
): ServerApp {
  const logger = services.logger ?? silentLogger;
  const app = new OpenAPIHono<ServerEnv>({
    // Validation failures become the one error shape, naming the field.
    defaultHook: (result) => {
      if (!result.success) {
        const source = result.target === "json" ? "request body" : `request ${result.target}`;
        throw new ValidationError(
          source,
          result.error.issues.map((issue) => ({ field: issue.path.map(String).join("."), message: issue.message })),
        );
      }
    },
  });

  app.onError((error, c) => {
    const response = toErrorResponse(error, logger);
    return c.json(response.body, response.status as 400, response.headers);
  });
  app.notFound((c) =>
    c.json(
      {
        error: {
          message: `no route for ${c.req.method} ${c.req.path}`,
          type: "not_found_error",
          code: "not_found",
          param: null,
        },
      },
      404,
    ),
  );

  if (options.corsOrigins?.length) {
    const origins = options.corsOrigins;
    app.use(
      "*",
      cors({
        origin: origins.includes("*") ? "*" : origins,
        allowHeaders: ["Authorization", "Content-Type"],
        allowMethods: ["GET", "POST", "PUT", "DELETE", "OPTIONS"],
        exposeHeaders: ["Retry-After"],
        maxAge: 600,
      }),
    );
  }

  app.use("*", async (c, next) => {
    if (services.draining.value && c.req.path !== "/health")
      throw new RetryableError("unavailable", "the server is shutting down; retry shortly", 1);
    await services.activity.run(() => next());
  });

  const maxBody = options.maxBodyBytes ?? 1024 * 1024;
  app.use(
    "*",
    bodyLimit({
      maxSize: maxBody,
      onError: () => {
        throw new MedsimError("payload_too_large", `request body is larger than ${maxBody} bytes`);
      },
    }),
  );

  const publicPaths = new Set(options.publicPaths ?? ["/health"]);
  const keys = options.keys && options.keys.size > 0 ? options.keys : undefined;
  const limiter = new RateLimiter(options.rateLimitPerMinute ?? 600);
  app.use("*", async (c, next) => {
    if (c.req.method === "OPTIONS" || publicPaths.has(c.req.path)) return next();
    const principal = keys ? authenticate(c, keys) : ANONYMOUS;
    c.set("principal", principal);
    limiter.take(keys ? `key:${principal.name}` : `addr:${clientAddress(c)}`);
    await next();
  });

  for (const register of routes) register(app, services);

  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "medsim",
      version: "0.1.0",
      description: "Simulated patients over HTTP: OpenAI-compatible chat, patient sessions, personas and cases.",
    },
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer" });
  return app;
}

function authenticate(c: Context, keys: KeyRing): Principal {
  const header = c.req.header("Authorization");
  // Browsers cannot set headers on a WebSocket, so the socket route also takes the key as a query parameter.
  const token = bearerToken(header) ?? (c.req.path.endsWith("/ws") ? c.req.query("access_token") : undefined);
  if (!token)
    throw new MedsimError(
      "unauthorized",
      header ? "Authorization header must be 'Bearer <key>'" : "missing API key: send 'Authorization: Bearer <key>'",
    );
  const principal = keys.identify(token);
  if (!principal) throw new MedsimError("unauthorized", "invalid API key");
  return principal;
}

function clientAddress(c: Context): string {
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? "local";
}
