/**
 * The safetensors container (Hugging Face): an 8-byte little-endian header length N, N bytes of
 * JSON `{ name: { dtype, shape, data_offsets: [begin, end] }, "__metadata__": {...} }` (padded
 * with spaces to a multiple of 8, as the reference writer does), then the raw little-endian
 * tensor bytes, offsets relative to the end of the header.
 */
import { bf16ToF32, f16ToF32, f32ToF16 } from "../gguf/index.js";
import { AdapterError } from "./errors.js";

/** Float dtypes this module reads; it writes F32 and F16. */
export type SafetensorsDtype = "F32" | "F16" | "BF16";

/** A tensor to write or as read: values as float32, row-major. */
export interface SafeTensor {
  readonly dtype: SafetensorsDtype;
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

const BYTES: Record<SafetensorsDtype, number> = { F32: 4, F16: 2, BF16: 2 };

function encodeValues(dtype: SafetensorsDtype, data: Float32Array): Uint8Array {
  if (dtype === "F32") return new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
  if (dtype === "F16") {
    const out = new Uint8Array(data.length * 2);
    const view = new DataView(out.buffer);
    data.forEach((v, i) => view.setUint16(i * 2, f32ToF16(v), true));
    return out;
  }
  throw new AdapterError(`safetensors: writing ${dtype} is not supported (use F32 or F16)`);
}

/**
 * Encodes tensors as a safetensors file image. Tensors are laid out in name order (the header
 * keys too), so the output is deterministic.
 */
export function encodeSafetensors(
  tensors: ReadonlyMap<string, SafeTensor>,
  metadata: Readonly<Record<string, string>> = {},
): Uint8Array {
  const names = [...tensors.keys()].sort();
  const header: Record<string, unknown> = { __metadata__: metadata };
  const parts: Uint8Array[] = [];
  let offset = 0;
  for (const name of names) {
    const tensor = tensors.get(name);
    if (tensor === undefined) continue;
    const count = tensor.shape.reduce((a, b) => a * b, 1);
    if (count !== tensor.data.length)
      throw new AdapterError(
        `safetensors: tensor "${name}": shape [${tensor.shape.join(", ")}] needs ${count} values, found ${tensor.data.length}`,
      );
    const bytes = encodeValues(tensor.dtype, tensor.data);
    header[name] = { dtype: tensor.dtype, shape: tensor.shape, data_offsets: [offset, offset + bytes.length] };
    parts.push(bytes);
    offset += bytes.length;
  }
  let json = JSON.stringify(header);
  json += " ".repeat((8 - (Buffer.byteLength(json) % 8)) % 8);
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** A parsed safetensors file: tensors as float32 and the `__metadata__` strings. */
export interface DecodedSafetensors {
  readonly tensors: Map<string, SafeTensor>;
  readonly metadata: Readonly<Record<string, string>>;
}

/**
 * Decodes a safetensors image; every length and offset is checked.
 * @throws AdapterError naming `source` and the tensor at fault.
 */
export function decodeSafetensors(bytes: Uint8Array, source: string): DecodedSafetensors {
  if (bytes.length < 8) throw new AdapterError(`${source}: not a safetensors file (${bytes.length} bytes)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getBigUint64(0, true);
  if (headerLength > BigInt(bytes.length - 8))
    throw new AdapterError(
      `${source}: header length ${headerLength} is past the end of the file (${bytes.length} bytes)`,
    );
  const dataStart = 8 + Number(headerLength);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, dataStart)));
  } catch (error) {
    throw new AdapterError(`${source}: header is not valid JSON (${(error as Error).message})`, { cause: error });
  }
  if (typeof header !== "object" || header === null || Array.isArray(header))
    throw new AdapterError(`${source}: header is not a JSON object`);
  const tensors = new Map<string, SafeTensor>();
  let metadata: Record<string, string> = {};
  const dataLength = bytes.length - dataStart;
  for (const [name, entry] of Object.entries(header as Record<string, unknown>)) {
    if (name === "__metadata__") {
      metadata = Object.fromEntries(
        Object.entries((entry ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)]),
      );
      continue;
    }
    const {
      dtype,
      shape,
      data_offsets: offsets,
    } = (entry ?? {}) as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (dtype !== "F32" && dtype !== "F16" && dtype !== "BF16")
      throw new AdapterError(`${source}: tensor "${name}": dtype ${String(dtype)} is not supported (F32, F16, BF16)`);
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0))
      throw new AdapterError(`${source}: tensor "${name}": invalid shape`);
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((d) => Number.isInteger(d) && d >= 0))
      throw new AdapterError(`${source}: tensor "${name}": invalid data_offsets`);
    const [begin, end] = offsets as [number, number];
    const count = (shape as number[]).reduce((a, b) => a * b, 1);
    if (end < begin || end > dataLength || end - begin !== count * BYTES[dtype]) {
      throw new AdapterError(
        `${source}: tensor "${name}": data_offsets [${begin}, ${end}] do not hold ${count} ${dtype} values within ${dataLength} data bytes`,
      );
    }
    const data = new Float32Array(count);
    const base = dataStart + begin;
    for (let i = 0; i < count; i++) {
      data[i] =
        dtype === "F32"
          ? view.getFloat32(base + i * 4, true)
          : dtype === "F16"
            ? f16ToF32(view.getUint16(base + i * 2, true))
            : bf16ToF32(view.getUint16(base + i * 2, true));
    }
    tensors.set(name, { dtype, shape: shape as number[], data });
  }
  return { tensors, metadata };
}
