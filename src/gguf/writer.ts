/**
 * GGUF v3 writer. The header is built in memory (it is small); tensor data is streamed to the
 * file one tensor at a time, so writing a multi-gigabyte model never holds it all in memory.
 */
import { randomBytes } from "node:crypto";
import { mkdir, open, rename, rm } from "node:fs/promises";
import { basename, dirname } from "node:path";
import type { Progress, ProgressCallback } from "../util/logger.js";
import { GgufError } from "./errors.js";
import {
  type GgufArrayValue,
  type GgufScalarTypeName,
  type GgufValue,
  ggmlTypeInfo,
  ggmlTypeName,
  tensorByteLength,
} from "./types.js";

const TYPE_IDS: Record<GgufScalarTypeName | "array", number> = {
  uint8: 0,
  int8: 1,
  uint16: 2,
  int16: 3,
  uint32: 4,
  int32: 5,
  float32: 6,
  bool: 7,
  string: 8,
  array: 9,
  uint64: 10,
  int64: 11,
  float64: 12,
};

/** One tensor to write. `shape` is in GGML order (`shape[0]` is the row length). */
export interface GgufTensorToWrite {
  readonly name: string;
  readonly shape: readonly number[];
  /** GGML type id of `data` (see `GgmlType`). */
  readonly type: number;
  /** The encoded bytes, or a function producing them when the writer reaches this tensor. */
  readonly data: Uint8Array | (() => Uint8Array | Promise<Uint8Array>);
}

/** What to write. */
export interface GgufWriteInput {
  /** Metadata in the order it should appear. `general.alignment` is honoured if present. */
  readonly metadata: ReadonlyMap<string, GgufValue> | Readonly<Record<string, GgufValue>>;
  readonly tensors: readonly GgufTensorToWrite[];
}

class ByteWriter {
  private chunks: Uint8Array[] = [];
  private current = new Uint8Array(1 << 16);
  private view = new DataView(this.current.buffer);
  private used = 0;
  length = 0;
  private readonly encoder = new TextEncoder();

  private room(n: number): void {
    if (this.used + n <= this.current.length) return;
    this.chunks.push(this.current.subarray(0, this.used));
    this.current = new Uint8Array(Math.max(1 << 16, n));
    this.view = new DataView(this.current.buffer);
    this.used = 0;
  }
  private advance(n: number): void {
    this.used += n;
    this.length += n;
  }
  u8(v: number): void {
    this.room(1);
    this.view.setUint8(this.used, v);
    this.advance(1);
  }
  i8(v: number): void {
    this.room(1);
    this.view.setInt8(this.used, v);
    this.advance(1);
  }
  u16(v: number): void {
    this.room(2);
    this.view.setUint16(this.used, v, true);
    this.advance(2);
  }
  i16(v: number): void {
    this.room(2);
    this.view.setInt16(this.used, v, true);
    this.advance(2);
  }
  u32(v: number): void {
    this.room(4);
    this.view.setUint32(this.used, v, true);
    this.advance(4);
  }
  i32(v: number): void {
    this.room(4);
    this.view.setInt32(this.used, v, true);
    this.advance(4);
  }
  f32(v: number): void {
    this.room(4);
    this.view.setFloat32(this.used, v, true);
    this.advance(4);
  }
  f64(v: number): void {
    this.room(8);
    this.view.setFloat64(this.used, v, true);
    this.advance(8);
  }
  u64(v: bigint | number): void {
    this.room(8);
    this.view.setBigUint64(this.used, BigInt(v), true);
    this.advance(8);
  }
  i64(v: bigint | number): void {
    this.room(8);
    this.view.setBigInt64(this.used, BigInt(v), true);
    this.advance(8);
  }
  string(s: string): void {
    const bytes = this.encoder.encode(s);
    this.u64(bytes.length);
    this.room(bytes.length);
    this.current.set(bytes, this.used);
    this.advance(bytes.length);
  }
  pad(alignment: number): void {
    while (this.length % alignment !== 0) this.u8(0);
  }
  bytes(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const chunk of [...this.chunks, this.current.subarray(0, this.used)]) {
      out.set(chunk, at);
      at += chunk.length;
    }
    return out;
  }
}

function checkNumber(key: string, type: string, value: unknown, min: number, max: number, integer: boolean): number {
  if (typeof value !== "number" || (integer && !Number.isInteger(value)) || value < min || value > max) {
    throw new GgufError(`metadata "${key}": expected ${type}, found ${String(value)}`);
  }
  return value;
}

function writeScalar(w: ByteWriter, key: string, type: GgufScalarTypeName, value: unknown): void {
  switch (type) {
    case "uint8":
      return w.u8(checkNumber(key, type, value, 0, 255, true));
    case "int8":
      return w.i8(checkNumber(key, type, value, -128, 127, true));
    case "uint16":
      return w.u16(checkNumber(key, type, value, 0, 65535, true));
    case "int16":
      return w.i16(checkNumber(key, type, value, -32768, 32767, true));
    case "uint32":
      return w.u32(checkNumber(key, type, value, 0, 2 ** 32 - 1, true));
    case "int32":
      return w.i32(checkNumber(key, type, value, -(2 ** 31), 2 ** 31 - 1, true));
    case "float32":
      return w.f32(checkNumber(key, type, value, -Infinity, Infinity, false));
    case "float64":
      return w.f64(checkNumber(key, type, value, -Infinity, Infinity, false));
    case "uint64":
    case "int64":
      if (typeof value !== "bigint" && !(typeof value === "number" && Number.isInteger(value)))
        throw new GgufError(`metadata "${key}": expected ${type}, found ${String(value)}`);
      return type === "uint64" ? w.u64(value) : w.i64(value);
    case "bool":
      if (typeof value !== "boolean") throw new GgufError(`metadata "${key}": expected bool, found ${String(value)}`);
      return w.u8(value ? 1 : 0);
    case "string":
      if (typeof value !== "string") throw new GgufError(`metadata "${key}": expected string, found ${String(value)}`);
      return w.string(value);
  }
}

function writeArray(w: ByteWriter, key: string, array: GgufArrayValue): void {
  w.u32(TYPE_IDS[array.itemType]);
  w.u64(array.value.length);
  for (const item of array.value) {
    if (array.itemType === "array") {
      if (typeof item !== "object")
        throw new GgufError(`metadata "${key}": expected nested array items, found ${typeof item}`);
      writeArray(w, key, item);
    } else {
      writeScalar(w, key, array.itemType, item);
    }
  }
}

interface Layout {
  header: Uint8Array;
  tensors: { tensor: GgufTensorToWrite; byteLength: number; relativeOffset: number }[];
  alignment: number;
  totalSize: number;
}

function layout(input: GgufWriteInput): Layout {
  const entries: [string, GgufValue][] =
    input.metadata instanceof Map
      ? [...(input.metadata as ReadonlyMap<string, GgufValue>).entries()]
      : Object.entries(input.metadata as Readonly<Record<string, GgufValue>>);
  const alignmentValue = entries.find(([key]) => key === "general.alignment")?.[1];
  const alignment = alignmentValue === undefined ? 32 : Number(alignmentValue.value);
  if (!Number.isInteger(alignment) || alignment <= 0 || (alignment & (alignment - 1)) !== 0) {
    throw new GgufError(
      `metadata "general.alignment": expected a power of two, found ${String(alignmentValue?.value)}`,
    );
  }
  const w = new ByteWriter();
  w.u32(0x46554747);
  w.u32(3);
  w.u64(input.tensors.length);
  w.u64(entries.length);
  for (const [key, value] of entries) {
    w.string(key);
    w.u32(TYPE_IDS[value.type]);
    if (value.type === "array") writeArray(w, key, value);
    else writeScalar(w, key, value.type, value.value);
  }
  const tensors: Layout["tensors"] = [];
  let relativeOffset = 0;
  const names = new Set<string>();
  for (const tensor of input.tensors) {
    if (names.has(tensor.name)) throw new GgufError(`duplicate tensor name "${tensor.name}"`);
    names.add(tensor.name);
    if (tensor.shape.length < 1 || tensor.shape.length > 4 || tensor.shape.some((d) => !Number.isInteger(d) || d < 0)) {
      throw new GgufError(
        `tensor "${tensor.name}": expected 1 to 4 non-negative integer dimensions, found [${tensor.shape.join(", ")}]`,
      );
    }
    const elements = tensor.shape.reduce((a, b) => a * b, 1);
    const byteLength = tensorByteLength(tensor.type, elements);
    const blockSize = ggmlTypeInfo(tensor.type)?.blockSize ?? 1;
    if (byteLength === undefined || (tensor.shape[0] ?? 0) % blockSize !== 0) {
      throw new GgufError(
        `tensor "${tensor.name}": row length ${tensor.shape[0] ?? 0} cannot be stored as ${ggmlTypeName(tensor.type)} (block size ${blockSize})`,
      );
    }
    w.string(tensor.name);
    w.u32(tensor.shape.length);
    for (const d of tensor.shape) w.u64(d);
    w.u32(tensor.type);
    w.u64(relativeOffset);
    tensors.push({ tensor, byteLength, relativeOffset });
    relativeOffset += Math.ceil(byteLength / alignment) * alignment;
  }
  w.pad(alignment);
  const header = w.bytes();
  return { header, tensors, alignment, totalSize: header.length + relativeOffset };
}

async function tensorBytes(entry: Layout["tensors"][number]): Promise<Uint8Array> {
  const { tensor, byteLength } = entry;
  const data = typeof tensor.data === "function" ? await tensor.data() : tensor.data;
  if (data.length !== byteLength) {
    throw new GgufError(
      `tensor "${tensor.name}": expected ${byteLength} bytes of ${ggmlTypeName(tensor.type)} data for shape [${tensor.shape.join(", ")}], found ${data.length}`,
    );
  }
  return data;
}

/** Encodes a whole GGUF file in memory (for small files and tests). */
export async function encodeGguf(input: GgufWriteInput): Promise<Uint8Array> {
  const plan = layout(input);
  const out = new Uint8Array(plan.totalSize);
  out.set(plan.header, 0);
  for (const entry of plan.tensors) out.set(await tensorBytes(entry), plan.header.length + entry.relativeOffset);
  return out;
}

/** Progress of {@link writeGguf}: bytes written so far of the whole file, and the tensor just written. */
export interface GgufWriteProgress extends Progress {
  readonly unit: "bytes";
  /** Name of the tensor just written. */
  readonly tensor: string;
}

/** Options for {@link writeGguf}. */
export interface GgufWriteOptions {
  /** Called after each tensor is written (label `writing <file name>`). */
  readonly onProgress?: ProgressCallback<GgufWriteProgress>;
}

/**
 * Writes a GGUF v3 file. The file appears atomically: data goes to a temporary file beside
 * `path`, renamed over it when complete. Returns the file size.
 */
export async function writeGguf(path: string, input: GgufWriteInput, options: GgufWriteOptions = {}): Promise<number> {
  const plan = layout(input);
  const temporary = `${path}.${randomBytes(6).toString("hex")}.tmp`;
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    await mkdir(dirname(path), { recursive: true });
    handle = await open(temporary, "w");
  } catch (error) {
    throw new GgufError(`${path}: cannot write (${(error as NodeJS.ErrnoException).code ?? String(error)})`, {
      cause: error,
    });
  }
  try {
    await handle.write(plan.header, 0, plan.header.length, 0);
    let written = plan.header.length;
    for (const entry of plan.tensors) {
      const data = await tensorBytes(entry);
      const padded = Math.ceil(data.length / plan.alignment) * plan.alignment;
      await handle.write(data, 0, data.length, plan.header.length + entry.relativeOffset);
      if (padded > data.length)
        await handle.write(
          new Uint8Array(padded - data.length),
          0,
          padded - data.length,
          plan.header.length + entry.relativeOffset + data.length,
        );
      written = plan.header.length + entry.relativeOffset + padded;
      options.onProgress?.({
        label: `writing ${basename(path)}`,
        completed: written,
        total: plan.totalSize,
        unit: "bytes",
        tensor: entry.tensor.name,
      });
    }
    await handle.close();
    await rename(temporary, path);
    return plan.totalSize;
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(temporary, { force: true });
    throw error;
  }
}
