/**
 * Dequantisation and quantisation of GGML tensor blocks. Block layouts and rounding follow
 * llama.cpp's reference (`ggml-quants.c`: `dequantize_row_*`, `quantize_row_*_ref`), so a tensor
 * quantised here and dequantised by llama.cpp gives the same numbers.
 */
import { GgufError } from "./errors.js";
import { bf16ToF32, F16_TABLE, f32ToF16 } from "./half.js";
import { GgmlType, ggmlTypeInfo, ggmlTypeName } from "./types.js";

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function half(bytes: Uint8Array, at: number): number {
  return F16_TABLE[(bytes[at] ?? 0) | ((bytes[at + 1] ?? 0) << 8)] ?? 0;
}

/** Scale and min of sub-block `j` of a Q4_K/Q5_K block (llama.cpp `get_scale_min_k4`). */
function scaleMinK4(j: number, s: Uint8Array, at: number): [number, number] {
  const b = (k: number): number => s[at + k] ?? 0;
  if (j < 4) return [b(j) & 63, b(j + 4) & 63];
  return [(b(j + 4) & 0xf) | ((b(j - 4) >> 6) << 4), (b(j + 4) >> 4) | ((b(j) >> 6) << 4)];
}

/**
 * Dequantises `elementCount` elements of `type` from `bytes` into a new Float32Array.
 * @throws GgufError for an unsupported type or too few bytes.
 */
export function dequantize(
  type: number,
  bytes: Uint8Array,
  elementCount: number,
  out = new Float32Array(elementCount),
): Float32Array {
  const info = ggmlTypeInfo(type);
  if (info === undefined) throw new GgufError(`cannot dequantise ${ggmlTypeName(type)}: unknown tensor type`);
  if (elementCount % info.blockSize !== 0) {
    throw new GgufError(
      `cannot dequantise ${info.name}: ${elementCount} elements is not a multiple of the block size ${info.blockSize}`,
    );
  }
  const needed = (elementCount / info.blockSize) * info.typeSize;
  if (bytes.length < needed)
    throw new GgufError(`cannot dequantise ${info.name}: expected ${needed} bytes, found ${bytes.length}`);
  if (out.length < elementCount)
    throw new GgufError(`cannot dequantise ${info.name}: output holds ${out.length} of ${elementCount} elements`);
  const blocks = elementCount / info.blockSize;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const q = bytes;
  switch (type) {
    case GgmlType.F32:
      if (LITTLE_ENDIAN) {
        // One copy of the bytes instead of a DataView read per element (tensors reach 10^8 elements).
        new Uint8Array(out.buffer, out.byteOffset, elementCount * 4).set(bytes.subarray(0, elementCount * 4));
        return out;
      }
      for (let i = 0; i < elementCount; i++) out[i] = view.getFloat32(i * 4, true);
      return out;
    case GgmlType.F16:
      for (let i = 0; i < elementCount; i++) out[i] = F16_TABLE[view.getUint16(i * 2, true)] ?? 0;
      return out;
    case GgmlType.BF16:
      for (let i = 0; i < elementCount; i++) out[i] = bf16ToF32(view.getUint16(i * 2, true));
      return out;
    case GgmlType.Q8_0:
      for (let b = 0; b < blocks; b++) {
        const at = b * 34;
        const d = half(q, at);
        for (let j = 0; j < 32; j++) out[b * 32 + j] = d * view.getInt8(at + 2 + j);
      }
      return out;
    case GgmlType.Q4_0:
    case GgmlType.Q4_1: {
      const hasMin = type === GgmlType.Q4_1;
      const size = hasMin ? 20 : 18;
      const base = hasMin ? 4 : 2;
      for (let b = 0; b < blocks; b++) {
        const at = b * size;
        const d = half(q, at);
        const m = hasMin ? half(q, at + 2) : -8 * d;
        for (let j = 0; j < 16; j++) {
          const byte = q[at + base + j] ?? 0;
          out[b * 32 + j] = Math.fround((byte & 0xf) * d + m);
          out[b * 32 + j + 16] = Math.fround((byte >> 4) * d + m);
        }
      }
      return out;
    }
    case GgmlType.Q5_0:
    case GgmlType.Q5_1: {
      const hasMin = type === GgmlType.Q5_1;
      const size = hasMin ? 24 : 22;
      const qhAt = hasMin ? 4 : 2;
      for (let b = 0; b < blocks; b++) {
        const at = b * size;
        const d = half(q, at);
        const qh = view.getUint32(at + qhAt, true);
        for (let j = 0; j < 16; j++) {
          const byte = q[at + qhAt + 4 + j] ?? 0;
          const x0 = (byte & 0xf) | (((qh >>> j) << 4) & 0x10);
          const x1 = (byte >> 4) | ((qh >>> (j + 12)) & 0x10);
          if (hasMin) {
            const m = half(q, at + 2);
            out[b * 32 + j] = Math.fround(x0 * d + m);
            out[b * 32 + j + 16] = Math.fround(x1 * d + m);
          } else {
            out[b * 32 + j] = (x0 - 16) * d;
            out[b * 32 + j + 16] = (x1 - 16) * d;
          }
        }
      }
      return out;
    }
    case GgmlType.Q4_K:
    case GgmlType.Q5_K: {
      const five = type === GgmlType.Q5_K;
      const size = five ? 176 : 144;
      for (let b = 0; b < blocks; b++) {
        const at = b * size;
        const d = half(q, at);
        const dmin = half(q, at + 2);
        const qhAt = at + 16;
        let qsAt = five ? at + 48 : at + 16;
        let y = b * 256;
        let u1 = 1;
        let u2 = 2;
        for (let j = 0, is = 0; j < 256; j += 64, is += 2) {
          const [sc1, m1] = scaleMinK4(is, q, at + 4);
          const [sc2, m2] = scaleMinK4(is + 1, q, at + 4);
          const d1 = Math.fround(d * sc1);
          const min1 = Math.fround(dmin * m1);
          const d2 = Math.fround(d * sc2);
          const min2 = Math.fround(dmin * m2);
          for (let l = 0; l < 32; l++) {
            const high = five && ((q[qhAt + l] ?? 0) & u1) !== 0 ? 16 : 0;
            out[y++] = Math.fround(d1 * (((q[qsAt + l] ?? 0) & 0xf) + high) - min1);
          }
          for (let l = 0; l < 32; l++) {
            const high = five && ((q[qhAt + l] ?? 0) & u2) !== 0 ? 16 : 0;
            out[y++] = Math.fround(d2 * (((q[qsAt + l] ?? 0) >> 4) + high) - min2);
          }
          qsAt += 32;
          u1 <<= 2;
          u2 <<= 2;
        }
      }
      return out;
    }
    case GgmlType.Q6_K:
      for (let b = 0; b < blocks; b++) {
        const at = b * 210;
        const d = half(q, at + 208);
        let ql = at;
        let qh = at + 128;
        let sc = at + 192;
        for (let n = 0; n < 256; n += 128) {
          const y = b * 256 + n;
          for (let l = 0; l < 32; l++) {
            const is = l >> 4;
            const h = q[qh + l] ?? 0;
            const lo0 = q[ql + l] ?? 0;
            const lo1 = q[ql + l + 32] ?? 0;
            const q1 = ((lo0 & 0xf) | ((h & 3) << 4)) - 32;
            const q2 = ((lo1 & 0xf) | (((h >> 2) & 3) << 4)) - 32;
            const q3 = ((lo0 >> 4) | (((h >> 4) & 3) << 4)) - 32;
            const q4 = ((lo1 >> 4) | (((h >> 6) & 3) << 4)) - 32;
            out[y + l] = Math.fround(d * view.getInt8(sc + is)) * q1;
            out[y + l + 32] = Math.fround(d * view.getInt8(sc + is + 2)) * q2;
            out[y + l + 64] = Math.fround(d * view.getInt8(sc + is + 4)) * q3;
            out[y + l + 96] = Math.fround(d * view.getInt8(sc + is + 6)) * q4;
          }
          ql += 64;
          qh += 32;
          sc += 8;
        }
      }
      return out;
    default:
      throw new GgufError(
        `cannot dequantise ${info.name}: not supported (supported: F32, F16, BF16, Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q4_K, Q5_K, Q6_K)`,
      );
  }
}

/** Tensor types {@link quantize} can write. */
export const QUANTIZABLE_TYPES: readonly number[] = [
  GgmlType.F32,
  GgmlType.F16,
  GgmlType.Q8_0,
  GgmlType.Q4_0,
  GgmlType.Q4_1,
  GgmlType.Q5_0,
  GgmlType.Q5_1,
];

function absMax(x: Float32Array, from: number, count: number): { amax: number; max: number } {
  let amax = 0;
  let max = 0;
  for (let j = 0; j < count; j++) {
    const v = x[from + j] ?? 0;
    if (Math.abs(v) > amax) {
      amax = Math.abs(v);
      max = v;
    }
  }
  return { amax, max };
}

function minMax(x: Float32Array, from: number, count: number): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let j = 0; j < count; j++) {
    const v = x[from + j] ?? 0;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max };
}

function putHalf(out: Uint8Array, at: number, value: number): void {
  const h = f32ToF16(value);
  out[at] = h & 0xff;
  out[at + 1] = h >> 8;
}

/**
 * Quantises `values` to `type` (F32, F16, Q8_0, Q4_0, Q4_1, Q5_0 or Q5_1), rounding as llama.cpp's
 * reference quantisers do.
 * @throws GgufError for another type or a length that is not a whole number of blocks.
 */
export function quantize(type: number, values: Float32Array): Uint8Array {
  const info = ggmlTypeInfo(type);
  if (info === undefined || !QUANTIZABLE_TYPES.includes(type)) {
    throw new GgufError(
      `cannot quantise to ${ggmlTypeName(type)}: supported are F32, F16, Q8_0, Q4_0, Q4_1, Q5_0, Q5_1`,
    );
  }
  const n = values.length;
  if (n % info.blockSize !== 0)
    throw new GgufError(`cannot quantise to ${info.name}: ${n} elements is not a multiple of ${info.blockSize}`);
  const blocks = n / info.blockSize;
  const out = new Uint8Array(blocks * info.typeSize);
  const view = new DataView(out.buffer);
  const f = Math.fround;
  switch (type) {
    case GgmlType.F32:
      for (let i = 0; i < n; i++) view.setFloat32(i * 4, values[i] ?? 0, true);
      return out;
    case GgmlType.F16:
      for (let i = 0; i < n; i++) view.setUint16(i * 2, f32ToF16(values[i] ?? 0), true);
      return out;
    case GgmlType.Q8_0:
      for (let b = 0; b < blocks; b++) {
        const { amax } = absMax(values, b * 32, 32);
        const d = f(amax / 127);
        const id = d !== 0 ? f(1 / d) : 0;
        putHalf(out, b * 34, d);
        for (let j = 0; j < 32; j++) view.setInt8(b * 34 + 2 + j, Math.round(f((values[b * 32 + j] ?? 0) * id)));
      }
      return out;
    case GgmlType.Q4_0:
    case GgmlType.Q5_0: {
      const five = type === GgmlType.Q5_0;
      const size = info.typeSize;
      const levels = five ? 16 : 8;
      for (let b = 0; b < blocks; b++) {
        const at = b * size;
        const { max } = absMax(values, b * 32, 32);
        const d = f(max / -levels);
        const id = d !== 0 ? f(1 / d) : 0;
        putHalf(out, at, d);
        let qh = 0;
        for (let j = 0; j < 16; j++) {
          const x0 = f((values[b * 32 + j] ?? 0) * id);
          const x1 = f((values[b * 32 + j + 16] ?? 0) * id);
          const top = 2 * levels - 1;
          const xi0 = Math.min(top, Math.trunc(f(x0 + levels + 0.5)));
          const xi1 = Math.min(top, Math.trunc(f(x1 + levels + 0.5)));
          out[at + (five ? 6 : 2) + j] = (xi0 & 0xf) | ((xi1 & 0xf) << 4);
          if (five) qh |= (((xi0 & 0x10) >> 4) << j) | (((xi1 & 0x10) >> 4) << (j + 16));
        }
        if (five) view.setUint32(at + 2, qh >>> 0, true);
      }
      return out;
    }
    case GgmlType.Q4_1:
    case GgmlType.Q5_1: {
      const five = type === GgmlType.Q5_1;
      const size = info.typeSize;
      const top = five ? 31 : 15;
      for (let b = 0; b < blocks; b++) {
        const at = b * size;
        const { min, max } = minMax(values, b * 32, 32);
        const d = f((max - min) / top);
        const id = d !== 0 ? f(1 / d) : 0;
        putHalf(out, at, d);
        putHalf(out, at + 2, min);
        let qh = 0;
        for (let j = 0; j < 16; j++) {
          const x0 = f(((values[b * 32 + j] ?? 0) - min) * id);
          const x1 = f(((values[b * 32 + j + 16] ?? 0) - min) * id);
          const xi0 = Math.min(top, Math.trunc(f(x0 + 0.5)));
          const xi1 = Math.min(top, Math.trunc(f(x1 + 0.5)));
          out[at + (five ? 8 : 4) + j] = (xi0 & 0xf) | ((xi1 & 0xf) << 4);
          if (five) qh |= (((xi0 & 0x10) >> 4) << j) | (((xi1 & 0x10) >> 4) << (j + 16));
        }
        if (five) view.setUint32(at + 4, qh >>> 0, true);
      }
      return out;
    }
    default:
      throw new GgufError(`cannot quantise to ${info.name}`);
  }
}
