/**
 * The layers of a llama-family decoder for training, llm.c style: each layer's forward and
 * backward pass side by side, plain loops over row-major float32 arrays. Backward functions
 * *accumulate* into gradient buffers (so tied weights and residual branches add up), and take the
 * values their forward pass saved. Matrix products go through the backend (see `linear.ts`).
 */

/** Token embedding lookup: x[t] = table[tokens[t]]. */
export function embeddingForward(table: Float32Array, tokens: Int32Array, width: number): Float32Array {
  const x = new Float32Array(tokens.length * width);
  for (let t = 0; t < tokens.length; t++) {
    const row = tokens[t] ?? 0;
    x.set(table.subarray(row * width, row * width + width), t * width);
  }
  return x;
}

/** dTable[tokens[t]] += dx[t]. */
export function embeddingBackward(dTable: Float32Array, dx: Float32Array, tokens: Int32Array, width: number): void {
  for (let t = 0; t < tokens.length; t++) {
    const o = (tokens[t] ?? 0) * width;
    const d = t * width;
    for (let i = 0; i < width; i++) dTable[o + i] = (dTable[o + i] ?? 0) + (dx[d + i] ?? 0);
  }
}

/** RMSNorm of each row times `weight`; also returns 1/rms per row for the backward pass. */
export function rmsNormForward(
  x: Float32Array,
  rows: number,
  width: number,
  weight: Float32Array,
  eps: number,
): { y: Float32Array; rstd: Float32Array } {
  const y = new Float32Array(x.length);
  const rstd = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    const o = r * width;
    let sum = 0;
    for (let i = 0; i < width; i++) sum += (x[o + i] ?? 0) ** 2;
    const s = 1 / Math.sqrt(sum / width + eps);
    rstd[r] = s;
    for (let i = 0; i < width; i++) y[o + i] = (x[o + i] ?? 0) * s * (weight[i] ?? 0);
  }
  return { y, rstd };
}

/**
 * Backward of RMSNorm: with n = x·s (s = 1/rms), y = n ⊙ w,
 * dx = s·(w⊙dy) − s³/width · x · Σ(w⊙dy⊙x); dw += Σ_rows dy⊙n.
 */
export function rmsNormBackward(
  dy: Float32Array,
  x: Float32Array,
  rstd: Float32Array,
  weight: Float32Array,
  rows: number,
  width: number,
  dx: Float32Array,
  dWeight?: Float32Array,
): void {
  for (let r = 0; r < rows; r++) {
    const o = r * width;
    const s = rstd[r] ?? 0;
    let dot = 0;
    for (let i = 0; i < width; i++) dot += (weight[i] ?? 0) * (dy[o + i] ?? 0) * (x[o + i] ?? 0);
    const c = (s * s * s * dot) / width;
    for (let i = 0; i < width; i++) {
      const g = dy[o + i] ?? 0;
      const xi = x[o + i] ?? 0;
      dx[o + i] = (dx[o + i] ?? 0) + s * (weight[i] ?? 0) * g - c * xi;
      if (dWeight !== undefined) dWeight[i] = (dWeight[i] ?? 0) + g * xi * s;
    }
  }
}

/** Attention geometry of a packed batch. */
export interface AttentionSpec {
  readonly headCount: number;
  readonly headCountKv: number;
  readonly headDim: number;
  /** Start offset of each packed sequence, plus the total token count at the end. */
  readonly boundaries: readonly number[];
}

/**
 * Causal grouped-query attention within each packed sequence: q [N, H, d], k/v [N, Hkv, d] →
 * out [N, H·d]. Returns the softmax probabilities too (per sequence, [H, T, T], lower triangle),
 * which the backward pass needs.
 */
export function attentionForward(
  q: Float32Array,
  k: Float32Array,
  v: Float32Array,
  spec: AttentionSpec,
): { out: Float32Array; probs: Float32Array[] } {
  const { headCount: H, headCountKv: Hkv, headDim: d, boundaries } = spec;
  const group = H / Hkv;
  const scale = 1 / Math.sqrt(d);
  const total = boundaries.at(-1) ?? 0;
  const out = new Float32Array(total * H * d);
  const probs: Float32Array[] = [];
  for (let b = 0; b + 1 < boundaries.length; b++) {
    const start = boundaries[b] ?? 0;
    const T = (boundaries[b + 1] ?? 0) - start;
    const p = new Float32Array(H * T * T);
    probs.push(p);
    for (let h = 0; h < H; h++) {
      const kh = Math.floor(h / group);
      for (let t = 0; t < T; t++) {
        const qo = ((start + t) * H + h) * d;
        const po = (h * T + t) * T;
        let max = -Infinity;
        for (let s = 0; s <= t; s++) {
          const ko = ((start + s) * Hkv + kh) * d;
          let dot = 0;
          for (let i = 0; i < d; i++) dot += (q[qo + i] ?? 0) * (k[ko + i] ?? 0);
          p[po + s] = dot * scale;
          if (dot * scale > max) max = dot * scale;
        }
        let sum = 0;
        for (let s = 0; s <= t; s++) {
          const e = Math.exp((p[po + s] ?? 0) - max);
          p[po + s] = e;
          sum += e;
        }
        for (let s = 0; s <= t; s++) {
          const w = (p[po + s] ?? 0) / sum;
          p[po + s] = w;
          const vo = ((start + s) * Hkv + kh) * d;
          for (let i = 0; i < d; i++) out[qo + i] = (out[qo + i] ?? 0) + w * (v[vo + i] ?? 0);
        }
      }
    }
  }
  return { out, probs };
}

/**
 * Backward of {@link attentionForward}: dP = dOut·Vᵀ, dS = P ⊙ (dP − rowsum(dP ⊙ P)),
 * dQ = scale·dS·K, dK += scale·dSᵀ·Q, dV += Pᵀ·dOut (summed over the heads sharing a kv head).
 */
export function attentionBackward(
  dOut: Float32Array,
  q: Float32Array,
  k: Float32Array,
  v: Float32Array,
  probs: readonly Float32Array[],
  spec: AttentionSpec,
): { dq: Float32Array; dk: Float32Array; dv: Float32Array } {
  const { headCount: H, headCountKv: Hkv, headDim: d, boundaries } = spec;
  const group = H / Hkv;
  const scale = 1 / Math.sqrt(d);
  const dq = new Float32Array(q.length);
  const dk = new Float32Array(k.length);
  const dv = new Float32Array(v.length);
  for (let b = 0; b + 1 < boundaries.length; b++) {
    const start = boundaries[b] ?? 0;
    const T = (boundaries[b + 1] ?? 0) - start;
    const p = probs[b] as Float32Array;
    const dS = new Float32Array(T);
    for (let h = 0; h < H; h++) {
      const kh = Math.floor(h / group);
      for (let t = 0; t < T; t++) {
        const qo = ((start + t) * H + h) * d;
        const po = (h * T + t) * T;
        let rowDot = 0;
        for (let s = 0; s <= t; s++) {
          const vo = ((start + s) * Hkv + kh) * d;
          let dp = 0;
          for (let i = 0; i < d; i++) dp += (dOut[qo + i] ?? 0) * (v[vo + i] ?? 0);
          dS[s] = dp;
          rowDot += dp * (p[po + s] ?? 0);
        }
        for (let s = 0; s <= t; s++) {
          const ps = p[po + s] ?? 0;
          const ds = ps * ((dS[s] ?? 0) - rowDot) * scale;
          const ko = ((start + s) * Hkv + kh) * d;
          for (let i = 0; i < d; i++) {
            dq[qo + i] = (dq[qo + i] ?? 0) + ds * (k[ko + i] ?? 0);
            dk[ko + i] = (dk[ko + i] ?? 0) + ds * (q[qo + i] ?? 0);
            dv[ko + i] = (dv[ko + i] ?? 0) + ps * (dOut[qo + i] ?? 0);
          }
        }
      }
    }
  }
  return { dq, dk, dv };
}

/** SwiGLU: silu(gate) ⊙ up; also returns σ(gate), which the backward pass reuses. */
export function swigluForward(gate: Float32Array, up: Float32Array): { out: Float32Array; sigmoid: Float32Array } {
  const out = new Float32Array(gate.length);
  const sigmoid = new Float32Array(gate.length);
  for (let i = 0; i < gate.length; i++) {
    const g = gate[i] as number;
    const sig = 1 / (1 + Math.exp(-g));
    sigmoid[i] = sig;
    out[i] = g * sig * (up[i] as number);
  }
  return { out, sigmoid };
}

/** Gradients of SwiGLU's two inputs. */
export type SwigluGradients = { dGate: Float32Array; dUp: Float32Array };

/** Backward of SwiGLU: d silu(g)/dg = σ(g)·(1 + g·(1 − σ(g))). */
export function swigluBackward(dOut: Float32Array, gate: Float32Array, up: Float32Array, sigmoid: Float32Array) {
  const result: SwigluGradients = { dGate: new Float32Array(gate.length), dUp: new Float32Array(gate.length) };
  const { dGate, dUp } = result;
  for (let i = 0; i < gate.length; i++) {
    const g = gate[i] as number;
    const sig = sigmoid[i] as number;
    const d = dOut[i] as number;
    dUp[i] = d * g * sig;
    dGate[i] = d * (up[i] as number) * sig * (1 + g * (1 - sig));
  }
  return result;
}

/**
 * Softmax cross-entropy of `logits` [rows, vocab] against `targets`, in place: the logits become
 * d(loss)/d(logits) for loss = Σ_rows CE · `weight` (weight = 1/count gives the mean).
 * Returns the summed (unweighted) loss.
 */
export function crossEntropyInPlace(logits: Float32Array, targets: Int32Array, vocab: number, weight: number): number {
  let loss = 0;
  for (let r = 0; r < targets.length; r++) {
    const o = r * vocab;
    let max = -Infinity;
    for (let j = 0; j < vocab; j++) if ((logits[o + j] as number) > max) max = logits[o + j] as number;
    const target = targets[r] ?? 0;
    const targetLogit = logits[o + target] as number;
    // One exp per logit: keep exp(x − max) in place, then normalise.
    let sum = 0;
    for (let j = 0; j < vocab; j++) {
      const e = Math.exp((logits[o + j] as number) - max);
      logits[o + j] = e;
      sum += e;
    }
    loss += Math.log(sum) + max - targetLogit;
    const scale = weight / sum;
    for (let j = 0; j < vocab; j++) logits[o + j] = (logits[o + j] as number) * scale;
    logits[o + target] = (logits[o + target] as number) - weight;
  }
  return loss;
}

/** a += b. */
export function addInto(a: Float32Array, b: Float32Array): void {
  for (let i = 0; i < a.length; i++) a[i] = (a[i] ?? 0) + (b[i] ?? 0);
}
