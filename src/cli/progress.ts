import cliProgress from "cli-progress";
import type { Progress, ProgressCallback } from "../util/logger.js";

/** Options for {@link createProgressBar}. */
export interface ProgressBarOptions<P extends Progress> {
  /** Show nothing (e.g. with `--json`). Default false. */
  readonly quiet?: boolean;
  /** Extra text after the counts, e.g. training's loss and speed. Default: none. */
  readonly detail?: (progress: P) => string;
  /** Work whose total is below this (in its own unit) is too quick for a bar. Default 0. */
  readonly minimumTotal?: number;
}

/** A progress bar fed by library progress callbacks. */
export interface ProgressBar<P extends Progress = Progress> {
  readonly onProgress: ProgressCallback<P>;
  /** Ends the bar (call when the work is done or failed). */
  readonly stop: () => void;
}

const MEGABYTE = 1e6;

/**
 * The CLI's one progress renderer: library {@link Progress} reports as a bar on stderr, only on a
 * terminal, so scripts and `--json` output stay clean. A new label starts a new bar; byte counts
 * are shown in MB.
 */
export function createProgressBar<P extends Progress = Progress>(options: ProgressBarOptions<P> = {}): ProgressBar<P> {
  if (options.quiet === true || !process.stderr.isTTY) return { onProgress: () => {}, stop: () => {} };
  let bar: cliProgress.SingleBar | undefined;
  let label = "";
  return {
    onProgress(progress: P) {
      if (progress.total !== undefined && progress.total < (options.minimumTotal ?? 0)) return;
      const scale = progress.unit === "bytes" ? MEGABYTE : 1;
      const text = options.detail?.(progress) ?? "";
      const payload = { detail: text === "" ? "" : ` | ${text}` };
      if (!bar || progress.label !== label) {
        bar?.stop();
        label = progress.label;
        const unit = progress.unit === "bytes" ? " MB" : "";
        bar = new cliProgress.SingleBar(
          {
            stream: process.stderr,
            format: `${label} [{bar}] {percentage}% | {value}/{total}${unit}{detail} | ETA {eta_formatted}`,
            hideCursor: true,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(Math.round((progress.total ?? 0) / scale), Math.round(progress.completed / scale), payload);
      }
      if (progress.total !== undefined) bar.setTotal(Math.round(progress.total / scale));
      bar.update(Math.round(progress.completed / scale), payload);
    },
    stop() {
      bar?.stop();
    },
  };
}
