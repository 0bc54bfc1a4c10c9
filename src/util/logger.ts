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

/** Progress of long work, reported through callbacks; the CLI turns it into a progress bar. */
export interface Progress {
  /** What is happening, e.g. "downloading model". */
  label: string;
  completed: number;
  total?: number;
}
export type ProgressCallback = (progress: Progress) => void;
