/**
 * The one error class of the GGUF module. Every failure to read or write a GGUF file is a
 * {@link GgufError} whose one-line message says what was expected, what was found, and where
 * (byte offset, metadata key or tensor name).
 */
export class GgufError extends Error {
  /** Byte offset in the file where the problem was found, when known. */
  readonly offset: number | undefined;

  constructor(message: string, options?: { offset?: number; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "GgufError";
    this.offset = options?.offset;
  }
}
