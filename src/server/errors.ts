import { HTTPException } from "hono/http-exception";
import { HTTP_STATUS_BY_CODE, MedsimError, ValidationError } from "../util/errors.js";
import type { Logger } from "../util/logger.js";

/** The JSON body of every error response, in the shape OpenAI clients expect. */
export interface ErrorBody {
  error: { message: string; type: string; code: string; param: string | null };
}

/** The OpenAI-style `type` for a status, so OpenAI clients raise the matching exception class. */
function typeForStatus(status: number): string {
  if (status === 401) return "authentication_error";
  if (status === 403) return "permission_error";
  if (status === 404) return "not_found_error";
  if (status === 409) return "conflict_error";
  if (status === 429) return "rate_limit_error";
  if (status >= 500) return "server_error";
  return "invalid_request_error";
}

/** An error with an HTTP status, for `Retry-After` and friends. */
export interface ErrorResponse {
  status: number;
  body: ErrorBody;
  headers: Record<string, string>;
}

/**
 * Turns any thrown value into the response the client gets. Known errors keep their one-line
 * message; unknown ones become a generic 500 (the detail goes to the log, never to the client).
 */
export function toErrorResponse(error: unknown, logger?: Logger): ErrorResponse {
  if (error instanceof MedsimError) {
    // The one code-to-status mapping lives beside the codes (src/util/errors.ts).
    const status = HTTP_STATUS_BY_CODE[error.code] ?? 500;
    const mapped = { status, type: typeForStatus(status) };
    const param = error instanceof ValidationError ? (error.issues[0]?.field ?? null) : null;
    const headers: Record<string, string> = {};
    const retryAfter = (error as { retryAfterSeconds?: number }).retryAfterSeconds;
    if (retryAfter !== undefined) headers["Retry-After"] = String(retryAfter);
    return {
      status: mapped.status,
      body: { error: { message: error.message, type: mapped.type, code: error.code, param: param || null } },
      headers,
    };
  }
  if (error instanceof HTTPException) {
    // Hono's own errors: malformed JSON (400) and the body limit (413) among them.
    const status = error.status;
    const code = status === 413 ? "payload_too_large" : status === 400 ? "invalid_input" : "http_error";
    return {
      status,
      body: { error: { message: error.message, type: "invalid_request_error", code, param: null } },
      headers: {},
    };
  }
  logger?.warn(`unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return {
    status: 500,
    body: { error: { message: "internal server error", type: "server_error", code: "internal_error", param: null } },
    headers: {},
  };
}

/** A `MedsimError` that tells the client when to retry (429, 503). */
export class RetryableError extends MedsimError {
  constructor(
    code: "rate_limited" | "unavailable",
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(code, message);
  }
}
