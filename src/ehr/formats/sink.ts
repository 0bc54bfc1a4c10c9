import { randomBytes } from "node:crypto";
import { mkdir, open, rename, rm, stat, type FileHandle } from "node:fs/promises";
import { dirname, join } from "node:path";
import { FileError } from "../../util/errors.js";

const FLUSH_BYTES = 1 << 20;

/**
 * A text file written in pieces: appended strings are buffered and flushed in ~1 MB writes, so
 * memory stays flat however large the file grows.
 */
export class TextSink {
  private parts: string[] = [];
  private size = 0;

  private constructor(private readonly handle: FileHandle) {}

  static async open(path: string): Promise<TextSink> {
    await mkdir(dirname(path), { recursive: true });
    return new TextSink(await open(path, "w"));
  }

  async write(text: string): Promise<void> {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= FLUSH_BYTES) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.parts.length === 0) return;
    const text = this.parts.join("");
    this.parts = [];
    this.size = 0;
    await this.handle.write(text);
  }

  async close(): Promise<void> {
    await this.flush();
    await this.handle.close();
  }
}

/**
 * Where a format writes: a temporary file or folder beside the target, renamed over it only when
 * everything is written, so an interrupted run never leaves a half-written output.
 */
export class AtomicOutput {
  readonly temporary: string;

  constructor(
    readonly path: string,
    readonly kind: "file" | "directory",
  ) {
    this.temporary = `${path}.${randomBytes(6).toString("hex")}.tmp`;
  }

  /** A path inside the temporary folder (directory outputs) or the temporary file itself. */
  file(name?: string): string {
    return name === undefined ? this.temporary : join(this.temporary, name);
  }

  async prepare(): Promise<void> {
    const existing = await stat(this.path).catch(() => undefined);
    if (existing && this.kind === "directory" && !existing.isDirectory())
      throw new FileError(this.path, "exists and is not a folder (this format writes a folder)");
    if (existing && this.kind === "file" && existing.isDirectory())
      throw new FileError(this.path, "is a folder (this format writes one file)");
    if (this.kind === "directory") await mkdir(this.temporary, { recursive: true });
    else await mkdir(dirname(this.path), { recursive: true });
  }

  async commit(): Promise<void> {
    if (this.kind === "file") return rename(this.temporary, this.path);
    const existing = await stat(this.path).catch(() => undefined);
    if (existing) {
      const aside = `${this.path}.${randomBytes(6).toString("hex")}.old`;
      await rename(this.path, aside);
      await rename(this.temporary, this.path);
      await rm(aside, { recursive: true, force: true });
    } else await rename(this.temporary, this.path);
  }

  async abort(): Promise<void> {
    await rm(this.temporary, { recursive: true, force: true });
  }
}

/** One CSV field: quoted only when it holds a comma, quote or line break (RFC 4180). */
export function csvField(value: string | number | undefined): string {
  if (value === undefined) return "";
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRow(values: readonly (string | number | undefined)[]): string {
  return `${values.map(csvField).join(",")}\n`;
}
