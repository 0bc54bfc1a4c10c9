export { openStore, defaultDataDirectory } from "./open.js";
export {
  SessionStore,
  type Database,
  type SessionRow,
  type NewSession,
  type SessionEntryRow,
  type CatalogItemRow,
  type CatalogKind,
  type NewEntry,
  type SessionPage,
} from "./store.js";
export type { EntryKind } from "./schema.js";
