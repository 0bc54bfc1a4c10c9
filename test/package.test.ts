// The package as a user gets it: `npm pack` of the built dist/, unpacked into a fresh project's
// node_modules, every name the README's library table documents imported through its subpath,
// and its types resolved by the TypeScript compiler. Needs `npm run build` first (npm test does it).
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { useTempDirectory } from "../src/util/temp-directory.test-utils.js";

const run = promisify(execFile);
const root = fileURLToPath(new URL("..", import.meta.url));

/** The README's library table: subpath -> names. */
async function documentedNames(): Promise<Map<string, string[]>> {
  const readme = await readFile(join(root, "README.md"), "utf8");
  const table = /<!-- library-api:start -->([\s\S]*?)<!-- library-api:end -->/.exec(readme)?.[1] ?? "";
  const rows = new Map<string, string[]>();
  for (const line of table.split("\n")) {
    const cells = line.split("|").map((cell) => cell.trim());
    const subpath = /^`(medsim(?:\/[a-z]+)?)`$/.exec(cells[1] ?? "")?.[1];
    if (subpath === undefined) continue;
    rows.set(
      subpath,
      [...(cells[2] ?? "").matchAll(/`([A-Za-z_][A-Za-z0-9_]*)`/g)].map((m) => m[1] as string),
    );
  }
  return rows;
}

describe("the packed package", () => {
  const temp = useTempDirectory("medsim-package-");
  let project: string;
  let packedFiles: string[];
  let names: Map<string, string[]>;

  beforeAll(async () => {
    if (!existsSync(join(root, "dist", "index.js"))) throw new Error("dist/ is missing: run `npm run build` first");
    names = await documentedNames();
    const packDirectory = join(temp.path, "pack");
    await mkdir(packDirectory);
    // --ignore-scripts: dist/ is already built; `prepare` would build it again.
    const { stdout } = await run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", packDirectory], {
      cwd: root,
      maxBuffer: 64 * 1024 * 1024,
    });
    const [packed] = JSON.parse(stdout) as [{ filename: string; files: { path: string }[] }];
    packedFiles = packed.files.map((file) => file.path);
    project = join(temp.path, "project");
    const installed = join(project, "node_modules", "medsim");
    await mkdir(installed, { recursive: true });
    await run("tar", ["-xzf", join(packDirectory, packed.filename), "-C", installed, "--strip-components=1"]);
    await writeFile(join(project, "package.json"), JSON.stringify({ name: "consumer", type: "module", private: true }));
    // The package's dependencies, linked from this checkout (installing them would need the network).
    const manifest = JSON.parse(await readFile(join(root, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    for (const dependency of Object.keys(manifest.dependencies)) {
      const target = join(project, "node_modules", dependency);
      await mkdir(join(target, ".."), { recursive: true });
      await symlink(join(root, "node_modules", dependency), target, "dir");
    }
  }, 180_000);

  it("documents all ten subpaths", () => {
    expect([...names.keys()].sort()).toEqual(
      [
        "medsim",
        ...["adapters", "client", "datasets", "eval", "gguf", "knowledge", "model", "synth", "train"].map(
          (s) => `medsim/${s}`,
        ),
      ].sort(),
    );
  });

  it("ships dist/ without tests or test helpers", () => {
    expect(packedFiles).toContain("dist/gguf/index.js");
    expect(packedFiles).toContain("dist/gguf/index.d.ts");
    expect(packedFiles.filter((file) => /\.test(-utils)?\.|\/testing\//.test(file))).toEqual([]);
  });

  it("imports every documented name through its subpath", async () => {
    const script = `
      const names = ${JSON.stringify(Object.fromEntries(names))};
      const missing = [];
      for (const [subpath, list] of Object.entries(names)) {
        const module = await import(subpath);
        for (const name of list) if (module[name] === undefined) missing.push(subpath + ": " + name);
      }
      console.log(JSON.stringify(missing));
    `;
    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script], { cwd: project });
    expect(JSON.parse(stdout)).toEqual([]);
  });

  it("gives the TypeScript types of every documented name", async () => {
    // Aliased per subpath: the same error class is documented under "medsim" and its own subpath.
    const lines = [...names].map(([subpath, list]) => {
      const prefix = subpath.replace("/", "_");
      return `export { ${list.map((name) => `${name} as ${prefix}_${name}`).join(", ")} } from "${subpath}";`;
    });
    lines.push(
      `import type { ErrorCode } from "medsim";`,
      `import type { LoraAdapter } from "medsim/adapters";`,
      `import type { ModelConfig } from "medsim/model";`,
      `export const code: ErrorCode = "gguf_error";`,
      `export type Types = [LoraAdapter, ModelConfig];`,
    );
    await writeFile(join(project, "check.ts"), `${lines.join("\n")}\n`);
    const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
    const args = ["--noEmit", "--strict", "--module", "nodenext", "--moduleResolution", "nodenext"];
    const result = await run(process.execPath, [tsc, ...args, "--skipLibCheck", "check.ts"], {
      cwd: project,
    }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? String(error) }));
    expect(result.stdout).toBe("");
  });
});
