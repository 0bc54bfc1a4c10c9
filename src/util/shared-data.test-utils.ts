/**
 * Tests that read `../shared/data` (AgentClinic, medical tables, Synthea) live in files named
 * `*.shared.test.ts` and declare their suites with {@link describeWithSharedData}. On a machine
 * without the folder they are skipped; with MEDSIM_REQUIRE_SHARED=1 (set by `.ci/run`, since CI
 * has the folder) a missing file fails, so the README's figures are always checked in CI.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, it } from "vitest";

/** `../shared/data/<relative>` beside the repository. */
export function sharedDataFile(relative: string): string {
  return fileURLToPath(new URL(`../../../shared/data/${relative}`, import.meta.url));
}

/** A `describe` that needs the given `../shared/data` files (see the module comment). */
export function describeWithSharedData(name: string, files: readonly string[], body: () => void): void {
  const missing = files.filter((file) => !existsSync(file));
  if (missing.length === 0) describe(name, body);
  else if (process.env.MEDSIM_REQUIRE_SHARED === "1")
    describe(name, () => {
      it("has its ../shared data", () => {
        throw new Error(`missing shared data (MEDSIM_REQUIRE_SHARED=1): ${missing.join(", ")}`);
      });
    });
  else describe.skip(`${name} (needs ${missing.join(", ")})`, body);
}
