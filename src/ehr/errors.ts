import { MedsimError } from "../util/errors.js";

/**
 * A request the EHR generator will not guess at. `kind` says whether the user must answer a
 * question (ambiguous: "How many patients?") or change the request (impossible: 0 patients, an
 * unknown condition, more observations than a condition has). The message is one line a user can
 * act on; `options` lists valid answers where there are some.
 */
export class EhrRequestError extends MedsimError {
  constructor(
    readonly kind: "question" | "impossible",
    message: string,
    readonly options: readonly string[] = [],
  ) {
    super("invalid_input", message);
  }
}
