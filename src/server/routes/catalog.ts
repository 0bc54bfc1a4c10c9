import type { RouteModule } from "../app.js";

/** `/v1/personas` and `/v1/cases` (user items stored, built-ins read-only). */
export const catalogRoutes: RouteModule = () => {};
