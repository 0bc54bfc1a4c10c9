// Builds the practice room into static files (web/dist): one JS bundle (Preact included), one CSS
// file and index.html. esbuild, not Vite: it is one small dependency, already used through tsx, and
// builds offline in about a second. Run by `npm run build` (so by `npm ci` through `prepare`).
import { build } from "esbuild";
import { copyFile, mkdir, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(fileURLToPath(import.meta.url));
const out = join(root, "dist");
await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });
await build({
  entryPoints: [join(root, "src/main.tsx")],
  bundle: true,
  minify: true,
  sourcemap: true,
  format: "esm",
  target: ["es2022"],
  jsx: "automatic",
  jsxImportSource: "preact",
  outfile: join(out, "app.js"),
  logLevel: "warning",
});
await copyFile(join(root, "index.html"), join(out, "index.html"));
await copyFile(join(root, "styles.css"), join(out, "app.css"));
