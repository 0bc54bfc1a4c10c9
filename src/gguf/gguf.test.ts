import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  dequantize,
  encodeGguf,
  f16ToF32,
  f32ToF16,
  GgmlType,
  GgufError,
  GgufFile,
  gv,
  quantize,
  QUANTIZABLE_TYPES,
  writeGguf,
  type GgufValue,
} from "./index.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "medsim-gguf-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const metadata = new Map<string, GgufValue>([
  ["general.architecture", gv.str("llama")],
  ["general.alignment", gv.u32(64)],
  ["t.u8", gv.u8(250)],
  ["t.i8", gv.i8(-100)],
  ["t.u16", gv.u16(65000)],
  ["t.i16", gv.i16(-32000)],
  ["t.u32", gv.u32(4_000_000_000)],
  ["t.i32", gv.i32(-2_000_000_000)],
  ["t.f32", gv.f32(0.5)],
  ["t.f64", gv.f64(Math.PI)],
  ["t.u64", gv.u64(2n ** 63n + 5n)],
  ["t.i64", gv.i64(-(2n ** 62n))],
  ["t.bool", gv.bool(true)],
  ["t.str", gv.str("ümlaut ✓ 中文")],
  ["t.arr.str", gv.arr("string", ["a", "", "bc"])],
  ["t.arr.i32", gv.arr("int32", [1, -2, 3])],
  [
    "t.arr.nested",
    gv.arr("array", [
      { type: "array", itemType: "uint8", value: [1, 2] },
      { type: "array", itemType: "bool", value: [false] },
    ]),
  ],
  ["t.arr.empty", gv.arr("float32", [])],
]);

function ramp(n: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37) * (1 + (i % 7)));
}

describe("GGUF writer and reader", () => {
  it("round-trips every metadata type, alignment and tensors of each writable type", async () => {
    const values = ramp(64 * 3);
    const types = QUANTIZABLE_TYPES;
    const path = join(dir, "roundtrip.gguf");
    const size = await writeGguf(path, {
      metadata,
      tensors: types.map((type, i) => ({ name: `t${i}`, shape: [64, 3], type, data: () => quantize(type, values) })),
    });
    expect((await stat(path)).size).toBe(size);
    const file = GgufFile.open(path);
    try {
      expect(file.version).toBe(3);
      expect(file.alignment).toBe(64);
      expect(file.dataOffset % 64).toBe(0);
      for (const [key, value] of metadata) expect(file.get(key), key).toEqual(value);
      expect(file.getNumber("t.u64")).toBe(Number(2n ** 63n + 5n));
      for (const [i, type] of types.entries()) {
        const info = file.tensor(`t${i}`);
        expect(info?.type).toBe(type);
        expect(info?.shape).toEqual([64, 3]);
        expect((info?.relativeOffset ?? 1) % 64).toBe(0);
        const back = file.readTensor(`t${i}`);
        // Error bound per format: half a quantisation step of the block's range.
        const bound =
          {
            [GgmlType.F32]: 0,
            [GgmlType.F16]: 4e-3,
            [GgmlType.Q8_0]: 7 / 254 + 1e-2,
            [GgmlType.Q4_0]: 7 / 8 + 1e-2,
            [GgmlType.Q4_1]: 14 / 30 + 1e-2,
            [GgmlType.Q5_0]: 7 / 16 + 1e-2,
            [GgmlType.Q5_1]: 14 / 62 + 1e-2,
          }[type] ?? 0;
        for (let j = 0; j < values.length; j++)
          expect(Math.abs((back[j] ?? NaN) - (values[j] ?? 0)), `${type} at ${j}`).toBeLessThanOrEqual(bound);
      }
    } finally {
      file.close();
    }
    const bytes = await encodeGguf({
      metadata,
      tensors: types.map((type, i) => ({ name: `t${i}`, shape: [64, 3], type, data: quantize(type, values) })),
    });
    expect(Buffer.from(bytes).equals(await readFile(path))).toBe(true);
  });

  it("dequantises hand-made blocks exactly", () => {
    // Q8_0: d = 0.5, qs = -3, 4, 0…
    const q8 = new Uint8Array(34);
    q8.set([0x00, 0x38], 0); // 0.5 in half precision
    q8[2] = 0xfd;
    q8[3] = 4;
    expect([...dequantize(GgmlType.Q8_0, q8, 32).slice(0, 3)]).toEqual([-1.5, 2, 0]);
    // Q4_0: d = 1, first byte 0x9f → element 0 = 15 - 8, element 16 = 9 - 8.
    const q4 = new Uint8Array(18);
    q4.set([0x00, 0x3c, 0x9f], 0);
    const d4 = dequantize(GgmlType.Q4_0, q4, 32);
    expect([d4[0], d4[16], d4[1]]).toEqual([7, 1, -8]);
    // Q5_0: d = 1, qh bit 0 set → element 0 gets +16; element 16 uses bit 16.
    const q5 = new Uint8Array(22);
    q5.set([0x00, 0x3c, 0x01, 0x00, 0x01, 0x00, 0x21], 0);
    const d5 = dequantize(GgmlType.Q5_0, q5, 32);
    expect([d5[0], d5[16]]).toEqual([1 + 16 - 16, 2 + 16 - 16]);
    // BF16: 0x3fc0 = 1.5.
    expect([...dequantize(GgmlType.BF16, Uint8Array.from([0xc0, 0x3f]), 1)]).toEqual([1.5]);
  });

  it("converts half precision exactly for every bit pattern that is not NaN", () => {
    for (let h = 0; h < 65536; h++) {
      const v = f16ToF32(h);
      if (Number.isNaN(v)) continue;
      expect(f32ToF16(v), `0x${h.toString(16)}`).toBe(h);
    }
  });

  it("rejects bad input with one-line errors naming the place", async () => {
    expect(() => GgufFile.fromBytes(new Uint8Array(3))).toThrow(
      /truncated file: expected 4 bytes for magic at offset 0/,
    );
    expect(() => GgufFile.fromBytes(new TextEncoder().encode("GGML0000"))).toThrow(/not a GGUF file/);
    expect(() => GgufFile.open(join(dir, "missing.gguf"))).toThrow(/file not found/);
    expect(() => GgufFile.open(dir)).toThrow(/not a regular file/);
    await expect(writeGguf(join(dir, "new-folder", "x.gguf"), { metadata, tensors: [] })).resolves.toBeGreaterThan(0);
    await writeGguf(join(dir, "blocker"), { metadata, tensors: [] });
    await expect(writeGguf(join(dir, "blocker", "x.gguf"), { metadata, tensors: [] })).rejects.toThrow(
      /cannot write \(E/,
    );
    const good = await encodeGguf({
      metadata,
      tensors: [{ name: "w", shape: [32, 2], type: GgmlType.Q8_0, data: quantize(GgmlType.Q8_0, ramp(64)) }],
    });
    expect(() => GgufFile.fromBytes(good.subarray(0, good.length - 70))).toThrow(/tensor "w" needs bytes/);
    await expect(
      encodeGguf({ metadata, tensors: [{ name: "w", shape: [30], type: GgmlType.Q8_0, data: new Uint8Array(0) }] }),
    ).rejects.toThrow(GgufError);
    await expect(
      encodeGguf({ metadata, tensors: [{ name: "w", shape: [32], type: GgmlType.F32, data: new Uint8Array(4) }] }),
    ).rejects.toThrow(/expected 128 bytes/);
    expect(() => quantize(GgmlType.Q6_K, ramp(256))).toThrow(GgufError);
  });
});
