/** Random-access byte sources for the reader: a file read at offsets, or bytes in memory. */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { GgufError } from "./errors.js";

/** Something the reader can read bytes from at any offset, synchronously. */
export interface ByteSource {
  /** Total size in bytes. */
  readonly size: number;
  /** Reads exactly `length` bytes at `offset`; callers check bounds against `size` first. */
  read(offset: number, length: number): Uint8Array;
  /** Releases the underlying file, if any. */
  close(): void;
}

/** A source over bytes in memory. */
export function bufferSource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.length,
    read: (offset, length) => bytes.subarray(offset, offset + length),
    close: () => undefined,
  };
}

/** A source over a file, read with positioned reads so the file is never loaded whole. */
export function fileSource(path: string): ByteSource {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new GgufError(`${path}: cannot open (${code === "ENOENT" ? "file not found" : code})`, { cause: error });
  }
  const stats = fstatSync(fd);
  if (!stats.isFile()) {
    closeSync(fd);
    throw new GgufError(`${path}: not a regular file`);
  }
  const size = stats.size;
  let open = true;
  return {
    size,
    read(offset, length) {
      if (!open) throw new GgufError(`${path}: read after close`);
      const out = new Uint8Array(length);
      let done = 0;
      while (done < length) {
        let n: number;
        try {
          n = readSync(fd, out, done, length - done, offset + done);
        } catch (error) {
          throw new GgufError(
            `${path}: read failed at offset ${offset + done} (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
            { offset: offset + done, cause: error },
          );
        }
        if (n === 0)
          throw new GgufError(
            `${path}: file shrank while reading: expected ${length} bytes at offset ${offset}, got ${done}`,
            { offset },
          );
        done += n;
      }
      return out;
    },
    close() {
      if (open) closeSync(fd);
      open = false;
    },
  };
}
