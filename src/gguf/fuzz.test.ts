import { describe, expect, it } from "vitest";
import { createRandom } from "../util/random.js";
import { encodeGguf, GgmlType, GgufError, GgufFile, gv, quantize } from "./index.js";

async function sample(): Promise<Uint8Array> {
  const values = Float32Array.from({ length: 256 }, (_, i) => Math.cos(i));
  return encodeGguf({
    metadata: new Map([
      ["general.architecture", gv.str("llama")],
      ["a.count", gv.u64(7)],
      ["a.scale", gv.f32(1.5)],
      ["a.flag", gv.bool(false)],
      ["a.tokens", gv.arr("string", ["x", "yy", "zzz", "<|im_end|>"])],
      ["a.types", gv.arr("int32", [1, 1, 3, 3])],
      ["a.nested", gv.arr("array", [{ type: "array", itemType: "uint16", value: [1, 2, 3] }])],
    ]),
    tensors: [
      { name: "f32", shape: [256], type: GgmlType.F32, data: quantize(GgmlType.F32, values) },
      { name: "q8", shape: [64, 4], type: GgmlType.Q8_0, data: quantize(GgmlType.Q8_0, values) },
      { name: "q5", shape: [32, 8], type: GgmlType.Q5_0, data: quantize(GgmlType.Q5_0, values) },
      { name: "f16", shape: [128, 2], type: GgmlType.F16, data: quantize(GgmlType.F16, values) },
      { name: "k6", shape: [256], type: GgmlType.Q6_K, data: new Uint8Array(210).fill(0x11) },
    ],
  });
}

/** Parses and reads every tensor; only a GgufError may come out. */
function exercise(bytes: Uint8Array): "ok" | "error" {
  try {
    const file = GgufFile.fromBytes(bytes);
    for (const t of file.tensors) file.readTensor(t.name);
    return "ok";
  } catch (error) {
    if (error instanceof GgufError) return "error";
    throw new Error(`not a GgufError: ${String(error)}`, { cause: error });
  }
}

describe("GGUF reader fuzzing", () => {
  it("reads the unmodified sample", async () => {
    expect(exercise(await sample())).toBe("ok");
  });

  it("every truncation fails with a GgufError", async () => {
    const bytes = await sample();
    const header = GgufFile.fromBytes(bytes);
    // Bytes past the last tensor are alignment padding: cutting them loses nothing.
    const end = Math.max(...header.tensors.map((t) => t.offset + t.byteLength));
    expect(exercise(bytes.subarray(0, end))).toBe("ok");
    for (let length = 0; length < end; length++) {
      expect(exercise(bytes.subarray(0, length)), `length ${length}`).toBe("error");
    }
  });

  it("bit flips and overwritten fields give a result or a GgufError, never a crash or a hang", async () => {
    const original = await sample();
    const random = createRandom(12345);
    const outcomes = { ok: 0, error: 0 };
    const started = performance.now();
    for (let iteration = 0; iteration < 3000; iteration++) {
      const bytes = Uint8Array.from(original);
      const mode = iteration % 3;
      if (mode === 0) {
        for (let f = 0; f < 1 + Math.floor(random() * 4); f++) {
          const at = Math.floor(random() * bytes.length);
          bytes[at] = (bytes[at] ?? 0) ^ (1 << Math.floor(random() * 8));
        }
      } else if (mode === 1) {
        // Header region: counts, lengths, types and offsets live there.
        const at = Math.floor(random() * Math.min(bytes.length - 8, 400));
        new DataView(bytes.buffer).setBigUint64(
          at,
          BigInt.asUintN(64, BigInt(Math.floor(random() * 2 ** 53)) << BigInt(Math.floor(random() * 12))),
          true,
        );
      } else {
        const at = Math.floor(random() * bytes.length);
        bytes[at] = Math.floor(random() * 256);
      }
      outcomes[exercise(bytes)]++;
    }
    expect(outcomes.error).toBeGreaterThan(100);
    expect(outcomes.ok).toBeGreaterThan(100);
    // No hang: 3000 parses of a ~3 KB file take well under a few seconds even on a slow machine.
    expect(performance.now() - started).toBeLessThan(30_000);
  });
});
