import type { RouteModule } from "../app.js";
import { educatorRoutes } from "./educator.js";
import { practiceRoutes } from "./practice.js";
import { speechRoutes } from "./speech.js";
import { WEB_FILES, webRoutes } from "./web.js";

/** The practice room's route modules: the page itself, its catalog, speech and the educator's API. */
export const PRACTICE_ROOM_ROUTES: readonly RouteModule[] = [webRoutes, practiceRoutes, speechRoutes, educatorRoutes];

/** The page's static files: served without a key (they hold no data; every API call needs one). */
export const PUBLIC_WEB_PATHS: readonly string[] = Object.keys(WEB_FILES);
