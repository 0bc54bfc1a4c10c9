/**
 * `medsim serve`: the patient over HTTP and WebSocket. The core library never imports this
 * folder; the CLI and embedders do.
 */
export { startServer, createServerApp, CORE_ROUTES, type ServerOptions, type RunningServer } from "./server.js";
export {
  createApp,
  type AppOptions,
  type RouteModule,
  type ServerApp,
  type ServerEnv,
  type ServerServices,
} from "./app.js";
export {
  KeyRing,
  readApiKeysFile,
  ApiKeyEntrySchema,
  API_KEY_ROLES,
  ANONYMOUS,
  type ApiKeyEntry,
  type ApiKeyRole,
  type Principal,
} from "./auth.js";
export { toErrorResponse, RetryableError, type ErrorBody } from "./errors.js";
export { ReplyPool, RateLimiter, KeyedMutex } from "./limits.js";
export { ServerCatalog, checkCaseDoesNotLeak } from "./catalog.js";
export { SessionService, summarizeCase, type CaseSummary, type TurnResult, type FindingResult } from "./sessions.js";
export * from "./store/index.js";
