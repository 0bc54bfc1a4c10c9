/**
 * A whole decoder block of LoRA training as one onnxruntime graph each way: RMSNorm, the seven
 * projections (frozen base product with llama.cpp's activation rounding, bias, LoRA path with
 * its dropout mask), rope, causal grouped-query attention, residuals and SwiGLU forward; their
 * backward, returning dx and every LoRA gradient. One native call per block and direction
 * leaves no elementwise work in TypeScript and lets onnxruntime schedule the block's products.
 *
 * Rows are the packed tokens of a micro-batch [N, ·]; attention needs a rectangle, so q, k and v
 * are gathered into [B, T, ·] (`pad_index`: a packed row, or N for a zero row) and the result
 * gathered back (`unpad_index`). Padded rows carry no gradient, so they change nothing.
 * Layouts and maths follow `src/train/layers.ts` and `linear.ts`, which the tests compare with.
 */
import { BLOCK_MATRICES, GraphBuilder } from "./onnx-graphs.js";
import { int8Product } from "./onnx-int8.js";
import { encodeOnnxModel, type OnnxValueInfo, OnnxType } from "./onnx-proto.js";
import type { ActivationRounding, BlockShape } from "./types.js";

/** The seven projections, in `BLOCK_MATRICES` order. */
export const LORA_BLOCK_PROJECTIONS = ["q", "k", "v", "o", "gate", "up", "down"] as const;

/** Everything a compiled block graph depends on except the sizes N, B and T. */
export interface LoraBlockStructure extends BlockShape {
  /** q/k/v biases (qwen2). */
  readonly biases: boolean;
  readonly rank: number;
  /** Per projection (`LORA_BLOCK_PROJECTIONS` order): has a LoRA pair. */
  readonly lora: readonly boolean[];
  /** Per projection: activation rounding before the base product. */
  readonly rounding: readonly ActivationRounding[];
  /** Dropout masks (`keep_<name>`, uint8) are inputs. */
  readonly dropout: boolean;
  /**
   * Frozen products in 8-bit integers (`onnx-int8.ts`): the weights come as the packed groups of
   * {@link LORA_BLOCK_INT8_GROUPS} instead of F32 `wq`…`w_down`, and `rounding` is not applied.
   */
  readonly int8?: boolean;
}

/**
 * Projections that share an input, packed into one int8 matrix per group so that each group is
 * one integer product each way (q, k, v read the same normalised x; gate and up the same h2).
 * Inputs `w8f_<group>` [in, Σout] int8 and `s8f_<group>` [Σout] (forward), `w8b_<group>` [Σout, in]
 * and `s8b_<group>` [in] (backward): see `packForward`/`packBackward`.
 */
export const LORA_BLOCK_INT8_GROUPS: readonly { readonly name: string; readonly projections: readonly number[] }[] = [
  { name: "qkv", projections: [0, 1, 2] },
  { name: "o", projections: [3] },
  { name: "gu", projections: [4, 5] },
  { name: "down", projections: [6] },
];

interface Widths {
  readonly input: number;
  readonly output: number;
}

function widths(s: LoraBlockStructure): Widths[] {
  const size = {
    n: s.embeddingLength,
    q: s.headCount * s.headDim,
    kv: s.headCountKv * s.headDim,
    ff: s.feedForwardLength,
  };
  return BLOCK_MATRICES.map(([, output, input]) => ({ input: size[input], output: size[output] }));
}

const WEIGHT = ["wq", "wk", "wv", "wo", "w_gate", "w_up", "w_down"] as const;

/** The int8 weight inputs of one direction. */
function int8Inputs(s: LoraBlockStructure, direction: "f" | "b"): OnnxValueInfo[] {
  const w = widths(s);
  return LORA_BLOCK_INT8_GROUPS.flatMap(({ name, projections }) => {
    const input = w[projections[0] as number]?.input ?? 0;
    const output = projections.reduce((sum, i) => sum + (w[i]?.output ?? 0), 0);
    return direction === "f"
      ? [
          { name: `w8f_${name}`, type: OnnxType.INT8, dims: [input, output] },
          { name: `s8f_${name}`, dims: [output] },
        ]
      : [
          { name: `w8b_${name}`, type: OnnxType.INT8, dims: [output, input] },
          { name: `s8b_${name}`, dims: [input] },
        ];
  });
}

/** Graph inputs shared by both directions: the weights, LoRA pairs, rope tables, gather indices and masks. */
function sharedInputs(s: LoraBlockStructure, direction: "f" | "b"): OnnxValueInfo[] {
  const w = widths(s);
  const inputs: OnnxValueInfo[] = [
    { name: "x", dims: ["N", s.embeddingLength] },
    { name: "rope_cos", dims: ["N", s.headDim / 2] },
    { name: "rope_sin", dims: ["N", s.headDim / 2] },
    { name: "pad_index", type: OnnxType.INT64, dims: ["P"] },
    { name: "unpad_index", type: OnnxType.INT64, dims: ["N"] },
    { name: "attn_norm", dims: [s.embeddingLength] },
    { name: "ffn_norm", dims: [s.embeddingLength] },
    { name: "scale", dims: [] },
  ];
  LORA_BLOCK_PROJECTIONS.forEach((name, i) => {
    const { input, output } = w[i] as Widths;
    if (s.int8 !== true) inputs.push({ name: WEIGHT[i] as string, dims: [output, input] });
    if (s.lora[i] === true) {
      inputs.push({ name: `a_${name}`, dims: [s.rank, input] }, { name: `b_${name}`, dims: [output, s.rank] });
      if (s.dropout) inputs.push({ name: `keep_${name}`, type: OnnxType.UINT8, dims: ["N", input] });
    }
  });
  if (s.dropout) inputs.push({ name: "keep_scale", dims: [] });
  if (s.biases)
    for (const name of ["bq", "bk", "bv"])
      inputs.push({ name, dims: [name === "bq" ? (w[0]?.output ?? 0) : (w[1]?.output ?? 0)] });
  if (s.int8 === true) inputs.push(...int8Inputs(s, direction));
  return inputs;
}

/** RMSNorm in float32 (training: no 8-bit rounding depends on its last bit here). */
function rmsNorm(g: GraphBuilder, x: string, weight: string, eps: number): { y: string; rstd: string } {
  const meanSquare = g.node("ReduceMean", [g.node("Mul", [x, x])], { axes: [-1], keepdims: 1 });
  const rstd = g.node("Reciprocal", [g.node("Sqrt", [g.node("Add", [meanSquare, g.float(eps)])])]);
  return { y: g.node("Mul", [g.node("Mul", [x, rstd]), weight]), rstd };
}

/** The LoRA input: the projection's input times its dropout mask. */
function loraInput(g: GraphBuilder, s: LoraBlockStructure, x: string, name: string): string {
  if (!s.dropout) return x;
  return g.node("Mul", [x, g.node("Mul", [g.node("Cast", [`keep_${name}`], { to: OnnxType.FLOAT }), "keep_scale"])]);
}

/** [N, w] packed → [B, T, w] (rows gathered through `pad_index`, a zero row for padding). */
function pad(g: GraphBuilder, x: string): string {
  const withZero = g.node("Pad", [x, g.shape([0, 0, 1, 0])]);
  return g.node("Reshape", [g.node("Gather", [withZero, "pad_index"], { axis: 0 }), "padded_shape"]);
}

/** [B, T, w] → [N, w]. */
function unpad(g: GraphBuilder, x: string, width: number): string {
  return g.node("Gather", [g.reshape(x, [-1, width]), "unpad_index"], { axis: 0 });
}

/** Gives `value` a graph-level name (an output, or a saved tensor of the backward pass). */
function named(g: GraphBuilder, value: string, name: string): string {
  return g.rename(value, name);
}

/** Forward graph. Outputs `y` and what the backward graph takes back (see {@link LORA_BLOCK_SAVED}). */
export function loraBlockForwardGraph(s: LoraBlockStructure): Uint8Array {
  const g = new GraphBuilder();
  const { headCount: H, headCountKv: Hkv, headDim: d } = s;
  const outputs: OnnxValueInfo[] = [];
  const w = widths(s);
  // int8: one integer product per group of projections sharing an input, split per projection.
  const int8Base = new Map<number, string>();
  const int8Group = (group: number, input: string, normalized = false): void => {
    const { name, projections } = LORA_BLOCK_INT8_GROUPS[group] as (typeof LORA_BLOCK_INT8_GROUPS)[number];
    const product = int8Product(g, input, `w8f_${name}`, `s8f_${name}`, { perRow: !normalized });
    const parts =
      projections.length === 1
        ? [product]
        : g.split(
            product,
            projections.map((i) => w[i]?.output ?? 0),
            1,
          );
    projections.forEach((i, j) => int8Base.set(i, parts[j] as string));
  };
  const project = (i: number, input: string, bias?: string): string => {
    const name = LORA_BLOCK_PROJECTIONS[i] as string;
    // The bias and the LoRA term accumulate into the base product (Gemm's C input): no separate
    // elementwise pass over [N, out] for either; the scale multiplies u [N, r], not the product.
    const int8 = int8Base.get(i);
    const base =
      int8 === undefined
        ? g.linear(g.round(input, s.rounding[i] ?? "none"), WEIGHT[i] as string, bias)
        : bias === undefined
          ? int8
          : g.node("Add", [int8, bias]);
    if (s.lora[i] !== true) return base;
    const u = named(g, g.linear(loraInput(g, s, input, name), `a_${name}`), `u_${name}`);
    outputs.push({ name: u, dims: ["N", s.rank] });
    return g.node("Gemm", [g.node("Mul", [u, "scale"]), `b_${name}`, base], { transB: 1 });
  };
  const h1 = rmsNorm(g, "x", "attn_norm", s.rmsEpsilon).y;
  if (s.int8 === true) int8Group(0, h1, true);
  const q = g.reshape(g.rope(project(0, h1, s.biases ? "bq" : undefined), H, s), [0, H * d]);
  const k = g.reshape(g.rope(project(1, h1, s.biases ? "bk" : undefined), Hkv, s), [0, Hkv * d]);
  const v = project(2, h1, s.biases ? "bv" : undefined);
  const qp = named(g, pad(g, q), "q_pad");
  const kp = named(g, pad(g, k), "k_pad");
  const vp = named(g, pad(g, v), "v_pad");
  const { out } = g.attention(qp, kp, vp, "mask", s, "probs");
  const attendedPadded = g.mergeHeads(out, H * d);
  const attended = named(g, unpad(g, attendedPadded, H * d), "attended");
  if (s.int8 === true) int8Group(1, attended);
  const x1 = named(g, g.node("Add", ["x", project(3, attended)]), "x1");
  const h2 = rmsNorm(g, x1, "ffn_norm", s.rmsEpsilon).y;
  if (s.int8 === true) int8Group(2, h2, true);
  const gate = named(g, project(4, h2), "gate");
  const up = named(g, project(5, h2), "up");
  const glu = g.node("Mul", [g.node("Mul", [gate, g.node("Sigmoid", [gate])]), up]);
  if (s.int8 === true) int8Group(3, glu);
  named(g, g.node("Add", [x1, project(6, glu)]), "y");
  const n = s.embeddingLength;
  return encodeOnnxModel({
    name: "lora_block_forward",
    nodes: g.nodes,
    initializers: g.initializers,
    inputs: [
      ...sharedInputs(s, "f"),
      { name: "mask", dims: ["B", "T", "T"] },
      { name: "padded_shape", type: OnnxType.INT64, dims: [3] },
    ],
    outputs: [{ name: "y", dims: ["N", n] }, ...savedValues(s), ...outputs],
  });
}

/** What the forward graph saves for the backward graph (plus `u_<name>` per LoRA projection). */
export const LORA_BLOCK_SAVED = ["x1", "q_pad", "k_pad", "v_pad", "probs", "attended", "gate", "up"] as const;

/** The {@link LORA_BLOCK_SAVED} tensors with their dims: forward outputs and backward inputs. */
function savedValues(s: LoraBlockStructure): OnnxValueInfo[] {
  const w = widths(s);
  const { headCount: H, headCountKv: Hkv, headDim: d } = s;
  const dims: Record<(typeof LORA_BLOCK_SAVED)[number], OnnxValueInfo["dims"]> = {
    x1: ["N", s.embeddingLength],
    q_pad: ["B", "T", H * d],
    k_pad: ["B", "T", Hkv * d],
    v_pad: ["B", "T", Hkv * d],
    probs: ["B", Hkv, H / Hkv, "T", "T"],
    attended: ["N", H * d],
    gate: ["N", w[4]?.output ?? 0],
    up: ["N", w[5]?.output ?? 0],
  };
  return LORA_BLOCK_SAVED.map((name) => ({ name, dims: dims[name] }));
}

/** Backward graph: `d_y` and the saved tensors in; `d_x`, `d_a_<name>`, `d_b_<name>` out. */
export function loraBlockBackwardGraph(s: LoraBlockStructure): Uint8Array {
  const g = new GraphBuilder();
  const w = widths(s);
  const { headCount: H, headCountKv: Hkv, headDim: d } = s;
  const n = s.embeddingLength;
  const outputs: OnnxValueInfo[] = [];
  // dx = dy·W (+ the LoRA path's dx through the mask); dA = (scale·dy·B)ᵀ·xl, dB = scale·dyᵀ·u.
  // `base`: the frozen product's dx when computed for a group (int8), else dy·W here.
  const back = (i: number, dy: string, input: string, base?: string): string => {
    const name = LORA_BLOCK_PROJECTIONS[i] as string;
    const dx = base ?? g.node("MatMul", [dy, WEIGHT[i] as string]);
    if (s.lora[i] !== true) return dx;
    const { input: inWidth, output: outWidth } = w[i] as Widths;
    const du = g.node("Mul", [g.node("MatMul", [dy, `b_${name}`]), "scale"]);
    named(g, g.node("Mul", [g.node("Gemm", [dy, `u_${name}`], { transA: 1 }), "scale"]), `d_b_${name}`);
    named(g, g.node("Gemm", [du, loraInput(g, s, input, name)], { transA: 1 }), `d_a_${name}`);
    outputs.push({ name: `d_a_${name}`, dims: [s.rank, inWidth] }, { name: `d_b_${name}`, dims: [outWidth, s.rank] });
    // Without dropout the LoRA path's dx accumulates into the base one (Gemm's C input).
    if (!s.dropout) return g.node("Gemm", [du, `a_${name}`, dx]);
    const dLora = g.node("MatMul", [du, `a_${name}`]);
    const keep = g.node("Mul", [g.node("Cast", [`keep_${name}`], { to: OnnxType.FLOAT }), "keep_scale"]);
    return g.node("Add", [dx, g.node("Mul", [dLora, keep])]);
  };
  // RMSNorm backward, n = x·s: dx = s·(w⊙dy) − s³/width · x · Σ(w⊙dy⊙x).
  const normBack = (dy: string, x: string, rstd: string, weight: string): string => {
    const wdy = g.node("Mul", [dy, weight]);
    const dot = g.node("ReduceSum", [g.node("Mul", [wdy, x]), g.shape([-1])], { keepdims: 1 });
    const c = g.node("Div", [g.node("Mul", [g.node("Mul", [g.node("Mul", [rstd, rstd]), rstd]), dot]), g.float(n)]);
    return g.node("Sub", [g.node("Mul", [wdy, rstd]), g.node("Mul", [x, c])]);
  };
  const norm1 = rmsNorm(g, "x", "attn_norm", s.rmsEpsilon);
  const norm2 = rmsNorm(g, "x1", "ffn_norm", s.rmsEpsilon);
  const sigmoid = g.node("Sigmoid", ["gate"]);
  const glu = g.node("Mul", [g.node("Mul", ["gate", sigmoid]), "up"]);
  // y = x1 + down(swiglu(gate(h2), up(h2))): dx1 = dy + norm'ᵀ(dh2).
  // int8: dx of a group is one integer product [dy₁ … dy_p]·[W₁;…;W_p]; the LoRA terms add to it.
  const int8Back = (group: number, dys: readonly string[]): string => {
    const name = LORA_BLOCK_INT8_GROUPS[group]?.name ?? "";
    const dy = dys.length === 1 ? (dys[0] as string) : g.node("Concat", dys, { axis: 1 });
    return int8Product(g, dy, `w8b_${name}`, `s8b_${name}`);
  };
  const int8 = s.int8 === true;
  const dGlu = back(6, "d_y", glu, int8 ? int8Back(3, ["d_y"]) : undefined);
  const dUp = g.node("Mul", [dGlu, g.node("Mul", ["gate", sigmoid])]);
  const siluSlope = g.node("Mul", [
    sigmoid,
    g.node("Add", [g.float(1), g.node("Mul", ["gate", g.node("Sub", [g.float(1), sigmoid])])]),
  ]);
  const dGate = g.node("Mul", [g.node("Mul", [dGlu, "up"]), siluSlope]);
  const dh2 = int8
    ? back(4, dGate, norm2.y, back(5, dUp, norm2.y, int8Back(2, [dGate, dUp])))
    : g.node("Add", [back(4, dGate, norm2.y), back(5, dUp, norm2.y)]);
  const dx1 = g.node("Add", ["d_y", normBack(dh2, "x1", norm2.rstd, "ffn_norm")]);
  // x1 = x + o(attention(rope(q(h)), rope(k(h)), v(h))), h = norm(x).
  const dAttended = pad(g, back(3, dx1, "attended", int8 ? int8Back(1, [dx1]) : undefined));
  const { dQ: dQHeads, dK: dKHeads, dV } = g.attentionBackward(dAttended, "q_pad", "k_pad", "v_pad", "probs", s);
  const dQ = unpad(g, g.mergeHeads(dQHeads, H * d), H * d);
  const dK = unpad(g, g.mergeHeads(dKHeads, Hkv * d), Hkv * d);
  const dV2 = unpad(g, g.mergeHeads(dV, Hkv * d), Hkv * d);
  // A rotation's transpose is the rotation by the negative angle.
  const negativeSin = g.node("Neg", ["rope_sin"]);
  const dq = g.reshape(g.rope(dQ, H, s, negativeSin), [0, H * d]);
  const dk = g.reshape(g.rope(dK, Hkv, s, negativeSin), [0, Hkv * d]);
  const dh = int8
    ? back(0, dq, norm1.y, back(1, dk, norm1.y, back(2, dV2, norm1.y, int8Back(0, [dq, dk, dV2]))))
    : g.node("Add", [g.node("Add", [back(0, dq, norm1.y), back(1, dk, norm1.y)]), back(2, dV2, norm1.y)]);
  named(g, g.node("Add", [dx1, normBack(dh, "x", norm1.rstd, "attn_norm")]), "d_x");
  const lora = LORA_BLOCK_PROJECTIONS.filter((_, i) => s.lora[i] === true);
  return encodeOnnxModel({
    name: "lora_block_backward",
    nodes: g.nodes,
    initializers: g.initializers,
    inputs: [
      ...sharedInputs(s, "b"),
      { name: "padded_shape", type: OnnxType.INT64, dims: [3] },
      { name: "d_y", dims: ["N", n] },
      ...savedValues(s),
      ...lora.map((name) => ({ name: `u_${name}`, dims: ["N", s.rank] })),
    ],
    outputs: [{ name: "d_x", dims: ["N", n] }, ...outputs],
  });
}
