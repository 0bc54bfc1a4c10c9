/** IEEE half-precision and bfloat16 conversions, bit-exact with ggml's reference conversions. */

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Half-precision bits to a number. */
export function f16ToF32(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const mantissa = h & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 31) return mantissa === 0 ? sign * Infinity : NaN;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

/** A lookup table of all 65536 half values: dequantisation does one load per element. */
export const F16_TABLE: Float32Array = (() => {
  const table = new Float32Array(65536);
  for (let i = 0; i < 65536; i++) table[i] = f16ToF32(i);
  return table;
})();

/** A number to half-precision bits, rounding to nearest even (as ggml's `GGML_FP32_TO_FP16`). */
export function f32ToF16(value: number): number {
  f32[0] = value;
  const x = u32[0] ?? 0;
  const sign = (x >>> 16) & 0x8000;
  const exponent = (x >>> 23) & 0xff;
  let mantissa = x & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa !== 0 ? 0x200 : 0);
  const e = exponent - 127 + 15;
  if (e >= 31) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mantissa |= 0x800000;
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    let result = mantissa >>> shift;
    const rest = mantissa & ((1 << shift) - 1);
    if (rest > half || (rest === half && (result & 1) !== 0)) result++;
    return sign | result;
  }
  let result = (e << 10) | (mantissa >>> 13);
  const rest = mantissa & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && (result & 1) !== 0)) result++;
  return sign | result;
}

/** Rounds a number through half precision. */
export function roundF16(value: number): number {
  return F16_TABLE[f32ToF16(value)] ?? NaN;
}

/** bfloat16 bits to a number. */
export function bf16ToF32(h: number): number {
  u32[0] = h << 16;
  return f32[0] ?? NaN;
}
