/** Errors of the adapter formats: one line naming the file, tensor or field (code `adapter_error`). */
export { AdapterError } from "../util/errors.js";
