import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { startServe } from "./serve-process.test-utils.js";

const run = promisify(execFile);
const clientDirectory = fileURLToPath(new URL("../clients/csharp/", import.meta.url));

/** Why the C# test cannot run here, or undefined when Mono and its HTTP library are installed. */
function missingMono(): string | undefined {
  for (const tool of ["/usr/bin/mcs", "/usr/bin/mono"])
    if (!existsSync(tool)) return `${tool} is missing (Debian: mono-mcs, mono-runtime)`;
  for (const library of ["System.Net.Http.dll", "System.Runtime.Serialization.dll"])
    if (!existsSync(join("/usr/lib/mono/4.5", library)))
      return `${library} is missing (Debian: libmono-system-net-http4.0-cil, libmono-system-runtime-serialization4.0-cil)`;
  return undefined;
}

const skipReason = missingMono();
if (skipReason) process.stderr.write(`skipping the C# client test: ${skipReason} (.ci/run installs it)\n`);

describe("C# client (clients/csharp) against medsim serve", () => {
  it.skipIf(skipReason !== undefined)("compiles with mcs and holds a three-turn session", async () => {
    const work = await mkdtemp(join(tmpdir(), "medsim-csharp-"));
    const server = await startServe(["--engine", "scripted", "--api-key", "csharp-test-key", "--db", join(work, "db")]);
    try {
      const exe = join(work, "SessionTest.exe");
      await run("mcs", [
        "-langversion:7",
        `-out:${exe}`,
        "-r:System.Net.Http.dll",
        "-r:System.Runtime.Serialization.dll",
        join(clientDirectory, "MedsimClient.cs"),
        join(clientDirectory, "tests", "SessionTest.cs"),
      ]);
      const { stdout } = await run("mono", [exe, server.url, "csharp-test-key"], { timeout: 60_000 });
      expect(stdout).toMatch(/^draft: accepted for ses_\S+$/m);
      expect(stdout).toContain("long draft: 400 text");
      expect(stdout).toMatch(/^turn 1: .+/m);
      expect(stdout).toMatch(/^turn 2 \(\d+ sentences\): .+/m);
      expect(stdout).toMatch(/^turn 3: .+/m);
      expect(stdout).toContain("unknown session: 404 not_found");
      expect(stdout).toContain("ended: 6 transcript entries");
      expect(stdout.trim().endsWith("OK")).toBe(true);
    } finally {
      await server.stop();
      await rm(work, { recursive: true, force: true });
    }
  });
});
