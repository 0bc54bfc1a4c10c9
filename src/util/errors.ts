/**
 * The one error hierarchy. Every error a user can cause is a {@link MedsimError} with a stable
 * {@link ErrorCode}; its message is one line that says what was expected and what was found, so
 * the CLI can print it as is, without a stack trace, and a server can map the code to a status.
 */

/** Every code a {@link MedsimError} can carry. Stable across versions: scripts and servers match on them. */
export const ERROR_CODES = [
  /** A value, argument, flag or record that fails validation. */
  "invalid_input",
  /** An id (case, persona, disease, preset, session) that names nothing. */
  "not_found",
  /** A file that cannot be read, written or parsed. */
  "file_error",
  /** A GGUF file that is malformed or lacks what is needed. */
  "gguf_error",
  /** A model server or model that could not be used. */
  "engine_error",
  /** A training job that cannot start or go on. */
  "train_error",
  /** A training checkpoint that cannot be resumed from. */
  "checkpoint_error",
  /** A LoRA adapter that is malformed or does not fit its base model or a format. */
  "adapter_error",
  /** A teacher model's turn that failed the checks (the dialogue is dropped). */
  "rejected_turn",
  /** The resource is still working on a previous request (e.g. a patient still answering). */
  "busy",
  /** The request conflicts with the current state (e.g. a session that already ended). */
  "conflict",
  /** A missing or wrong API key. */
  "unauthorized",
  /** A key that may not touch this resource. */
  "forbidden",
  /** A request body over the size limit. */
  "payload_too_large",
  /** Too many requests in a time window. */
  "rate_limited",
  /** The operation was cancelled (Ctrl-C, an aborted request). */
  "cancelled",
  /** A dependency (model server, database) that is not reachable now. */
  "unavailable",
  /** A bug: anything that is not one of the above. */
  "internal_error",
] as const;

/** One of {@link ERROR_CODES}. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * The HTTP status for each code: the one mapping a server uses, so the same failure gets the same
 * status everywhere.
 */
export const HTTP_STATUS_BY_CODE: Readonly<Record<ErrorCode, number>> = {
  invalid_input: 400,
  not_found: 404,
  file_error: 400,
  gguf_error: 400,
  engine_error: 502,
  train_error: 400,
  checkpoint_error: 400,
  adapter_error: 400,
  rejected_turn: 422,
  busy: 409,
  conflict: 409,
  unauthorized: 401,
  forbidden: 403,
  payload_too_large: 413,
  rate_limited: 429,
  cancelled: 499,
  unavailable: 503,
  internal_error: 500,
};

/** The base class: a one-line message and a stable {@link ErrorCode}. */
export class MedsimError extends Error {
  /** A short machine-readable code, stable across versions (printed by `--json`, sent by the server). */
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
  }
}

/** Input that failed validation; `source` names the file (and line) or argument, `field` the path. */
export class ValidationError extends MedsimError {
  constructor(
    readonly source: string,
    readonly issues: readonly { field: string; message: string }[],
  ) {
    const first = issues[0];
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : "";
    super("invalid_input", `${source}: ${first ? `${first.field || "(root)"}: ${first.message}` : "invalid"}${more}`);
  }
}

/** An id that names nothing; the message lists the valid ids. */
export class NotFoundError extends MedsimError {
  constructor(kind: string, id: string, validIds: readonly string[]) {
    super("not_found", `unknown ${kind} "${id}"; valid ${kind} ids: ${validIds.join(", ")}`);
  }
}

/** A model server or model file that could not be used. */
export class EngineError extends MedsimError {
  constructor(engine: string, message: string, options?: { cause?: unknown }) {
    super("engine_error", `${engine} engine: ${message}`, options);
  }
}

/** A file that could not be read or parsed. */
export class FileError extends MedsimError {
  constructor(file: string, message: string, options?: { cause?: unknown }) {
    super("file_error", `${file}: ${message}`, options);
  }
}

/**
 * A GGUF file that cannot be read or written: the message says what was expected, what was found,
 * and where (file, byte offset, metadata key or tensor name).
 */
export class GgufError extends MedsimError {
  /** Byte offset in the file where the problem was found, when known. */
  readonly offset: number | undefined;

  constructor(message: string, options?: { offset?: number; cause?: unknown }) {
    super("gguf_error", message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.offset = options?.offset;
  }
}

/** An adapter that is malformed, or does not fit its base model or a format. */
export class AdapterError extends MedsimError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("adapter_error", message, options);
  }
}

/** A training job that cannot start or go on (no data left, bad split, bad settings). */
export class TrainError extends MedsimError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("train_error", message, options);
  }
}

/** A training checkpoint that cannot be used; the message starts with its path. */
export class CheckpointError extends MedsimError {
  constructor(path: string, message: string) {
    super("checkpoint_error", `${path}: ${message}`);
  }
}

/** The JSON shape of a failure, as `--json` prints it and the server sends it. */
export interface ErrorBody {
  readonly error: { readonly code: ErrorCode; readonly message: string };
}

/**
 * Any thrown value as an {@link ErrorBody}: a {@link MedsimError} keeps its code and message,
 * anything else becomes `internal_error` with the first line of its message.
 */
export function errorBody(error: unknown): ErrorBody {
  if (error instanceof MedsimError) return { error: { code: error.code, message: error.message } };
  const message = error instanceof Error ? error.message : String(error);
  return { error: { code: "internal_error", message: message.split("\n")[0] ?? "" } };
}

/** The HTTP status for any thrown value (500 for anything that is not a {@link MedsimError}). */
export function httpStatusOf(error: unknown): number {
  return error instanceof MedsimError ? HTTP_STATUS_BY_CODE[error.code] : 500;
}
