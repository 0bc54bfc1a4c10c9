import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { RouteModule } from "../app.js";

/** Where `npm run build` puts the practice room (web/dist at the package root, from src/ and dist/ alike). */
export const WEB_DIRECTORY = fileURLToPath(new URL("../../../web/dist/", import.meta.url));

/** The static files of the practice room, served without a key (they hold no data). */
export const WEB_FILES: Record<string, { file: string; type: string }> = {
  "/": { file: "index.html", type: "text/html; charset=utf-8" },
  "/index.html": { file: "index.html", type: "text/html; charset=utf-8" },
  "/app.js": { file: "app.js", type: "text/javascript; charset=utf-8" },
  "/app.js.map": { file: "app.js.map", type: "application/json" },
  "/app.css": { file: "app.css", type: "text/css; charset=utf-8" },
};

// Everything the page loads comes from this server; nothing from a CDN.
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'";

/** `GET /`: the practice room. */
export const webRoutes: RouteModule = (app) => {
  const cache = new Map<string, Buffer>();
  for (const [path, { file, type }] of Object.entries(WEB_FILES)) {
    app.get(path, async (c) => {
      let content = cache.get(file);
      if (!content) {
        try {
          content = await readFile(`${WEB_DIRECTORY}${file}`);
        } catch {
          return c.text("The practice room is not built: run `npm run build`.", 503);
        }
        cache.set(file, content);
      }
      return c.body(new Uint8Array(content), 200, {
        "Content-Type": type,
        "Content-Security-Policy": CONTENT_SECURITY_POLICY,
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "no-cache",
      });
    });
  }
};
