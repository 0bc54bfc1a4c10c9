import type { AddressInfo } from "node:net";
import { serve, type ServerType } from "@hono/node-server";
import { createNodeWebSocket } from "@hono/node-ws";
import { createEngine, type PatientEngine } from "../engines/index.js";
import { cases, personas } from "../library/index.js";
import { PatientSimulator } from "../simulator/index.js";
import { silentLogger, type Logger } from "../util/logger.js";
import { createApp, type AppOptions, type RouteModule, type ServerApp, type ServerServices } from "./app.js";
import { KeyRing, type ApiKeyEntry } from "./auth.js";
import { ServerCatalog } from "./catalog.js";
import { ActivityTracker, ReplyPool } from "./limits.js";
import { catalogRoutes } from "./routes/catalog.js";
import { chatRoutes } from "./routes/chat.js";
import { healthRoutes } from "./routes/health.js";
import { PRACTICE_ROOM_ROUTES, PUBLIC_WEB_PATHS } from "./routes/room.js";
import { sessionRoutes } from "./routes/sessions.js";
import { websocketRoutes, type SocketRegistry } from "./routes/websocket.js";
import { SessionService } from "./sessions.js";
import { openStore, type SessionStore } from "./store/index.js";

/** The route modules every server has, in mount order; `extraRoutes` come after them. */
export const CORE_ROUTES: readonly RouteModule[] = [healthRoutes, chatRoutes, sessionRoutes, catalogRoutes];

export interface ServerOptions extends Omit<AppOptions, "keys"> {
  /** The engine answering as the patient; the server disposes it at shutdown. */
  engine: PatientEngine;
  /** A directory for the embedded store, or a `postgres://` URL. Default `$MEDSIM_DATA` or `~/.local/share/medsim`. */
  database?: string;
  /** An already opened store (tests); `database` is then ignored. */
  store?: SessionStore;
  /** API keys; none means no auth. */
  keys?: readonly ApiKeyEntry[];
  /** Replies generated at once. Default: 64 for the scripted and HTTP engines, 2 for llama. */
  concurrency?: number;
  /** Replies that may wait for a slot before new ones get a 503. Default 4 × concurrency. */
  queue?: number;
  /** Live sessions kept in memory (each holds an engine context for llama). Default 64. */
  maxLiveSessions?: number;
  /** More route modules (e.g. the practice room), mounted after the core ones. */
  extraRoutes?: readonly RouteModule[];
  logger?: Logger;
}

/** Builds everything but the socket: the app for in-process tests (`app.request`). */
export async function createServerApp(options: ServerOptions): Promise<{
  app: ServerApp;
  services: ServerServices;
  sockets: SocketRegistry;
  injectWebSocket: ReturnType<typeof createNodeWebSocket>["injectWebSocket"];
  wss: ReturnType<typeof createNodeWebSocket>["wss"];
}> {
  const logger = options.logger ?? silentLogger;
  const scripted = options.engine.name === "scripted" ? options.engine : await createEngine({ engine: "scripted" });
  // The scripted engine fits its question classifier on first use (about a second on a slow
  // machine): do it while the store opens, so that the first student does not wait for it (with
  // llama, in the background while the server starts).
  const warming = warmUp(scripted).catch((error: unknown) =>
    logger.warn(`warming up the scripted engine: ${String(error)}`),
  );
  const store = options.store ?? (await openStore(options.database));
  if (options.engine.name === "scripted") await warming;
  const catalog = new ServerCatalog(store);
  const concurrency = options.concurrency ?? (options.engine.name === "llama" ? 2 : 64);
  const pool = new ReplyPool(concurrency, options.queue ?? concurrency * 4);
  const sessions = new SessionService({
    store,
    catalog,
    engine: options.engine,
    scripted,
    pool,
    logger,
    maxLiveSessions: options.maxLiveSessions,
  });
  const services: ServerServices = {
    activity: new ActivityTracker(),
    store,
    catalog,
    sessions,
    engine: options.engine,
    pool,
    logger,
    draining: { value: false },
  };
  const sockets: SocketRegistry = new Set();
  // The WebSocket helper needs the app before the routes, so it gets a late-bound reference.
  const late: { app?: ServerApp } = {};
  const proxy = { request: (...args: Parameters<ServerApp["request"]>) => late.app!.request(...args) };
  const nodeWebSocket = createNodeWebSocket({ app: proxy as unknown as ServerApp });
  // A frame larger than this closes the socket (code 1009) instead of buffering megabytes.
  (nodeWebSocket.wss.options as { maxPayload?: number }).maxPayload = 64 * 1024;
  const app = createApp(
    services,
    [
      ...CORE_ROUTES,
      websocketRoutes(nodeWebSocket.upgradeWebSocket, sockets),
      ...PRACTICE_ROOM_ROUTES,
      ...(options.extraRoutes ?? []),
    ],
    {
      ...options,
      publicPaths: options.publicPaths ?? ["/health", ...PUBLIC_WEB_PATHS],
      keys: options.keys?.length ? new KeyRing(options.keys) : undefined,
    },
  );
  late.app = app;
  return { app, services, sockets, injectWebSocket: nodeWebSocket.injectWebSocket, wss: nodeWebSocket.wss };
}

/** A running server. */
export interface RunningServer {
  url: string;
  port: number;
  app: ServerApp;
  services: ServerServices;
  /**
   * Graceful shutdown: refuses new requests (503), lets replies in progress finish (up to
   * `timeoutMs`, default 10 s), closes sockets, then the store and the engine.
   */
  close(timeoutMs?: number): Promise<void>;
}

/** Starts `medsim serve`: opens the store, builds the app and listens. */
export async function startServer(options: ServerOptions & { port?: number; host?: string }): Promise<RunningServer> {
  const built = await createServerApp(options);
  const host = options.host ?? "127.0.0.1";
  const server = await new Promise<ServerType>((resolve, reject) => {
    const instance = serve({ fetch: built.app.fetch, port: options.port ?? 8000, hostname: host }, () =>
      resolve(instance),
    );
    instance.once("error", reject);
  });
  built.injectWebSocket(server);
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(":") ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  const close = (timeoutMs = 10_000) =>
    (closing ??= (async () => {
      built.services.draining.value = true;
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      (server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
      const finished = Promise.all([built.services.activity.idle(), built.services.pool.idle()]);
      await Promise.race([finished, new Promise((resolve) => setTimeout(resolve, timeoutMs).unref())]);
      for (const socket of built.sockets) socket.close(1001, "server shutting down");
      built.wss.close();
      // Let the last responses reach their sockets before cutting what is left.
      await new Promise((resolve) => setTimeout(resolve, 100));
      (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      await stopped;
      await built.services.sessions.dispose();
      await built.services.store.close();
      await options.engine.dispose();
    })());
  return { url: `http://${shownHost}:${port}`, port, app: built.app, services: built.services, close };
}

/** Answers one question on a built-in case, so that the engine's one-time set-up is done. */
async function warmUp(engine: PatientEngine): Promise<void> {
  const [caseId] = await cases.ids();
  const [personaId] = await personas.ids();
  if (!caseId || !personaId) return;
  const simulator = await PatientSimulator.create({
    patientCase: await cases.get(caseId),
    persona: await personas.get(personaId),
    engine,
  });
  try {
    await simulator.respond("What brings you in today?");
  } finally {
    await simulator.dispose();
  }
}
