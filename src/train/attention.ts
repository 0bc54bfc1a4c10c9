/**
 * Attention for the trainer, behind one shape: the plain-loop layer functions (reference, exact
 * per packed sequence) or the onnxruntime kernels, which need a rectangular batch: the packed
 * sequences are padded to the longest one (padded keys are masked, padded queries ignored).
 */
import type { AttentionDims, AttentionKernels } from "../backend/onnx-train.js";
import { type AttentionSpec, attentionBackward, attentionForward } from "./layers.js";

/** What the forward pass keeps for the backward pass (opaque to the caller). */
export type AttentionSaved =
  | { readonly kind: "loops"; readonly probs: Float32Array[] }
  | { readonly kind: "kernels"; readonly probs: Float32Array; readonly dims: AttentionDims };

/** Attention forward/backward over packed sequences. */
export interface AttentionRunner {
  forward(
    q: Float32Array,
    k: Float32Array,
    v: Float32Array,
    spec: AttentionSpec,
  ): Promise<{ out: Float32Array; saved: AttentionSaved }>;
  backward(
    dOut: Float32Array,
    q: Float32Array,
    k: Float32Array,
    v: Float32Array,
    saved: AttentionSaved,
    spec: AttentionSpec,
  ): Promise<{ dq: Float32Array; dk: Float32Array; dv: Float32Array }>;
}

/** The plain TypeScript loops of `layers.ts`. */
export const loopAttention: AttentionRunner = {
  async forward(q, k, v, spec) {
    const { out, probs } = attentionForward(q, k, v, spec);
    return { out, saved: { kind: "loops", probs } };
  },
  async backward(dOut, q, k, v, saved, spec) {
    if (saved.kind !== "loops") throw new Error("attention: saved state of another runner");
    return attentionBackward(dOut, q, k, v, saved.probs, spec);
  },
};

/** [N, width] packed → [B, T, width] padded with zeros (a no-op copy when all lengths are T). */
function pad(x: Float32Array, width: number, boundaries: readonly number[], T: number): Float32Array {
  const B = boundaries.length - 1;
  if (B * T === (boundaries.at(-1) ?? 0)) return x;
  const out = new Float32Array(B * T * width);
  for (let b = 0; b < B; b++) {
    const start = boundaries[b] ?? 0;
    const end = boundaries[b + 1] ?? 0;
    out.set(x.subarray(start * width, end * width), b * T * width);
  }
  return out;
}

function unpad(x: Float32Array, width: number, boundaries: readonly number[], T: number): Float32Array {
  const B = boundaries.length - 1;
  const N = boundaries.at(-1) ?? 0;
  if (B * T === N) return x;
  const out = new Float32Array(N * width);
  for (let b = 0; b < B; b++) {
    const start = boundaries[b] ?? 0;
    const end = boundaries[b + 1] ?? 0;
    out.set(x.subarray(b * T * width, (b * T + end - start) * width), start * width);
  }
  return out;
}

/** The onnxruntime kernels over the padded batch. */
export function kernelAttention(kernels: AttentionKernels): AttentionRunner {
  const masks = new Map<string, Float32Array>();
  const geometry = (spec: AttentionSpec): { dims: AttentionDims; T: number } => {
    let T = 0;
    for (let b = 0; b + 1 < spec.boundaries.length; b++)
      T = Math.max(T, (spec.boundaries[b + 1] ?? 0) - (spec.boundaries[b] ?? 0));
    return {
      T,
      dims: {
        batch: spec.boundaries.length - 1,
        tokens: T,
        headCount: spec.headCount,
        headCountKv: spec.headCountKv,
        headDim: spec.headDim,
      },
    };
  };
  const causalMask = (spec: AttentionSpec, T: number): Float32Array => {
    const key = `${T}:${spec.boundaries.join(",")}`;
    let mask = masks.get(key);
    if (mask === undefined) {
      const B = spec.boundaries.length - 1;
      mask = new Float32Array(B * T * T);
      for (let b = 0; b < B; b++) {
        const length = (spec.boundaries[b + 1] ?? 0) - (spec.boundaries[b] ?? 0);
        // Padded keys (s ≥ length) are never attended; query row t keeps s ≤ t, so no row is all −∞.
        for (let t = 0; t < T; t++)
          for (let s = 0; s < T; s++) if (s > t || s >= length) mask[(b * T + t) * T + s] = -Infinity;
      }
      if (masks.size > 8) masks.clear();
      masks.set(key, mask);
    }
    return mask;
  };
  return {
    async forward(q, k, v, spec) {
      const { dims, T } = geometry(spec);
      const { headCount: H, headCountKv: Hkv, headDim: d, boundaries } = spec;
      const r = await kernels.forward(
        pad(q, H * d, boundaries, T),
        pad(k, Hkv * d, boundaries, T),
        pad(v, Hkv * d, boundaries, T),
        causalMask(spec, T),
        dims,
      );
      return { out: unpad(r.out, H * d, boundaries, T), saved: { kind: "kernels", probs: r.probs, dims } };
    },
    async backward(dOut, q, k, v, saved, spec) {
      if (saved.kind !== "kernels") throw new Error("attention: saved state of another runner");
      const T = saved.dims.tokens;
      const { headCount: H, headCountKv: Hkv, headDim: d, boundaries } = spec;
      const r = await kernels.backward(
        pad(dOut, H * d, boundaries, T),
        pad(q, H * d, boundaries, T),
        pad(k, Hkv * d, boundaries, T),
        pad(v, Hkv * d, boundaries, T),
        saved.probs,
        saved.dims,
      );
      return {
        dq: unpad(r.dq, H * d, boundaries, T),
        dk: unpad(r.dk, Hkv * d, boundaries, T),
        dv: unpad(r.dv, Hkv * d, boundaries, T),
      };
    },
  };
}
