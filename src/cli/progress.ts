import cliProgress from "cli-progress";
import type { Progress, ProgressCallback } from "../util/logger.js";

/**
 * Renders library progress callbacks as a progress bar on stderr (only on a terminal, so scripts
 * and `--json` output stay clean). Call `stop()` when the work is done.
 */
export function createProgressBar(): { onProgress: ProgressCallback; stop: () => void } {
  if (!process.stderr.isTTY) return { onProgress: () => {}, stop: () => {} };
  let bar: cliProgress.SingleBar | undefined;
  let label = "";
  return {
    onProgress(progress: Progress) {
      if (!bar || progress.label !== label) {
        bar?.stop();
        label = progress.label;
        bar = new cliProgress.SingleBar(
          {
            stream: process.stderr,
            format: `${label} [{bar}] {percentage}% | {value}/{total} | ETA {eta_formatted}`,
            hideCursor: true,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(progress.total ?? 0, progress.completed);
      }
      if (progress.total !== undefined) bar.setTotal(progress.total);
      bar.update(progress.completed);
    },
    stop() {
      bar?.stop();
    },
  };
}
