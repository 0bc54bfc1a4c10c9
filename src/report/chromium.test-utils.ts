/**
 * Test helper: Debian's Chromium driven by playwright-core (no browser download), headless, with a
 * fresh profile directory that is removed on close.
 */
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";

/** Where the tests expect Chromium (`apt-get install chromium`; `.ci/run` installs it). */
export const chromiumPath = process.env.MEDSIM_CHROMIUM ?? "/usr/bin/chromium";

const flags = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** A running browser context; `close()` also deletes its profile directory. */
export interface LaunchedChromium {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Starts headless Chromium with the project's flags and a fresh `--user-data-dir`. */
export async function launchChromium(): Promise<LaunchedChromium> {
  if (!existsSync(chromiumPath))
    throw new Error(`Chromium not found at ${chromiumPath} (apt-get install chromium, or set MEDSIM_CHROMIUM)`);
  const profile = await mkdtemp(join(tmpdir(), "medsim-chromium-"));
  // playwright passes the profile as --user-data-dir itself (it refuses the flag in args).
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: flags,
    viewport: { width: 1280, height: 900 },
  });
  return {
    context,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
