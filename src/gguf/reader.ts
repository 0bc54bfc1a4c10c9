/**
 * GGUF reader (versions 2 and 3). Parses the header, metadata and tensor infos with every length
 * and count checked against the bytes that are actually there, so corrupt or truncated input
 * fails fast with a {@link GgufError} instead of allocating, looping or crashing.
 */
import { GgufError } from "./errors.js";
import { dequantize } from "./quant.js";
import { bufferSource, fileSource, type ByteSource } from "./source.js";
import {
  type GgufArrayValue,
  type GgufScalarTypeName,
  type GgufTensorInfo,
  type GgufValue,
  ggmlTypeInfo,
  ggmlTypeName,
} from "./types.js";

const MAGIC = 0x46554747; // "GGUF" little-endian
const MAX_DIMS = 4; // GGML_MAX_DIMS
const MAX_ARRAY_DEPTH = 8;
const WINDOW = 1 << 20;

const TYPE_NAMES: readonly (GgufScalarTypeName | "array")[] = [
  "uint8",
  "int8",
  "uint16",
  "int16",
  "uint32",
  "int32",
  "float32",
  "bool",
  "string",
  "array",
  "uint64",
  "int64",
  "float64",
];
/** Smallest encoded size of one value of each type (a string is at least its 8-byte length). */
const MIN_SIZE: Record<GgufScalarTypeName | "array", number> = {
  uint8: 1,
  int8: 1,
  uint16: 2,
  int16: 2,
  uint32: 4,
  int32: 4,
  float32: 4,
  bool: 1,
  string: 8,
  array: 12,
  uint64: 8,
  int64: 8,
  float64: 8,
};

/** Sequential reads over a source through a window, with bounds checks that name what was being read. */
class Cursor {
  pos = 0;
  private window: Uint8Array = new Uint8Array(0);
  private windowStart = 0;
  private view = new DataView(this.window.buffer);
  private readonly decoder = new TextDecoder("utf-8", { fatal: false });

  constructor(private readonly source: ByteSource) {}

  get remaining(): number {
    return this.source.size - this.pos;
  }

  /** Makes `n` bytes at `pos` available; returns their offset within the window. */
  private take(n: number, what: string): number {
    if (n > this.remaining) {
      throw new GgufError(
        `truncated file: expected ${n} bytes for ${what} at offset ${this.pos}, found ${Math.max(0, this.remaining)}`,
        { offset: this.pos },
      );
    }
    const end = this.windowStart + this.window.length;
    if (this.pos < this.windowStart || this.pos + n > end) {
      const length = Math.min(Math.max(n, WINDOW), this.source.size - this.pos);
      this.window = this.source.read(this.pos, length);
      this.windowStart = this.pos;
      this.view = new DataView(this.window.buffer, this.window.byteOffset, this.window.byteLength);
    }
    const at = this.pos - this.windowStart;
    this.pos += n;
    return at;
  }

  u8(what: string): number {
    const at = this.take(1, what);
    return this.view.getUint8(at);
  }
  i8(what: string): number {
    const at = this.take(1, what);
    return this.view.getInt8(at);
  }
  u16(what: string): number {
    const at = this.take(2, what);
    return this.view.getUint16(at, true);
  }
  i16(what: string): number {
    const at = this.take(2, what);
    return this.view.getInt16(at, true);
  }
  u32(what: string): number {
    const at = this.take(4, what);
    return this.view.getUint32(at, true);
  }
  i32(what: string): number {
    const at = this.take(4, what);
    return this.view.getInt32(at, true);
  }
  f32(what: string): number {
    const at = this.take(4, what);
    return this.view.getFloat32(at, true);
  }
  f64(what: string): number {
    const at = this.take(8, what);
    return this.view.getFloat64(at, true);
  }
  u64(what: string): bigint {
    const at = this.take(8, what);
    return this.view.getBigUint64(at, true);
  }
  i64(what: string): bigint {
    const at = this.take(8, what);
    return this.view.getBigInt64(at, true);
  }

  /** A u64 count or size that must fit in the remaining bytes when each unit takes `unitSize` bytes. */
  count(what: string, unitSize: number): number {
    const at = this.pos;
    const value = this.u64(what);
    if (value > BigInt(Math.floor(this.remaining / unitSize))) {
      throw new GgufError(
        `invalid ${what} at offset ${at}: ${value} needs at least ${value * BigInt(unitSize)} bytes, only ${this.remaining} remain`,
        { offset: at },
      );
    }
    return Number(value);
  }

  string(what: string): string {
    const length = this.count(`length of ${what}`, 1);
    if (length > WINDOW) {
      // Rare long strings (chat templates are a few KB): read them directly.
      const bytes = this.source.read(this.pos, length);
      this.pos += length;
      return this.decoder.decode(bytes);
    }
    const at = this.take(length, what);
    return this.decoder.decode(this.window.subarray(at, at + length));
  }
}

function readValue(cursor: Cursor, typeId: number, key: string, depth: number): GgufValue {
  const at = cursor.pos;
  const type = TYPE_NAMES[typeId];
  if (type === undefined)
    throw new GgufError(`metadata "${key}": unknown value type ${typeId} at offset ${at - 4}`, { offset: at - 4 });
  switch (type) {
    case "uint8":
      return { type, value: cursor.u8(key) };
    case "int8":
      return { type, value: cursor.i8(key) };
    case "uint16":
      return { type, value: cursor.u16(key) };
    case "int16":
      return { type, value: cursor.i16(key) };
    case "uint32":
      return { type, value: cursor.u32(key) };
    case "int32":
      return { type, value: cursor.i32(key) };
    case "float32":
      return { type, value: cursor.f32(key) };
    case "float64":
      return { type, value: cursor.f64(key) };
    case "uint64":
      return { type, value: cursor.u64(key) };
    case "int64":
      return { type, value: cursor.i64(key) };
    case "bool": {
      const byte = cursor.u8(key);
      if (byte > 1)
        throw new GgufError(`metadata "${key}": expected bool 0 or 1 at offset ${at}, found ${byte}`, { offset: at });
      return { type, value: byte === 1 };
    }
    case "string":
      return { type, value: cursor.string(`metadata "${key}"`) };
    case "array":
      return readArray(cursor, key, depth);
  }
}

function readArray(cursor: Cursor, key: string, depth: number): GgufArrayValue {
  const at = cursor.pos;
  if (depth >= MAX_ARRAY_DEPTH)
    throw new GgufError(`metadata "${key}": arrays nested deeper than ${MAX_ARRAY_DEPTH} at offset ${at}`, {
      offset: at,
    });
  const itemTypeId = cursor.u32(`item type of "${key}"`);
  const itemType = TYPE_NAMES[itemTypeId];
  if (itemType === undefined)
    throw new GgufError(`metadata "${key}": unknown array item type ${itemTypeId} at offset ${at}`, { offset: at });
  const count = cursor.count(`item count of "${key}"`, MIN_SIZE[itemType]);
  const items: GgufArrayValue["value"][number][] = new Array<GgufArrayValue["value"][number]>(count);
  if (itemType === "string") {
    for (let i = 0; i < count; i++) items[i] = cursor.string(`"${key}"[${i}]`);
  } else if (itemType === "array") {
    for (let i = 0; i < count; i++) items[i] = readArray(cursor, `${key}[${i}]`, depth + 1);
  } else {
    for (let i = 0; i < count; i++) {
      const value = readValue(cursor, itemTypeId, key, depth);
      items[i] = value.value as number | bigint | boolean;
    }
  }
  return { type: "array", itemType, value: items };
}

/** The parsed header of a GGUF file. */
export interface GgufHeader {
  readonly version: number;
  readonly metadata: ReadonlyMap<string, GgufValue>;
  readonly tensors: readonly GgufTensorInfo[];
  readonly alignment: number;
  /** Absolute offset of the tensor data section. */
  readonly dataOffset: number;
  /** Total file size. */
  readonly fileSize: number;
}

/** Parses the header of a GGUF file from a byte source. */
export function parseGgufHeader(source: ByteSource): GgufHeader {
  const cursor = new Cursor(source);
  const magic = cursor.u32("magic");
  if (magic !== MAGIC) {
    throw new GgufError(
      `not a GGUF file: expected magic "GGUF" at offset 0, found 0x${magic.toString(16).padStart(8, "0")}`,
      { offset: 0 },
    );
  }
  const version = cursor.u32("version");
  if (version !== 2 && version !== 3)
    throw new GgufError(`unsupported GGUF version: expected 2 or 3 at offset 4, found ${version}`, { offset: 4 });
  // Smallest tensor info: name length (8) + dims count (4) + type (4) + offset (8).
  const tensorCount = cursor.count("tensor count", 24);
  // Smallest key/value: key length (8) + type (4) + one byte.
  const kvCount = cursor.count("metadata count", 13);
  const metadata = new Map<string, GgufValue>();
  for (let i = 0; i < kvCount; i++) {
    const key = cursor.string(`key of metadata entry ${i}`);
    const typeId = cursor.u32(`type of metadata "${key}"`);
    const value = readValue(cursor, typeId, key, 0);
    if (metadata.has(key))
      throw new GgufError(`duplicate metadata key "${key}" before offset ${cursor.pos}`, { offset: cursor.pos });
    metadata.set(key, value);
  }
  let alignment = 32;
  const alignmentValue = metadata.get("general.alignment");
  if (alignmentValue !== undefined) {
    const value = alignmentValue.value;
    if (alignmentValue.type !== "uint32" || typeof value !== "number" || value === 0 || (value & (value - 1)) !== 0) {
      throw new GgufError(
        `metadata "general.alignment": expected a uint32 power of two, found ${alignmentValue.type} ${String(value)}`,
      );
    }
    alignment = value;
  }
  const raw: { name: string; shape: number[]; type: number; relativeOffset: number; at: number }[] = [];
  const names = new Set<string>();
  for (let i = 0; i < tensorCount; i++) {
    const at = cursor.pos;
    const name = cursor.string(`name of tensor ${i}`);
    if (names.has(name)) throw new GgufError(`duplicate tensor name "${name}" at offset ${at}`, { offset: at });
    names.add(name);
    const dims = cursor.u32(`dimension count of tensor "${name}"`);
    if (dims < 1 || dims > MAX_DIMS)
      throw new GgufError(
        `tensor "${name}": expected 1 to ${MAX_DIMS} dimensions at offset ${cursor.pos - 4}, found ${dims}`,
        { offset: cursor.pos - 4 },
      );
    const shape: number[] = [];
    let elements = 1;
    for (let d = 0; d < dims; d++) {
      const dimAt = cursor.pos;
      const size = cursor.u64(`dimension ${d} of tensor "${name}"`);
      if (size > BigInt(Number.MAX_SAFE_INTEGER))
        throw new GgufError(`tensor "${name}": dimension ${d} at offset ${dimAt} is too large (${size})`, {
          offset: dimAt,
        });
      shape.push(Number(size));
      elements *= Number(size);
      if (elements > Number.MAX_SAFE_INTEGER)
        throw new GgufError(`tensor "${name}": element count overflows at offset ${dimAt}`, { offset: dimAt });
    }
    const typeAt = cursor.pos;
    const type = cursor.u32(`type of tensor "${name}"`);
    if (ggmlTypeInfo(type) === undefined)
      throw new GgufError(`tensor "${name}": unknown tensor type ${type} at offset ${typeAt}`, { offset: typeAt });
    const offsetAt = cursor.pos;
    const relative = cursor.u64(`data offset of tensor "${name}"`);
    if (relative > BigInt(source.size))
      throw new GgufError(
        `tensor "${name}": data offset ${relative} (read at offset ${offsetAt}) is past the end of the file (${source.size} bytes)`,
        { offset: offsetAt },
      );
    raw.push({ name, shape, type, relativeOffset: Number(relative), at: offsetAt });
  }
  const dataOffset = Math.ceil(cursor.pos / alignment) * alignment;
  const tensors: GgufTensorInfo[] = raw.map(({ name, shape, type, relativeOffset, at }) => {
    const info = ggmlTypeInfo(type);
    const elementCount = shape.reduce((a, b) => a * b, 1);
    const rowLength = shape[0] ?? 1;
    if (info === undefined || rowLength % info.blockSize !== 0) {
      throw new GgufError(
        `tensor "${name}": row length ${rowLength} is not a multiple of the ${ggmlTypeName(type)} block size ${info?.blockSize ?? "?"}`,
        { offset: at },
      );
    }
    if (relativeOffset % alignment !== 0) {
      throw new GgufError(
        `tensor "${name}": data offset ${relativeOffset} (read at offset ${at}) is not a multiple of the alignment ${alignment}`,
        { offset: at },
      );
    }
    const byteLength = (elementCount / info.blockSize) * info.typeSize;
    const offset = dataOffset + relativeOffset;
    if (offset + byteLength > source.size) {
      throw new GgufError(
        `truncated file: tensor "${name}" needs bytes ${offset}..${offset + byteLength}, file has ${source.size}`,
        { offset },
      );
    }
    return { name, shape, type, relativeOffset, offset, elementCount, byteLength };
  });
  return { version, metadata, tensors, alignment, dataOffset, fileSize: source.size };
}

/**
 * An open GGUF file: header parsed, tensor data read on demand at its offsets.
 * Call {@link GgufFile.close} when done (file-backed instances hold a descriptor).
 */
export class GgufFile implements GgufHeader {
  readonly version: number;
  readonly metadata: ReadonlyMap<string, GgufValue>;
  readonly tensors: readonly GgufTensorInfo[];
  readonly alignment: number;
  readonly dataOffset: number;
  readonly fileSize: number;
  private readonly byName: Map<string, GgufTensorInfo>;

  private constructor(
    private readonly source: ByteSource,
    /** The file's path (`undefined` for bytes in memory); it starts the message of every error. */
    readonly path?: string,
  ) {
    let header: GgufHeader;
    try {
      header = parseGgufHeader(source);
    } catch (error) {
      source.close();
      throw error;
    }
    this.version = header.version;
    this.metadata = header.metadata;
    this.tensors = header.tensors;
    this.alignment = header.alignment;
    this.dataOffset = header.dataOffset;
    this.fileSize = header.fileSize;
    this.byName = new Map(this.tensors.map((t) => [t.name, t]));
  }

  /** Opens a file; only the header is read now. */
  static open(path: string): GgufFile {
    try {
      return new GgufFile(fileSource(path), path);
    } catch (error) {
      if (error instanceof GgufError)
        throw new GgufError(`${path}: ${error.message.replace(`${path}: `, "")}`, {
          offset: error.offset,
          cause: error,
        });
      throw error;
    }
  }

  /** Parses a GGUF image held in memory. */
  static fromBytes(bytes: Uint8Array): GgufFile {
    return new GgufFile(bufferSource(bytes));
  }

  /** Releases the file descriptor. */
  close(): void {
    this.source.close();
  }

  /** The tensor info for `name`, or `undefined`. */
  tensor(name: string): GgufTensorInfo | undefined {
    return this.byName.get(name);
  }

  /** The raw (possibly quantised) bytes of a tensor. */
  readTensorBytes(name: string): Uint8Array {
    const info = this.requireTensor(name);
    return this.source.read(info.offset, info.byteLength);
  }

  /** A tensor dequantised to float32, in GGML order (row-major with `shape[0]` the row length). */
  readTensor(name: string): Float32Array {
    const info = this.requireTensor(name);
    try {
      return dequantize(info.type, this.readTensorBytes(name), info.elementCount);
    } catch (error) {
      if (error instanceof GgufError)
        throw this.error(`tensor "${name}" at offset ${info.offset}: ${this.withoutPath(error.message)}`, {
          offset: info.offset,
          cause: error,
        });
      throw error;
    }
  }

  /** A {@link GgufError} whose message starts with the file's path, so callers need not re-wrap it. */
  private error(message: string, options?: { offset?: number; cause?: unknown }): GgufError {
    return new GgufError(this.path === undefined ? message : `${this.path}: ${message}`, options);
  }

  private withoutPath(message: string): string {
    return this.path !== undefined && message.startsWith(`${this.path}: `)
      ? message.slice(this.path.length + 2)
      : message;
  }

  private requireTensor(name: string): GgufTensorInfo {
    const info = this.byName.get(name);
    if (info === undefined) throw this.error(`tensor "${name}" not found (file has ${this.tensors.length} tensors)`);
    return info;
  }

  /** A metadata value, or `undefined`. */
  get(key: string): GgufValue | undefined {
    return this.metadata.get(key);
  }

  /** A string metadata value; throws if present with another type, returns `undefined` if absent. */
  getString(key: string): string | undefined {
    const value = this.metadata.get(key);
    if (value === undefined) return undefined;
    if (value.type !== "string") throw this.error(`metadata "${key}": expected string, found ${value.type}`);
    return value.value;
  }

  /** A numeric metadata value (any integer or float type); throws if present with another type. */
  getNumber(key: string): number | undefined {
    const value = this.metadata.get(key);
    if (value === undefined) return undefined;
    if (typeof value.value === "number") return value.value;
    if (typeof value.value === "bigint") return Number(value.value);
    throw this.error(`metadata "${key}": expected a number, found ${value.type}`);
  }

  /** A boolean metadata value; throws if present with another type. */
  getBool(key: string): boolean | undefined {
    const value = this.metadata.get(key);
    if (value === undefined) return undefined;
    if (value.type !== "bool") throw this.error(`metadata "${key}": expected bool, found ${value.type}`);
    return value.value;
  }

  /** An array metadata value; throws if present with another type. */
  getArray(key: string): GgufArrayValue | undefined {
    const value = this.metadata.get(key);
    if (value === undefined) return undefined;
    if (value.type !== "array") throw this.error(`metadata "${key}": expected array, found ${value.type}`);
    return value;
  }
}
