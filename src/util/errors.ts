/**
 * Error classes for everything a user can get wrong. Each message is one line that says what was
 * expected and what was found, so the CLI can print it as is, without a stack trace.
 */
export class MedsimError extends Error {
  /** A short machine-readable code, stable across versions (printed by `--json`). */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
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
