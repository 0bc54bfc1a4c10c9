/**
 * LoRA blocks on the fused onnxruntime graphs (`src/backend/onnx-lora-block.ts`): one native call
 * per block and direction. This file turns a packed batch into the graphs' inputs (gather indices,
 * per-row rope tables, the padded causal mask) and a block's weights into feeds; the maths is in
 * the graphs, and `layers.ts`/`linear.ts` hold the same maths in TypeScript for the tests.
 */
import { type Int8Matrix, packBackward, packForward } from "../backend/onnx-int8.js";
import {
  LORA_BLOCK_INT8_GROUPS,
  LORA_BLOCK_PROJECTIONS,
  LORA_BLOCK_SAVED,
  type LoraBlockStructure,
  loraBlockBackwardGraph,
  loraBlockForwardGraph,
} from "../backend/onnx-lora-block.js";
import type { GraphFeed, GraphRunner } from "../backend/onnx-train.js";
import type { GraphLanes } from "../backend/onnx-lanes.js";
import type { ModelConfig } from "../model/index.js";
import type { LoraTargetModule } from "../adapters/types.js";
import type { PackedBatch } from "./batch.js";
import { DequantScratch, matrixValues } from "./frozen.js";
import type { LinearParams } from "./linear.js";
import { blockShape, type RopeSpec } from "../backend/index.js";
import { dropoutBits } from "../util/random.js";

/** The block parameters the fused path reads. */
export interface FusedBlockParams {
  readonly attnNorm: Float32Array;
  readonly ffnNorm: Float32Array;
  readonly proj: Record<LoraTargetModule, LinearParams>;
}

/** Graph inputs that depend only on the batch: computed once per batch, shared by every block. */
export interface BatchGeometry {
  readonly feeds: Readonly<Record<string, GraphFeed>>;
  readonly rows: number;
}

/** What a block's forward call keeps for its backward call. */
export interface FusedSaved {
  readonly x: Float32Array;
  readonly outputs: Record<string, Float32Array>;
  readonly masks: Record<string, GraphFeed>;
}

/** Whether a block can run fused: LoRA on a frozen base (no base gradient), one rank for all pairs. */
export function fusable(
  block: { readonly proj: Record<LoraTargetModule, LinearParams> },
  dAttnNorm?: Float32Array,
): boolean {
  if (dAttnNorm !== undefined) return false;
  const ranks = new Set<number>();
  for (const name of LORA_BLOCK_PROJECTIONS) {
    const p = block.proj[name];
    if (p.dW !== undefined || p.dBias !== undefined) return false;
    if (p.lora !== undefined) ranks.add(p.lora.rank);
  }
  return ranks.size === 1;
}

/** Pad/unpad indices, per-row rope tables and the causal mask of a packed batch. */
export function batchGeometry(batch: PackedBatch, rope: RopeSpec): BatchGeometry {
  const { boundaries } = batch;
  const B = boundaries.length - 1;
  const N = boundaries.at(-1) ?? 0;
  let T = 0;
  for (let b = 0; b < B; b++) T = Math.max(T, (boundaries[b + 1] ?? 0) - (boundaries[b] ?? 0));
  const padIndex = new BigInt64Array(B * T).fill(BigInt(N));
  const unpadIndex = new BigInt64Array(N);
  const mask = new Float32Array(B * T * T);
  for (let b = 0; b < B; b++) {
    const start = boundaries[b] ?? 0;
    const length = (boundaries[b + 1] ?? 0) - start;
    for (let t = 0; t < length; t++) {
      padIndex[b * T + t] = BigInt(start + t);
      unpadIndex[start + t] = BigInt(b * T + t);
    }
    // Padded keys are never attended; a padded query row keeps key 0, so no row is all −∞.
    for (let t = 0; t < T; t++)
      for (let s = 0; s < T; s++) if (s > t || s >= length) mask[(b * T + t) * T + s] = -Infinity;
  }
  const half = rope.headDim / 2;
  const cos = new Float32Array(N * half);
  const sin = new Float32Array(N * half);
  for (let i = 0; i < N; i++) {
    const p = (rope.positions[i] ?? 0) * half;
    cos.set(rope.cos.subarray(p, p + half), i * half);
    sin.set(rope.sin.subarray(p, p + half), i * half);
  }
  return {
    rows: N,
    feeds: {
      pad_index: { data: padIndex, dims: [B * T] },
      unpad_index: { data: unpadIndex, dims: [N] },
      padded_shape: { data: BigInt64Array.from([BigInt(B), BigInt(T), -1n]), dims: [3] },
      mask: { data: mask, dims: [B, T, T] },
      rope_cos: { data: cos, dims: [N, half] },
      rope_sin: { data: sin, dims: [N, half] },
    },
  };
}

/** The fp32 base weight inputs of the block graphs, in `LORA_BLOCK_PROJECTIONS` order. */
const BASE_WEIGHT_NAMES = ["wq", "wk", "wv", "wo", "w_gate", "w_up", "w_down"] as const;

let nextLaneKey = 0;

/** How the fused blocks multiply by the frozen base weights. */
export type FrozenCompute = "fp32" | "int8";

/** A block's graphs and inputs for the lanes (`lanes.ts`), which compose them into sequences. */
export interface LaneBlock {
  /** A number for the block, unique within this {@link FusedLoraBlocks}. */
  readonly id: number;
  readonly forward: { readonly key: string; readonly build: () => Uint8Array };
  readonly backward: { readonly key: string; readonly build: () => Uint8Array };
  /** Constant groups of the base weights, per direction. */
  readonly constants: { readonly f: readonly string[]; readonly b: readonly string[] };
  /** Weight feeds per direction, without x and without the packed weights. */
  feeds(rows: number, direction: "f" | "b"): Record<string, GraphFeed>;
  /** What the backward graph takes back from the forward call: its input x and saved outputs. */
  readonly saved: readonly string[];
}

/** A block's frozen weights packed for the int8 products: feeds of both directions. */
type Int8Feeds = Record<"f" | "b", Record<string, GraphFeed>>;

/** Runs LoRA blocks on the fused graphs. */
export class FusedLoraBlocks {
  /** One dequantisation buffer set per projection: all seven are inputs of one call. */
  private readonly scratch = LORA_BLOCK_PROJECTIONS.map(() => new DequantScratch());
  /** Packed int8 weights per block, made on first use (the base weights never change). */
  private readonly int8 = new WeakMap<FusedBlockParams, Int8Feeds>();
  /** Block numbers for the lanes' constant keys. */
  private readonly ids = new Map<FusedBlockParams, number>();
  /** This instance's prefix of the lanes' constant keys: lanes may serve several models. */
  readonly laneKey = `model-${nextLaneKey++}`;

  /**
   * @param compute `int8`: frozen products in 8-bit integers (`src/backend/onnx-int8.ts`), about
   * 2 bytes per base weight more memory and a small error against fp32; default `fp32`.
   */
  constructor(
    private readonly runner: GraphRunner,
    private readonly config: ModelConfig,
    private readonly compute: FrozenCompute = "fp32",
  ) {}

  private int8Feeds(block: FusedBlockParams): Int8Feeds {
    let feeds = this.int8.get(block);
    if (feeds === undefined) this.int8.set(block, (feeds = this.packInt8(block)));
    return feeds;
  }

  /** The frozen base weights' feeds: packed int8 (cached), or the fp32 matrices (dequantised per call). */
  private baseFeeds(block: FusedBlockParams, direction: "f" | "b"): Record<string, GraphFeed> {
    if (this.compute === "int8") return this.int8Feeds(block)[direction];
    const feeds: Record<string, GraphFeed> = {};
    LORA_BLOCK_PROJECTIONS.forEach((name, i) => {
      const p = block.proj[name];
      feeds[BASE_WEIGHT_NAMES[i] as string] = {
        data: matrixValues(p.w, this.scratch[i]),
        dims: [p.outFeatures, p.inFeatures],
      };
    });
    return feeds;
  }

  private packInt8(block: FusedBlockParams): Int8Feeds {
    const feeds: Int8Feeds = { f: {}, b: {} };
    for (const { name, projections } of LORA_BLOCK_INT8_GROUPS) {
      const parts = projections.map((i) => {
        const p = block.proj[LORA_BLOCK_PROJECTIONS[i] as LoraTargetModule];
        // No scratch buffer: same-sized matrices of one group are read together.
        return { values: matrixValues(p.w), outFeatures: p.outFeatures, inFeatures: p.inFeatures };
      });
      const feed = (m: Int8Matrix): [GraphFeed, GraphFeed] => [
        { data: m.codes, dims: [m.rows, m.columns] },
        { data: m.scales, dims: [m.columns] },
      ];
      [feeds.f[`w8f_${name}`], feeds.f[`s8f_${name}`]] = feed(packForward(parts));
      [feeds.b[`w8b_${name}`], feeds.b[`s8b_${name}`]] = feed(packBackward(parts));
    }
    return feeds;
  }

  /**
   * `block` for the lanes, with `dropout` masks or none: its packed int8 weights are sent to every
   * lane once (packed here when a lane set first needs them, and not kept on this thread).
   */
  async onLanes(block: FusedBlockParams, lanes: GraphLanes, dropout: boolean): Promise<LaneBlock> {
    let id = this.ids.get(block);
    if (id === undefined) this.ids.set(block, (id = this.ids.size));
    // fp32: one group serves both directions (the same matrices); int8: one packing each way.
    const int8 = this.compute === "int8";
    const prefix = `${this.laneKey}:block-${id}`;
    const keys = { f: `${prefix}:f`, b: int8 ? `${prefix}:b` : `${prefix}:f` };
    await lanes.ensureConstants([...new Set([keys.f, keys.b])], () => {
      if (!int8) return { [keys.f]: this.baseFeeds(block, "f") };
      const packed = this.packInt8(block);
      return { [keys.f]: packed.f, [keys.b]: packed.b };
    });
    const s = this.structure(block, dropout);
    return {
      id,
      forward: { key: `lora-block-f:${JSON.stringify(s)}`, build: () => loraBlockForwardGraph(s) },
      backward: { key: `lora-block-b:${JSON.stringify(s)}`, build: () => loraBlockBackwardGraph(s) },
      constants: { f: [keys.f], b: [keys.b] },
      feeds: (rows, direction) => this.weightFeeds(block, rows, undefined, direction, true),
      saved: [
        "x",
        ...LORA_BLOCK_SAVED,
        ...LORA_BLOCK_PROJECTIONS.filter((name) => block.proj[name].lora !== undefined).map((name) => `u_${name}`),
      ],
    };
  }

  private structure(block: FusedBlockParams, dropout: boolean): LoraBlockStructure {
    const c = this.config;
    const proj = LORA_BLOCK_PROJECTIONS.map((name) => block.proj[name]);
    return {
      ...blockShape(c),
      biases: block.proj.q.bias !== undefined,
      rank: proj.find((p) => p.lora !== undefined)?.lora?.rank ?? 1,
      lora: proj.map((p) => p.lora !== undefined),
      rounding: proj.map((p) => p.w.activationRounding),
      dropout,
      ...(this.compute === "int8" ? { int8: true } : {}),
    };
  }

  private weightFeeds(
    block: FusedBlockParams,
    rows: number,
    x: Float32Array | undefined,
    direction: "f" | "b",
    onLane = false,
  ): Record<string, GraphFeed> {
    const c = this.config;
    const n = c.embeddingLength;
    // No x: the lane kept it from the forward call.
    const feeds: Record<string, GraphFeed> = {
      ...(x === undefined ? {} : { x: { data: x, dims: [rows, n] } }),
      attn_norm: { data: block.attnNorm, dims: [n] },
      ffn_norm: { data: block.ffnNorm, dims: [n] },
    };
    // On a lane the base weights are the lane's constants.
    if (!onLane) Object.assign(feeds, this.baseFeeds(block, direction));
    let scale = 1;
    LORA_BLOCK_PROJECTIONS.forEach((name) => {
      const p = block.proj[name];
      if (p.lora !== undefined) {
        feeds[`a_${name}`] = { data: p.lora.a, dims: [p.lora.rank, p.inFeatures] };
        feeds[`b_${name}`] = { data: p.lora.b, dims: [p.outFeatures, p.lora.rank] };
        scale = p.lora.scale;
      }
    });
    feeds.scale = { data: new Float32Array([scale]), dims: [] };
    for (const [name, p] of [
      ["bq", block.proj.q],
      ["bk", block.proj.k],
      ["bv", block.proj.v],
    ] as const)
      if (p.bias !== undefined) feeds[name] = { data: p.bias, dims: [p.outFeatures] };
    return feeds;
  }

  /**
   * The dropout masks of `block` for `rows` rows, drawn from `random` in the TypeScript path's
   * order (q, k, v, o, gate, up, down); none without `random` or with dropout 0.
   */
  masks(block: FusedBlockParams, rows: number, random?: () => number): Record<string, GraphFeed> {
    const p =
      LORA_BLOCK_PROJECTIONS.map((name) => block.proj[name]).find((q) => q.lora !== undefined)?.lora?.dropout ?? 0;
    const masks: Record<string, GraphFeed> = {};
    if (random === undefined || p <= 0) return masks;
    for (const name of LORA_BLOCK_PROJECTIONS) {
      const q = block.proj[name];
      if (q.lora === undefined) continue;
      masks[`keep_${name}`] = { data: dropoutBits(rows * q.inFeatures, p, random), dims: [rows, q.inFeatures] };
    }
    masks.keep_scale = { data: new Float32Array([1 / (1 - p)]), dims: [] };
    return masks;
  }

  /** Forward pass of one block with its dropout `masks` (see {@link masks}). */
  async forward(
    block: FusedBlockParams,
    x: Float32Array,
    geometry: BatchGeometry,
    masks: Record<string, GraphFeed> = {},
  ): Promise<{ y: Float32Array; saved: FusedSaved }> {
    const s = this.structure(block, Object.keys(masks).length > 0);
    const outputs = await this.runner.runGraph(`lora-block-f:${JSON.stringify(s)}`, () => loraBlockForwardGraph(s), {
      ...geometry.feeds,
      ...this.weightFeeds(block, geometry.rows, x, "f"),
      ...masks,
    });
    const y = outputs.y as Float32Array;
    delete outputs.y;
    return { y, saved: { x, outputs, masks } };
  }

  /** Backward pass of one block: dx and the LoRA gradients of this batch (add them with {@link accumulate}). */
  async backward(
    block: FusedBlockParams,
    saved: FusedSaved,
    dy: Float32Array,
    geometry: BatchGeometry,
  ): Promise<{ dx: Float32Array; grads: Record<string, Float32Array> }> {
    const rows = geometry.rows;
    const s = this.structure(block, Object.keys(saved.masks).length > 0);
    const { mask: _mask, ...feeds } = geometry.feeds;
    void _mask;
    const c = this.config;
    const n = c.embeddingLength;
    const savedFeeds: Record<string, GraphFeed> = { d_y: { data: dy, dims: [rows, n] } };
    const o = saved.outputs;
    const dims: Record<(typeof LORA_BLOCK_SAVED)[number], readonly number[]> = {
      x1: [rows, n],
      q_pad: shapeOf(o.q_pad, geometry, c.headCount * c.headDim),
      k_pad: shapeOf(o.k_pad, geometry, c.headCountKv * c.headDim),
      v_pad: shapeOf(o.v_pad, geometry, c.headCountKv * c.headDim),
      probs: probsShape(geometry, c),
      attended: [rows, c.headCount * c.headDim],
      gate: [rows, c.feedForwardLength],
      up: [rows, c.feedForwardLength],
    };
    for (const name of LORA_BLOCK_SAVED) savedFeeds[name] = { data: o[name] as Float32Array, dims: dims[name] };
    for (const name of LORA_BLOCK_PROJECTIONS) {
      const lora = block.proj[name].lora;
      if (lora !== undefined)
        savedFeeds[`u_${name}`] = { data: o[`u_${name}`] as Float32Array, dims: [rows, lora.rank] };
    }
    const out = await this.runner.runGraph(`lora-block-b:${JSON.stringify(s)}`, () => loraBlockBackwardGraph(s), {
      ...feeds,
      ...this.weightFeeds(block, rows, saved.x, "b"),
      ...saved.masks,
      ...savedFeeds,
    });
    const dx = out.d_x as Float32Array;
    delete out.d_x;
    return { dx, grads: out };
  }

  /** Adds one backward pass's LoRA gradients (`d_a_<name>`, `d_b_<name>`) to the block's. */
  accumulate(block: FusedBlockParams, grads: Readonly<Record<string, Float32Array>>): void {
    for (const name of LORA_BLOCK_PROJECTIONS) {
      const lora = block.proj[name].lora;
      if (lora === undefined) continue;
      addInto(lora.dA, grads[`d_a_${name}`] as Float32Array);
      addInto(lora.dB, grads[`d_b_${name}`] as Float32Array);
    }
  }
}

function paddedSize(geometry: BatchGeometry): [number, number] {
  const shape = geometry.feeds.padded_shape?.data as BigInt64Array;
  return [Number(shape[0]), Number(shape[1])];
}

function shapeOf(_data: Float32Array | undefined, geometry: BatchGeometry, width: number): number[] {
  const [B, T] = paddedSize(geometry);
  return [B, T, width];
}

function probsShape(geometry: BatchGeometry, c: ModelConfig): number[] {
  const [B, T] = paddedSize(geometry);
  return [B, c.headCountKv, c.headCount / c.headCountKv, T, T];
}

function addInto(into: Float32Array, value: Float32Array): void {
  for (let i = 0; i < into.length; i++) into[i] = (into[i] as number) + (value[i] as number);
}
