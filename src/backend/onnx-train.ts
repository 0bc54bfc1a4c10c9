/**
 * Training kernels on onnxruntime: causal grouped-query attention forward (returning the softmax
 * probabilities) and backward, over a batch of sequences padded to one length. Attention is
 * O(T²) per head and far too slow in plain TypeScript loops for real shapes; as batched MatMuls
 * in one graph call it runs at GEMM speed on all threads. Layouts follow the trainer's:
 * q [B, T, H·d], k/v [B, T, Hkv·d], head h uses kv head ⌊h / (H/Hkv)⌋.
 */
import type { Tensor } from "onnxruntime-node";
import { createSessionCache, loadOrt } from "./onnx-session.js";
import { GraphBuilder } from "./onnx-graphs.js";
import { type Int8Matrix, int8Product } from "./onnx-int8.js";
import { encodeOnnxModel, type OnnxValueInfo, OnnxType } from "./onnx-proto.js";
import type { ActivationRounding } from "./types.js";

/** Attention geometry. */
export interface AttentionDims {
  readonly batch: number;
  readonly tokens: number;
  readonly headCount: number;
  readonly headCountKv: number;
  readonly headDim: number;
}

/** Loss head of a frozen output matrix: CE loss rows and d(loss)/d(hidden), never materialising logits in JS. */
export interface HeadKernel {
  /**
   * h [M, n], w [V, n], targets [M]: returns per-row cross-entropy and dh = weight·(softmax − onehot)·W.
   * With `int8` (w packed by `packForward`) the logits come from an 8-bit product.
   */
  headLoss(
    h: Float32Array,
    w: Float32Array,
    targets: Int32Array,
    vocab: number,
    width: number,
    weight: number,
    int8?: Int8Matrix,
  ): Promise<{ loss: Float32Array; dh: Float32Array }>;
  /** SwiGLU forward: silu(gate)·up and σ(gate). */
  swiglu(gate: Float32Array, up: Float32Array): Promise<{ out: Float32Array; sigmoid: Float32Array }>;
}

/**
 * A linear layer with a frozen base weight and a LoRA pair, one graph call each way:
 * forward y = x·Wᵀ (+ bias) + scale·(xl·Aᵀ)·Bᵀ (returns u = xl·Aᵀ too); backward
 * dx = dy·W + ((scale·dy·B)·A) ⊙ keep, dA = (scale·dy·B)ᵀ·xl, dB = scale·dyᵀ·u.
 */
export interface LoraLinearKernel {
  /** `x` unrounded: the graph applies llama.cpp's activation rounding for the base product (`dims.rounding`). */
  loraForward(
    x: Float32Array,
    xl: Float32Array,
    w: Float32Array,
    a: Float32Array,
    b: Float32Array,
    bias: Float32Array | undefined,
    scale: number,
    dims: LoraDims,
  ): Promise<{ y: Float32Array; u: Float32Array }>;
  loraBackward(
    dy: Float32Array,
    xl: Float32Array,
    w: Float32Array,
    a: Float32Array,
    b: Float32Array,
    u: Float32Array,
    keep: Float32Array | undefined,
    scale: number,
    dims: LoraDims,
  ): Promise<{ dx: Float32Array; dA: Float32Array; dB: Float32Array }>;
}

/** Sizes of a LoRA linear call. */
export interface LoraDims {
  readonly rows: number;
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly rank: number;
  /** Activation rounding before the base product. Default `none`. */
  readonly rounding?: ActivationRounding;
}

/** A graph input: float32, int64, uint8 or int8 data with its dims. */
export interface GraphFeed {
  readonly data: Float32Array | BigInt64Array | Uint8Array | Int8Array;
  readonly dims: readonly number[];
}

/** Runs a graph built once per `key` (the fused LoRA blocks of `onnx-lora-block.ts`). */
export interface GraphRunner {
  runGraph(
    key: string,
    build: () => Uint8Array,
    feeds: Readonly<Record<string, GraphFeed>>,
  ): Promise<Record<string, Float32Array>>;
}

/** Attention forward/backward kernels. */
export interface AttentionKernels extends HeadKernel, LoraLinearKernel, GraphRunner {
  /** `mask` [B, T, T] holds 0 (attend) or −∞. Returns out [B, T, H·d] and probs [B, H, T, T]. */
  forward(
    q: Float32Array,
    k: Float32Array,
    v: Float32Array,
    mask: Float32Array,
    dims: AttentionDims,
  ): Promise<{ out: Float32Array; probs: Float32Array }>;
  backward(
    dOut: Float32Array,
    q: Float32Array,
    k: Float32Array,
    v: Float32Array,
    probs: Float32Array,
    dims: AttentionDims,
  ): Promise<{ dq: Float32Array; dk: Float32Array; dv: Float32Array }>;
  dispose(): Promise<void>;
}

function forwardGraph(h: number, hkv: number, d: number): Uint8Array {
  const g = new GraphBuilder();
  const group = h / hkv;
  const { out } = g.attention("q", "k", "v", "mask", { headCount: h, headCountKv: hkv, headDim: d }, "probs");
  g.mergeHeads(out, h * d, "out");
  return encodeOnnxModel({
    name: "attention_forward",
    nodes: g.nodes,
    initializers: g.initializers,
    inputs: [
      { name: "q", dims: ["B", "T", h * d] },
      { name: "k", dims: ["B", "T", hkv * d] },
      { name: "v", dims: ["B", "T", hkv * d] },
      { name: "mask", dims: ["B", "T", "T"] },
    ],
    outputs: [
      { name: "out", dims: ["B", "T", h * d] },
      { name: "probs", dims: ["B", hkv, group, "T", "T"] },
    ],
  });
}

function backwardGraph(h: number, hkv: number, d: number): Uint8Array {
  const g = new GraphBuilder();
  const group = h / hkv;
  const dims = { headCount: h, headCountKv: hkv, headDim: d };
  const { dQ, dK, dV } = g.attentionBackward("d_out", "q", "k", "v", "probs", dims);
  g.mergeHeads(dQ, h * d, "dq");
  g.mergeHeads(dK, hkv * d, "dk");
  g.mergeHeads(dV, hkv * d, "dv");
  return encodeOnnxModel({
    name: "attention_backward",
    nodes: g.nodes,
    initializers: g.initializers,
    inputs: [
      { name: "d_out", dims: ["B", "T", h * d] },
      { name: "q", dims: ["B", "T", h * d] },
      { name: "k", dims: ["B", "T", hkv * d] },
      { name: "v", dims: ["B", "T", hkv * d] },
      { name: "probs", dims: ["B", hkv, group, "T", "T"] },
    ],
    outputs: [
      { name: "dq", dims: ["B", "T", h * d] },
      { name: "dk", dims: ["B", "T", hkv * d] },
      { name: "dv", dims: ["B", "T", hkv * d] },
    ],
  });
}

/**
 * The loss head as one graph: inputs h [M, width], w [vocab, width], targets [M] (int64), weight
 * (scalar) and with `int8` w8 [width, vocab] / s8 [vocab] (`packForward`); outputs loss [M, 1]
 * (per-row cross-entropy) and dh [M, width] = weight·(softmax − onehot)·w.
 */
export function headLossGraph(vocab: number, width: number, int8: boolean): Uint8Array {
  const g = new GraphBuilder();
  // int8: the logits from an 8-bit product (`onnx-int8.ts`); dh stays fp32, since 8 bits per
  // row of softmax − onehot would round the small probabilities, and their sum, to zero.
  const logits = int8 ? int8Product(g, "h", "w8", "s8") : g.node("Gemm", ["h", "w"], { transB: 1 });
  const logp = g.node("LogSoftmax", [logits], { axis: 1 });
  const index = g.node("Unsqueeze", ["targets", g.shape([1])]);
  const targetLogp = g.node("GatherElements", [logp, index], { axis: 1 });
  g.node("Neg", [targetLogp], undefined, "loss");
  // softmax − onehot: the target column gets p − 1 by a scatter of M values, not a one-hot
  // [M, vocab] matrix and a subtraction over it; the weight scales dh [M, width], not the logits.
  const probs = g.node("Exp", [logp]);
  const atTarget = g.node("Sub", [g.node("Exp", [targetLogp]), g.float(1)]);
  const dLogits = g.node("ScatterElements", [probs, index, atTarget], { axis: 1 });
  g.node("Mul", [g.node("MatMul", [dLogits, "w"]), "weight"], undefined, "dh");
  return encodeOnnxModel({
    name: "head_loss",
    nodes: g.nodes,
    initializers: g.initializers,
    inputs: [
      { name: "h", dims: ["M", width] },
      { name: "w", dims: [vocab, width] },
      { name: "targets", type: OnnxType.INT64, dims: ["M"] },
      { name: "weight", dims: [] },
      ...(int8
        ? [
            { name: "w8", type: OnnxType.INT8, dims: [width, vocab] },
            { name: "s8", dims: [vocab] },
          ]
        : []),
    ],
    outputs: [
      { name: "loss", dims: ["M", 1] },
      { name: "dh", dims: ["M", width] },
    ],
  });
}

function swigluGraph(): Uint8Array {
  const g = new GraphBuilder();
  const sigmoid = g.node("Sigmoid", ["gate"], undefined, "sigmoid");
  g.node("Mul", [g.node("Mul", ["gate", sigmoid]), "up"], undefined, "out");
  return encodeOnnxModel({
    name: "swiglu",
    nodes: g.nodes,
    inputs: [
      { name: "gate", dims: ["N"] },
      { name: "up", dims: ["N"] },
    ],
    outputs: [
      { name: "out", dims: ["N"] },
      { name: "sigmoid", dims: ["N"] },
    ],
  });
}

/** Inputs of both LoRA linear graphs: the LoRA input `xl` [N, k], the frozen `w` [n, k] and the pair a [r, k], b [n, r]. */
function loraWeights(k: number, n: number, r: number): OnnxValueInfo[] {
  return [
    { name: "xl", dims: ["N", k] },
    { name: "w", dims: [n, k] },
    { name: "a", dims: [r, k] },
    { name: "b", dims: [n, r] },
  ];
}

function loraForwardGraph(k: number, n: number, r: number, bias: boolean, rounding: ActivationRounding): Uint8Array {
  const g = new GraphBuilder();
  const u = g.node("Gemm", ["xl", "a"], { transB: 1 }, "u");
  const xr = g.round("x", rounding);
  const base = g.node("Gemm", bias ? [xr, "w", "bias"] : [xr, "w"], { transB: 1 });
  g.node("Add", [base, g.node("Mul", [g.node("Gemm", [u, "b"], { transB: 1 }), "scale"])], undefined, "y");
  return encodeOnnxModel({
    name: "lora_forward",
    nodes: g.nodes,
    initializers: g.initializers,
    inputs: [
      { name: "x", dims: ["N", k] },
      ...loraWeights(k, n, r),
      { name: "scale", dims: [] },
      ...(bias ? [{ name: "bias", dims: [n] }] : []),
    ],
    outputs: [
      { name: "y", dims: ["N", n] },
      { name: "u", dims: ["N", r] },
    ],
  });
}

function loraBackwardGraph(k: number, n: number, r: number, dropout: boolean): Uint8Array {
  const g = new GraphBuilder();
  const du = g.node("Mul", [g.node("MatMul", ["dy", "b"]), "scale"]);
  g.node("Mul", [g.node("Gemm", ["dy", "u"], { transA: 1 }), "scale"], undefined, "d_b");
  g.node("Gemm", [du, "xl"], { transA: 1 }, "d_a");
  const dxLora = g.node("MatMul", [du, "a"]);
  g.node("Add", [g.node("MatMul", ["dy", "w"]), dropout ? g.node("Mul", [dxLora, "keep"]) : dxLora], undefined, "dx");
  return encodeOnnxModel({
    name: "lora_backward",
    nodes: g.nodes,
    initializers: g.initializers,
    inputs: [
      { name: "dy", dims: ["N", n] },
      ...loraWeights(k, n, r),
      { name: "u", dims: ["N", r] },
      { name: "scale", dims: [] },
      ...(dropout ? [{ name: "keep", dims: ["N", k] }] : []),
    ],
    outputs: [
      { name: "dx", dims: ["N", k] },
      { name: "d_a", dims: [r, k] },
      { name: "d_b", dims: [n, r] },
    ],
  });
}

/** Creates the onnxruntime attention kernels. `threads` defaults to all CPUs. */
export async function createOnnxAttention(
  options: { threads?: number; spinning?: boolean } = {},
): Promise<AttentionKernels> {
  const ort = await loadOrt();
  const { session, release } = createSessionCache(ort, options);
  const tensor = (data: Float32Array, dims: readonly number[]): Tensor => new ort.Tensor("float32", data, dims);
  return {
    async forward(q, k, v, mask, dims) {
      const { batch: B, tokens: T, headCount: H, headCountKv: Hkv, headDim: d } = dims;
      const s = await session(`f:${H}:${Hkv}:${d}`, () => forwardGraph(H, Hkv, d));
      const r = await s.run({
        q: tensor(q, [B, T, H * d]),
        k: tensor(k, [B, T, Hkv * d]),
        v: tensor(v, [B, T, Hkv * d]),
        mask: tensor(mask, [B, T, T]),
      });
      return { out: r.out?.data as Float32Array, probs: r.probs?.data as Float32Array };
    },
    async backward(dOut, q, k, v, probs, dims) {
      const { batch: B, tokens: T, headCount: H, headCountKv: Hkv, headDim: d } = dims;
      const s = await session(`b:${H}:${Hkv}:${d}`, () => backwardGraph(H, Hkv, d));
      const r = await s.run({
        d_out: tensor(dOut, [B, T, H * d]),
        q: tensor(q, [B, T, H * d]),
        k: tensor(k, [B, T, Hkv * d]),
        v: tensor(v, [B, T, Hkv * d]),
        probs: tensor(probs, [B, Hkv, H / Hkv, T, T]),
      });
      return { dq: r.dq?.data as Float32Array, dk: r.dk?.data as Float32Array, dv: r.dv?.data as Float32Array };
    },
    async headLoss(h, w, targets, vocab, width, weight, int8) {
      const M = targets.length;
      const s = await session(`h:${vocab}:${width}:${int8 !== undefined}`, () =>
        headLossGraph(vocab, width, int8 !== undefined),
      );
      const r = await s.run({
        ...(int8 === undefined
          ? {}
          : {
              w8: new ort.Tensor("int8", int8.codes, [width, vocab]),
              s8: tensor(int8.scales, [vocab]),
            }),
        h: tensor(h, [M, width]),
        w: tensor(w, [vocab, width]),
        targets: new ort.Tensor(
          "int64",
          BigInt64Array.from(targets, (t) => BigInt(t)),
          [M],
        ),
        weight: new ort.Tensor("float32", new Float32Array([weight]), []),
      });
      return { loss: r.loss?.data as Float32Array, dh: r.dh?.data as Float32Array };
    },
    async loraForward(x, xl, w, a, b, bias, scale, dims) {
      const { rows: N, inFeatures: k, outFeatures: n, rank: r } = dims;
      const rounding = dims.rounding ?? "none";
      const s = await session(`lf:${k}:${n}:${r}:${bias !== undefined}:${rounding}`, () =>
        loraForwardGraph(k, n, r, bias !== undefined, rounding),
      );
      const feeds: Record<string, Tensor> = {
        x: tensor(x, [N, k]),
        xl: tensor(xl, [N, k]),
        w: tensor(w, [n, k]),
        a: tensor(a, [r, k]),
        b: tensor(b, [n, r]),
        scale: tensor(new Float32Array([scale]), []),
      };
      if (bias !== undefined) feeds.bias = tensor(bias, [n]);
      const out = await s.run(feeds);
      return { y: out.y?.data as Float32Array, u: out.u?.data as Float32Array };
    },
    async loraBackward(dy, xl, w, a, b, u, keep, scale, dims) {
      const { rows: N, inFeatures: k, outFeatures: n, rank: r } = dims;
      const s = await session(`lb:${k}:${n}:${r}:${keep !== undefined}`, () =>
        loraBackwardGraph(k, n, r, keep !== undefined),
      );
      const feeds: Record<string, Tensor> = {
        dy: tensor(dy, [N, n]),
        xl: tensor(xl, [N, k]),
        w: tensor(w, [n, k]),
        a: tensor(a, [r, k]),
        b: tensor(b, [n, r]),
        u: tensor(u, [N, r]),
        scale: tensor(new Float32Array([scale]), []),
      };
      if (keep !== undefined) feeds.keep = tensor(keep, [N, k]);
      const out = await s.run(feeds);
      return { dx: out.dx?.data as Float32Array, dA: out.d_a?.data as Float32Array, dB: out.d_b?.data as Float32Array };
    },
    async swiglu(gate, up) {
      const s = await session("swiglu", swigluGraph);
      const r = await s.run({ gate: tensor(gate, [gate.length]), up: tensor(up, [up.length]) });
      return { out: r.out?.data as Float32Array, sigmoid: r.sigmoid?.data as Float32Array };
    },
    async runGraph(key, build, feeds) {
      const s = await session(key, build);
      const tensors: Record<string, Tensor> = {};
      for (const [name, feed] of Object.entries(feeds)) {
        const type =
          feed.data instanceof Float32Array
            ? "float32"
            : feed.data instanceof BigInt64Array
              ? "int64"
              : feed.data instanceof Int8Array
                ? "int8"
                : "uint8";
        tensors[name] = new ort.Tensor(type, feed.data, feed.dims);
      }
      const out = await s.run(tensors);
      const result: Record<string, Float32Array> = {};
      for (const [name, tensor] of Object.entries(out)) result[name] = tensor.data as Float32Array;
      return result;
    },
    dispose: release,
  };
}
