/**
 * The library never prints. Components that have something worth logging take a `Logger` in their
 * options; the default discards everything.
 */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {} };

/**
 * Progress of long work, reported through callbacks; the CLI turns it into a progress bar
 * (`createProgressBar` in src/cli/progress.ts). The one progress shape of the library: work with
 * more to say (training's loss, a GGUF writer's current tensor) extends it.
 */
export interface Progress {
  /** What is happening, e.g. "downloading model". */
  readonly label: string;
  /** Units done so far. */
  readonly completed: number;
  /** Units in all, when known. */
  readonly total?: number;
  /** What `completed` and `total` count: `"bytes"` (shown in MB) or items (the default). */
  readonly unit?: "bytes" | "items";
}

/** Receives {@link Progress} reports; `P` is a richer report where the work has one. */
export type ProgressCallback<P extends Progress = Progress> = (progress: P) => void;
