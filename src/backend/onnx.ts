/**
 * The onnxruntime backend: the fast CPU backend. onnxruntime-node ships its CPU library inside
 * the npm package (no native build, nothing downloaded at install), and its MLAS GEMM reaches
 * ~80% of this machine's fp32 peak for both plain and transposed operands. Graphs are built
 * here as ONNX bytes and compiled once per structure; see `bench/gemm.ts` for the figures.
 */
import type { Tensor } from "onnxruntime-node";
import { createSessionCache, loadOrt } from "./onnx-session.js";
import { BLOCK_MATRICES, blockGraph, blockStructure, gemmGraph } from "./onnx-graphs.js";
import type { Backend, BlockParams, BlockWeights, MatmulShape } from "./types.js";

/** Options for {@link createOnnxBackend}. */
export interface OnnxBackendOptions {
  /** Threads for one operation. Default: the number of CPUs (`os.availableParallelism()`). */
  readonly threads?: number;
  /**
   * Let idle intra-op threads spin-wait for the next operation. Default true (lowest latency for
   * back-to-back calls); false when other native work or TypeScript loops run between calls, so
   * spinning threads do not take the cores they need.
   */
  readonly spinning?: boolean;
}

/** Creates the onnxruntime CPU backend (loads the native library on first use). */
export async function createOnnxBackend(options: OnnxBackendOptions = {}): Promise<Backend> {
  const ort = await loadOrt();
  const { session, release } = createSessionCache(ort, options);
  const masks = new Map<number, Float32Array>();

  const tensor = (data: Float32Array, dims: readonly number[]): Tensor => new ort.Tensor("float32", data, dims);
  const causalMask = (tokens: number): Float32Array => {
    let mask = masks.get(tokens);
    if (mask === undefined) {
      mask = new Float32Array(tokens * tokens);
      for (let i = 0; i < tokens; i++) for (let j = i + 1; j < tokens; j++) mask[i * tokens + j] = -Infinity;
      masks.clear();
      masks.set(tokens, mask);
    }
    return mask;
  };

  return {
    name: "onnxruntime",
    async matmul(a: Float32Array, b: Float32Array, shape: MatmulShape): Promise<Float32Array> {
      const { m, k, n, transA = false, transB = false } = shape;
      if (a.length < m * k || b.length < k * n)
        throw new RangeError(
          `matmul: expected A of ${m * k} and B of ${k * n} elements, found ${a.length} and ${b.length}`,
        );
      const s = await session(`gemm:${transA}:${transB}`, () => gemmGraph(transA, transB));
      const result = await s.run({
        a: tensor(a.subarray(0, m * k), transA ? [k, m] : [m, k]),
        b: tensor(b.subarray(0, k * n), transB ? [n, k] : [k, n]),
      });
      return result.c?.data as Float32Array;
    },
    async block(x: Float32Array, tokens: number, w: BlockWeights, p: BlockParams): Promise<Float32Array> {
      const biases = w.bq !== undefined && w.bk !== undefined && w.bv !== undefined;
      const matrices = [w.wq, w.wk, w.wv, w.wo, w.wGate, w.wUp, w.wDown];
      const structure = blockStructure(
        p,
        biases,
        matrices.map((m) => m.activationRounding),
      );
      const s = await session(`block:${JSON.stringify(structure)}`, () => blockGraph(structure));
      const n = p.embeddingLength;
      const kv = p.headCountKv * p.headDim;
      const ff = p.feedForwardLength;
      const half = p.headDim / 2;
      const qWidth = p.headCount * p.headDim;
      const feeds: Record<string, Tensor> = {
        x: tensor(x, [tokens, n]),
        rope_cos: tensor(p.ropeCos.subarray(0, tokens * half), [tokens, half]),
        rope_sin: tensor(p.ropeSin.subarray(0, tokens * half), [tokens, half]),
        mask: tensor(causalMask(tokens), [tokens, tokens]),
        attn_norm: tensor(w.attnNorm, [n]),
        wq: tensor(w.wq.data, [qWidth, n]),
        wk: tensor(w.wk.data, [kv, n]),
        wv: tensor(w.wv.data, [kv, n]),
        wo: tensor(w.wo.data, [n, qWidth]),
        ffn_norm: tensor(w.ffnNorm, [n]),
        w_gate: tensor(w.wGate.data, [ff, n]),
        w_up: tensor(w.wUp.data, [ff, n]),
        w_down: tensor(w.wDown.data, [n, ff]),
      };
      if (biases) {
        feeds.bq = tensor(w.bq as Float32Array, [qWidth]);
        feeds.bk = tensor(w.bk as Float32Array, [kv]);
        feeds.bv = tensor(w.bv as Float32Array, [kv]);
      }
      BLOCK_MATRICES.forEach(([name, outputs], i) => {
        const m = matrices[i];
        if (m?.activationRounding !== "q8_1") return;
        if (m.blockMins === undefined)
          throw new RangeError(`block: ${name} has q8_1 activation rounding but no block minimums`);
        const rows = outputs === "n" ? n : outputs === "q" ? qWidth : outputs === "kv" ? kv : ff;
        feeds[`${name}_mins`] = tensor(m.blockMins, [rows, m.blockMins.length / rows]);
      });
      const result = await s.run(feeds);
      return result.y?.data as Float32Array;
    },
    dispose: release,
  };
}
