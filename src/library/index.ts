import { join } from "node:path";
import { PatientCaseSchema, PersonaSchema } from "../domain/index.js";
import { Catalog } from "./catalog.js";
import { dataDirectory } from "./paths.js";

export { Catalog } from "./catalog.js";
export { dataDirectory } from "./paths.js";

/** The built-in case library (`data/cases/`); `get` also accepts a path to a user's case file. */
export const cases = new Catalog("case", join(dataDirectory, "cases"), PatientCaseSchema);

/** The built-in personas (`data/personas/`); `get` also accepts a path to a user's persona file. */
export const personas = new Catalog("persona", join(dataDirectory, "personas"), PersonaSchema);
export { validateAuthoredText, findDiagnosisLeaks, type AuthoringIssue, type AuthoringResult } from "./authoring.js";
