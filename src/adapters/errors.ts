/** Errors of the adapter formats: one line naming the file, tensor or field. */
import { MedsimError } from "../util/errors.js";

/** An adapter that is malformed, or does not fit its base model or a format. */
export class AdapterError extends MedsimError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("invalid_adapter", message, options);
  }
}
