/**
 * ONNX graphs for the onnxruntime backend: a plain Gemm for `matmul`, and one fused graph per
 * decoder-block structure (RMSNorm, projections, rope, causal GQA attention, SwiGLU) so that a
 * whole block is one native call. Weights are graph inputs, not constants: one compiled graph
 * serves every layer, and the trainer can feed changed weights without recompiling.
 */
import { encodeOnnxModel, type OnnxInitializer, type OnnxNode, OnnxType } from "./onnx-proto.js";
import { type ActivationRounding, type BlockParams, blockShape } from "./types.js";

/** The structure of a block graph: everything except the weight values and the token count. */
export interface BlockStructure extends Omit<BlockParams, "ropeCos" | "ropeSin" | "activation"> {
  readonly biases: boolean;
  readonly activation: "silu" | "gelu";
  /** Activation rounding for wq, wk, wv, wo, wGate, wUp, wDown (in this order). */
  readonly rounding: readonly ActivationRounding[];
}

/** Structure key of a block for the graph cache. */
export function blockStructure(
  params: BlockParams,
  biases: boolean,
  rounding: readonly ActivationRounding[],
): BlockStructure {
  return {
    ...blockShape(params),
    biases,
    activation: params.activation ?? "silu",
    rounding,
  };
}

/** A Gemm graph C = op(A)·op(B) with symbolic sizes. */
export function gemmGraph(transA: boolean, transB: boolean): Uint8Array {
  return encodeOnnxModel({
    name: "gemm",
    nodes: [
      {
        op: "Gemm",
        inputs: ["a", "b"],
        outputs: ["c"],
        attributes: { transA: transA ? 1 : 0, transB: transB ? 1 : 0 },
      },
    ],
    inputs: [
      { name: "a", dims: transA ? ["k", "m"] : ["m", "k"] },
      { name: "b", dims: transB ? ["n", "k"] : ["k", "n"] },
    ],
    outputs: [{ name: "c", dims: ["m", "n"] }],
  });
}

/** Builds the nodes of an ONNX graph; shared by the inference and the training graphs. */
export class GraphBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxInitializer[] = [];
  private counter = 0;
  private readonly constants = new Map<string, string>();

  /** Adds a node; its output is `output`, or a fresh name. */
  node(op: string, inputs: readonly string[], attributes?: OnnxNode["attributes"], output?: string): string {
    output ??= `t${this.counter++}`;
    this.nodes.push({ op, inputs, outputs: [output], ...(attributes === undefined ? {} : { attributes }) });
    return output;
  }
  nodes2(op: string, inputs: readonly string[], attributes?: OnnxNode["attributes"]): [string, string] {
    const outputs: [string, string] = [`t${this.counter++}`, `t${this.counter++}`];
    this.nodes.push({ op, inputs, outputs, ...(attributes === undefined ? {} : { attributes }) });
    return outputs;
  }
  /** Splits `x` along `axis` into parts of `sizes`. */
  split(x: string, sizes: readonly number[], axis: number): string[] {
    const outputs = sizes.map(() => `t${this.counter++}`);
    this.nodes.push({ op: "Split", inputs: [x, this.shape(sizes)], outputs, attributes: { axis } });
    return outputs;
  }
  float(value: number): string {
    const key = `f${value}`;
    const existing = this.constants.get(key);
    if (existing !== undefined) return existing;
    const name = `c${this.constants.size}`;
    this.initializers.push({ name, type: OnnxType.FLOAT, dims: [], data: new Float32Array([value]) });
    this.constants.set(key, name);
    return name;
  }
  double(value: number): string {
    const key = `d${value}`;
    const existing = this.constants.get(key);
    if (existing !== undefined) return existing;
    const name = `c${this.constants.size}`;
    this.initializers.push({ name, type: OnnxType.DOUBLE, dims: [], data: new Float64Array([value]) });
    this.constants.set(key, name);
    return name;
  }
  shape(dims: readonly number[]): string {
    const key = `s${dims.join(",")}`;
    const existing = this.constants.get(key);
    if (existing !== undefined) return existing;
    const name = `c${this.constants.size}`;
    this.initializers.push({
      name,
      type: OnnxType.INT64,
      dims: [dims.length],
      data: BigInt64Array.from(dims.map(BigInt)),
    });
    this.constants.set(key, name);
    return name;
  }
  /**
   * Gives `value` the name `name` (a graph output, or a tensor another graph takes back): renames
   * the output of the node that made it when nothing reads it yet, else adds an Identity (a copy).
   */
  rename(value: string, name: string): string {
    const index = this.nodes.findIndex((n) => n.outputs.includes(value));
    const producer = this.nodes[index];
    if (producer === undefined || this.nodes.some((n) => n.inputs.includes(value)))
      return this.node("Identity", [value], undefined, name);
    this.nodes[index] = { ...producer, outputs: producer.outputs.map((o) => (o === value ? name : o)) };
    return name;
  }
  reshape(x: string, dims: readonly number[], output?: string): string {
    return this.node("Reshape", [x, this.shape(dims)], undefined, output);
  }
  transpose(x: string, perm: readonly number[]): string {
    return this.node("Transpose", [x], { perm });
  }
  /** Sum over one axis, kept as size 1. */
  sum(x: string, axis: number): string {
    return this.node("ReduceSum", [x, this.shape([axis])], { keepdims: 1 });
  }
  /** [B, T, heads·d] → [B, Hkv, heads/Hkv, T, d] (attention over a padded batch). */
  splitHeads(x: string, headCountKv: number, group: number, headDim: number): string {
    return this.transpose(this.reshape(x, [0, 0, headCountKv, group, headDim]), [0, 2, 3, 1, 4]);
  }
  /**
   * Causal grouped-query attention over a padded batch: q [B, T, H·d], k/v [B, T, Hkv·d], `mask`
   * [B, T, T] (0 or −∞). Returns the softmax `probs` [B, Hkv, H/Hkv, T, T] (named `probsName`) and
   * the heads' outputs [B, Hkv, H/Hkv, T, d] (merge with {@link mergeHeads}).
   */
  attention(
    q: string,
    k: string,
    v: string,
    mask: string,
    s: { headCount: number; headCountKv: number; headDim: number },
    probsName?: string,
  ): { probs: string; out: string } {
    const { headCount: H, headCountKv: Hkv, headDim: d } = s;
    const kT = this.transpose(this.reshape(k, [0, 0, Hkv, 1, d]), [0, 2, 3, 4, 1]);
    const scores = this.node("Add", [
      this.node("Mul", [this.node("MatMul", [this.splitHeads(q, Hkv, H / Hkv, d), kT]), this.float(1 / Math.sqrt(d))]),
      this.node("Unsqueeze", [mask, this.shape([1, 2])]),
    ]);
    const probs = this.node("Softmax", [scores], { axis: -1 }, probsName);
    return { probs, out: this.node("MatMul", [probs, this.splitHeads(v, Hkv, 1, d)]) };
  }

  /**
   * Backward of {@link attention}: dP = dO·Vᵀ; dV = Σ_group Pᵀ·dO; dS = P ⊙ (dP − rowsum(dP ⊙ P)) · scale;
   * dQ = dS·K; dK = Σ_group dSᵀ·Q. `dOut` [B, T, H·d]; returns heads' gradients (merge with {@link mergeHeads}).
   */
  attentionBackward(
    dOut: string,
    q: string,
    k: string,
    v: string,
    probs: string,
    s: { headCount: number; headCountKv: number; headDim: number },
  ): { dQ: string; dK: string; dV: string } {
    const { headCount: H, headCountKv: Hkv, headDim: d } = s;
    const group = H / Hkv;
    const dO = this.splitHeads(dOut, Hkv, group, d);
    const swap = (t: string): string => this.transpose(t, [0, 1, 2, 4, 3]);
    const dP = this.node("MatMul", [dO, swap(this.splitHeads(v, Hkv, 1, d))]);
    const dV = this.sum(this.node("MatMul", [swap(probs), dO]), 2);
    const rowDot = this.sum(this.node("Mul", [dP, probs]), 4);
    const dS = this.node("Mul", [
      this.node("Mul", [probs, this.node("Sub", [dP, rowDot])]),
      this.float(1 / Math.sqrt(d)),
    ]);
    const dQ = this.node("MatMul", [dS, this.splitHeads(k, Hkv, 1, d)]);
    const dK = this.sum(this.node("MatMul", [swap(dS), this.splitHeads(q, Hkv, group, d)]), 2);
    return { dQ, dK, dV };
  }

  /** [B, Hkv, G, T, d] → [B, T, Hkv·G·d]. */
  mergeHeads(x: string, width: number, output?: string): string {
    return this.reshape(this.transpose(x, [0, 3, 1, 2, 4]), [0, 0, width], output);
  }

  rmsNorm(x: string, weight: string, eps: number): string {
    // As llama.cpp: squares in float32, their sum in float64, the rest in float32. The result
    // feeds 8-bit activation rounding, where a last-bit difference can flip a step.
    const squares = this.node("Cast", [this.node("Mul", [x, x])], { to: OnnxType.DOUBLE });
    const meanSquare = this.node("Cast", [this.node("ReduceMean", [squares], { axes: [-1], keepdims: 1 })], {
      to: OnnxType.FLOAT,
    });
    const scale = this.node("Reciprocal", [this.node("Sqrt", [this.node("Add", [meanSquare, this.float(eps)])])]);
    return this.node("Mul", [this.node("Mul", [x, scale]), weight]);
  }

  /** llama.cpp's conversion of activations before a product with a weight (see ActivationRounding). */
  round(x: string, rounding: ActivationRounding): string {
    if (rounding === "none") return x;
    if (rounding === "f16")
      return this.node("Cast", [this.node("Cast", [x], { to: OnnxType.FLOAT16 })], { to: OnnxType.FLOAT });
    if (rounding === "q8_k") {
      const blocks = this.reshape(x, [0, -1, 256]);
      const amax = this.node("ReduceMax", [this.node("Abs", [blocks])], { axes: [-1], keepdims: 1 });
      // An all-zero block: any positive amax keeps 0·scale at 0.
      const iscale = this.node("Div", [this.float(127), this.node("Max", [amax, this.float(1e-30)])]);
      const q = this.node("Round", [this.node("Mul", [blocks, iscale])]);
      return this.reshape(this.node("Mul", [q, this.node("Reciprocal", [iscale])]), [0, -1]);
    }
    const blocks = this.reshape(x, [0, -1, 32]);
    const amax = this.node("ReduceMax", [this.node("Abs", [blocks])], { axes: [-1], keepdims: 1 });
    const d = this.node("Div", [amax, this.float(127)]);
    // 127/amax as llama.cpp's x86 kernel computes it; an all-zero block keeps 0·id at 0.
    const id = this.node("Div", [this.float(127), this.node("Max", [amax, this.float(1e-30)])]);
    const q = this.node("Round", [this.node("Mul", [blocks, id])]);
    const stored = this.node("Cast", [this.node("Cast", [d], { to: OnnxType.FLOAT16 })], { to: OnnxType.FLOAT });
    return this.reshape(this.node("Mul", [q, stored]), [0, -1]);
  }

  /** llama.cpp's CPU GELU (see `geluF16` in ops.ts): tanh form on the half-rounded input, result rounded to half. */
  geluF16(x: string): string {
    const half = (v: string): string =>
      this.node("Cast", [this.node("Cast", [v], { to: OnnxType.FLOAT16 })], { to: OnnxType.FLOAT });
    const h = half(x);
    const cube = this.node("Mul", [this.node("Mul", [this.float(0.044715), h]), h]);
    const inner = this.node("Mul", [
      this.node("Mul", [this.float(0.7978845608028654), h]),
      this.node("Add", [this.float(1), cube]),
    ]);
    const gelu = half(
      this.node("Mul", [
        this.node("Mul", [this.float(0.5), h]),
        this.node("Add", [this.float(1), this.node("Tanh", [inner])]),
      ]),
    );
    const high = this.node("Where", [this.node("GreaterOrEqual", [x, this.float(10)]), x, gelu]);
    return this.node("Where", [this.node("LessOrEqual", [x, this.float(-10)]), this.float(0), high]);
  }

  /**
   * silu(gate)·up in float64, rounded once (as the reference backend): onnxruntime's float32
   * Sigmoid is an approximation, and with two more roundings its result can sit a few ulps from
   * llama.cpp's, enough to cross an 8-bit rounding step of the down projection's input.
   */
  swiglu(gate: string, up: string): string {
    const g = this.node("Cast", [gate], { to: OnnxType.DOUBLE });
    const silu = this.node("Div", [g, this.node("Add", [this.double(1), this.node("Exp", [this.node("Neg", [g])])])]);
    return this.node("Cast", [this.node("Mul", [silu, this.node("Cast", [up], { to: OnnxType.DOUBLE })])], {
      to: OnnxType.FLOAT,
    });
  }

  linear(x: string, weight: string, bias?: string): string {
    return this.node("Gemm", bias === undefined ? [x, weight] : [x, weight, bias], { transB: 1 });
  }

  /**
   * x·Wᵀ summed in float64 and rounded once, as the reference backend (and, up to its last bits,
   * llama.cpp's integer block sums) compute it. A float32 Gemm sums in its own order, and a
   * last-bit difference can move a later activation across an 8-bit rounding step.
   */
  linearFloat64(x: string, weight: string): string {
    const double = (v: string): string => this.node("Cast", [v], { to: OnnxType.DOUBLE });
    return this.node("Cast", [this.node("Gemm", [double(x), double(weight)], { transB: 1 })], { to: OnnxType.FLOAT });
  }

  /**
   * A block matrix product with llama.cpp's rounding of `x` (unrounded) for the weight's type,
   * then the bias. `float64`: sum in float64 when the activations are rounded (see
   * {@link linearFloat64}); used for the gate and up products, whose outputs meet the down
   * projection's 8-bit rounding after nothing but SwiGLU.
   */
  project(
    x: string,
    rounded: () => string,
    weight: string,
    rounding: ActivationRounding,
    options: { bias?: string; float64?: boolean } = {},
  ): string {
    const product =
      options.float64 === true && rounding !== "none"
        ? this.linearFloat64(rounded(), weight)
        : this.linear(rounded(), weight);
    const y =
      rounding === "q8_1"
        ? this.node("Add", [product, this.linear(this.q8_1Correction(x), `${weight}_mins`)])
        : product;
    return options.bias === undefined ? y : this.node("Add", [y, options.bias]);
  }

  /** llama.cpp's Q8_1 block-sum rounding term (see `q8_1Correction` in ops.ts), [T, in/32]. */
  q8_1Correction(x: string): string {
    const blocks = this.reshape(x, [0, -1, 32]);
    const amax = this.node("ReduceMax", [this.node("Abs", [blocks])], { axes: [-1], keepdims: 1 });
    const d = this.node("Div", [amax, this.float(127)]);
    const id = this.node("Div", [this.float(127), this.node("Max", [amax, this.float(1e-30)])]);
    const sum = this.node("ReduceSum", [this.node("Round", [this.node("Mul", [blocks, id])]), this.shape([-1])], {
      keepdims: 1,
    });
    const half = (v: string): string =>
      this.node("Cast", [this.node("Cast", [v], { to: OnnxType.FLOAT16 })], { to: OnnxType.FLOAT });
    const correction = this.node("Sub", [half(this.node("Mul", [d, sum])), this.node("Mul", [half(d), sum])]);
    return this.reshape(correction, [0, -1]);
  }

  /**
   * Rotary embedding of `x` [T, heads·d] (or [T, heads, d]) → [T, heads, d], with the tables of
   * the graph inputs `rope_cos`/`sin` [T, d/2]. The backward pass passes the negated sines.
   */
  rope(x: string, heads: number, s: Pick<BlockStructure, "headDim" | "ropeType">, sin = "rope_sin"): string {
    const half = s.headDim / 2;
    if (s.ropeType === "norm") {
      const pairs = this.reshape(x, [0, heads, half, 2]);
      const [a, b] = this.nodes2("Split", [pairs], { axis: 3 });
      const cos = this.reshape("rope_cos", [0, 1, half, 1]);
      const sines = this.reshape(sin, [0, 1, half, 1]);
      const r0 = this.node("Sub", [this.node("Mul", [a, cos]), this.node("Mul", [b, sines])]);
      const r1 = this.node("Add", [this.node("Mul", [a, sines]), this.node("Mul", [b, cos])]);
      return this.reshape(this.node("Concat", [r0, r1], { axis: 3 }), [0, heads, s.headDim]);
    }
    const halves = this.reshape(x, [0, heads, 2, half]);
    const [a, b] = this.nodes2("Split", [halves], { axis: 2 });
    const cos = this.reshape("rope_cos", [0, 1, 1, half]);
    const sines = this.reshape(sin, [0, 1, 1, half]);
    const r0 = this.node("Sub", [this.node("Mul", [a, cos]), this.node("Mul", [b, sines])]);
    const r1 = this.node("Add", [this.node("Mul", [a, sines]), this.node("Mul", [b, cos])]);
    return this.reshape(this.node("Concat", [r0, r1], { axis: 2 }), [0, heads, s.headDim]);
  }
}

type Dimension = "n" | "q" | "kv" | "ff";
function dimension(d: Dimension, s: BlockStructure): number {
  return d === "n"
    ? s.embeddingLength
    : d === "q"
      ? s.headCount * s.headDim
      : d === "kv"
        ? s.headCountKv * s.headDim
        : s.feedForwardLength;
}

/** The block's matrices in `BlockStructure.rounding` order: input name, output and input size. */
export const BLOCK_MATRICES: readonly (readonly [string, Dimension, Dimension])[] = [
  ["wq", "q", "n"],
  ["wk", "kv", "n"],
  ["wv", "kv", "n"],
  ["wo", "n", "q"],
  ["w_gate", "ff", "n"],
  ["w_up", "ff", "n"],
  ["w_down", "n", "ff"],
];

/** Names of the block graph's weight inputs, in the order {@link blockGraph} declares them. */
export const BLOCK_WEIGHT_INPUTS = [
  "attn_norm",
  "wq",
  "wk",
  "wv",
  "wo",
  "ffn_norm",
  "w_gate",
  "w_up",
  "w_down",
] as const;

/**
 * The fused decoder-block graph. Inputs: `x` [T, n], `rope_cos`/`rope_sin` [T, d/2], `mask`
 * [T, T] (0 or -inf), the weights ([out, in]) and, with biases, `bq`, `bk`, `bv`. Output `y` [T, n].
 */
export function blockGraph(s: BlockStructure): Uint8Array {
  const g = new GraphBuilder();
  const n = s.embeddingLength;
  const kvWidth = s.headCountKv * s.headDim;
  const group = s.headCount / s.headCountKv;
  const [rq, rk, rv, ro, rg, ru, rd] = s.rounding as [
    ActivationRounding,
    ActivationRounding,
    ActivationRounding,
    ActivationRounding,
    ActivationRounding,
    ActivationRounding,
    ActivationRounding,
  ];
  const h = g.rmsNorm("x", "attn_norm", s.rmsEpsilon);
  const rounded = new Map<ActivationRounding, string>();
  const roundOnce = (r: ActivationRounding): string => rounded.get(r) ?? rounded.set(r, g.round(h, r)).get(r) ?? h;
  const q = g.rope(
    g.project(h, () => roundOnce(rq), "wq", rq, s.biases ? { bias: "bq" } : {}),
    s.headCount,
    s,
  );
  const k = g.rope(
    g.project(h, () => roundOnce(rk), "wk", rk, s.biases ? { bias: "bk" } : {}),
    s.headCountKv,
    s,
  );
  const v = g.project(h, () => roundOnce(rv), "wv", rv, s.biases ? { bias: "bv" } : {});
  // [T, H, d] → [Hkv, group, T, d]; keys → [Hkv, 1, d, T]; values → [Hkv, 1, T, d].
  const qh = g.node("Transpose", [g.reshape(q, [0, s.headCountKv, group, s.headDim])], { perm: [1, 2, 0, 3] });
  const kh = g.node("Transpose", [g.reshape(k, [0, s.headCountKv, 1, s.headDim])], { perm: [1, 2, 3, 0] });
  const vh = g.node("Transpose", [g.reshape(v, [0, s.headCountKv, 1, s.headDim])], { perm: [1, 2, 0, 3] });
  const scores = g.node("Add", [
    g.node("Mul", [g.node("MatMul", [qh, kh]), g.float(1 / Math.sqrt(s.headDim))]),
    "mask",
  ]);
  const attended = g.node("MatMul", [g.node("Softmax", [scores], { axis: -1 }), vh]);
  const qWidth = s.headCount * s.headDim;
  const merged = g.reshape(g.node("Transpose", [attended], { perm: [2, 0, 1, 3] }), [0, qWidth]);
  const x1 = g.node("Add", ["x", g.project(merged, () => g.round(merged, ro), "wo", ro)]);
  const h2 = g.rmsNorm(x1, "ffn_norm", s.rmsEpsilon);
  const rounded2 = new Map<ActivationRounding, string>();
  const roundOnce2 = (r: ActivationRounding): string => rounded2.get(r) ?? rounded2.set(r, g.round(h2, r)).get(r) ?? h2;
  const gate = g.project(h2, () => roundOnce2(rg), "w_gate", rg, { float64: true });
  const up = g.project(h2, () => roundOnce2(ru), "w_up", ru, { float64: true });
  const glu = s.activation === "gelu" ? g.node("Mul", [g.geluF16(gate), up]) : g.swiglu(gate, up);
  g.nodes.push({
    op: "Add",
    inputs: [x1, g.project(glu, () => g.round(glu, rd), "w_down", rd)],
    outputs: ["y"],
  });
  const ff = s.feedForwardLength;
  return encodeOnnxModel({
    name: "block",
    nodes: g.nodes,
    initializers: g.initializers,
    inputs: [
      { name: "x", dims: ["T", n] },
      { name: "rope_cos", dims: ["T", s.headDim / 2] },
      { name: "rope_sin", dims: ["T", s.headDim / 2] },
      { name: "mask", dims: ["T", "T"] },
      { name: "attn_norm", dims: [n] },
      { name: "wq", dims: [qWidth, n] },
      { name: "wk", dims: [kvWidth, n] },
      { name: "wv", dims: [kvWidth, n] },
      { name: "wo", dims: [n, qWidth] },
      { name: "ffn_norm", dims: [n] },
      { name: "w_gate", dims: [ff, n] },
      { name: "w_up", dims: [ff, n] },
      { name: "w_down", dims: [n, ff] },
      ...(s.biases
        ? [
            { name: "bq", dims: [qWidth] },
            { name: "bk", dims: [kvWidth] },
            { name: "bv", dims: [kvWidth] },
          ]
        : []),
      ...BLOCK_MATRICES.flatMap(([name, outputs, inputs], i) =>
        s.rounding[i] === "q8_1"
          ? [{ name: `${name}_mins`, dims: [dimension(outputs, s), dimension(inputs, s) / 32] }]
          : [],
      ),
    ],
    outputs: [{ name: "y", dims: ["T", n] }],
  });
}
