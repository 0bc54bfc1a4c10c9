import { fileURLToPath } from "node:url";

/** The package's `data/` folder; the same relative path works from `src/` and from `dist/`. */
export const dataDirectory = fileURLToPath(new URL("../../data/", import.meta.url));
