/** The one temp-directory helper of the tests: a fresh folder per test file, removed afterwards. */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";

/** A temp folder made in `beforeAll` and removed in `afterAll`; read `path` inside tests and hooks. */
export interface TempDirectory {
  readonly path: string;
  /** `join(path, ...parts)`. */
  file(...parts: string[]): string;
}

/** Registers the hooks of a temp folder for the calling test file (or `describe` block). */
export function useTempDirectory(prefix = "medsim-test-"): TempDirectory {
  let path: string | undefined;
  beforeAll(async () => {
    path = await mkdtemp(join(tmpdir(), prefix));
  });
  afterAll(async () => {
    if (path !== undefined) await rm(path, { recursive: true, force: true });
  });
  const current = (): string => {
    if (path === undefined) throw new Error("useTempDirectory: the folder exists only inside tests and hooks");
    return path;
  };
  return {
    get path() {
      return current();
    },
    file: (...parts) => join(current(), ...parts),
  };
}
