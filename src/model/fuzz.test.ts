import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRandom } from "../util/random.js";
import { GgufError, GgufFile } from "../gguf/index.js";
import { createModelFile } from "./create.js";
import { readModelWeights } from "./definition.js";

let dir: string;
let original: Uint8Array;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "medsim-model-fuzz-"));
  const path = join(dir, "tiny.gguf");
  await createModelFile({ arch: "qwen2", preset: "tiny", quant: "q8_0", out: path });
  original = new Uint8Array(await readFile(path));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("model loading from corrupt files", () => {
  it("fails only with GgufError for truncated and bit-flipped real model files", () => {
    const header = GgufFile.fromBytes(original);
    const dataOffset = header.dataOffset;
    const random = createRandom(99);
    const outcomes = { ok: 0, error: 0 };
    for (let i = 0; i < 1500; i++) {
      let bytes: Uint8Array;
      if (i % 4 === 0) bytes = original.subarray(0, Math.floor(random() * original.length));
      else {
        bytes = Uint8Array.from(original);
        // Mostly the header (metadata, tensor infos), where structure lives.
        for (let f = 0; f < 1 + Math.floor(random() * 3); f++) {
          const at = Math.floor(random() * (random() < 0.9 ? dataOffset : bytes.length));
          bytes[at] = (bytes[at] ?? 0) ^ (1 << Math.floor(random() * 8));
        }
      }
      try {
        readModelWeights(GgufFile.fromBytes(bytes));
        outcomes.ok++;
      } catch (error) {
        if (!(error instanceof GgufError))
          throw new Error(`iteration ${i}: not a GgufError: ${String(error)}`, { cause: error });
        outcomes.error++;
      }
    }
    expect(outcomes.error).toBeGreaterThan(200);
    expect(outcomes.ok).toBeGreaterThan(100);
  });
});
