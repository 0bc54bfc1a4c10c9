/**
 * The one error class of the GGUF module, a {@link MedsimError} with code `gguf_error`: every
 * failure to read or write a GGUF file is a {@link GgufError} whose one-line message says what was
 * expected, what was found, and where (file, byte offset, metadata key or tensor name).
 */
export { GgufError, MedsimError } from "../util/errors.js";
