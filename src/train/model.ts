/**
 * A llama/qwen2 decoder prepared for training: frozen base weights plus LoRA pairs (or, in full
 * fine-tuning mode, every weight trainable), with the forward pass over a packed batch and the
 * backward pass written block by block in reverse. Layer maths lives in `layers.ts`/`linear.ts`.
 */
import {
  type Backend,
  type BlockMatrix,
  roundActivations,
  ropeInPlace,
  type RopeSpec,
  ropeTables,
} from "../backend/index.js";
import { DequantScratch, type FrozenMatrix, QuantizedMatrix, type TrainWeights } from "./frozen.js";
import {
  LORA_TARGET_MODULES,
  LORA_TARGET_SUFFIXES,
  type LoraAdapter,
  type LoraTargetModule,
} from "../adapters/types.js";
import { loraScale } from "../adapters/validate.js";
import type { AttentionKernels } from "../backend/onnx-train.js";
import { type AttentionRunner, type AttentionSaved, loopAttention } from "./attention.js";
import {
  addInto,
  type AttentionSpec,
  crossEntropyInPlace,
  embeddingBackward,
  embeddingForward,
  rmsNormBackward,
  rmsNormForward,
  swigluBackward,
  swigluForward,
} from "./layers.js";
import { type LinearCache, type LinearParams, linearBackward, linearForward, type LoraWeights } from "./linear.js";
import type { PackedBatch } from "./batch.js";
import { createRandom, Rng } from "../util/random.js";
import { TrainError } from "../util/errors.js";
import {
  type BatchGeometry,
  batchGeometry,
  type FrozenCompute,
  FusedLoraBlocks,
  type FusedSaved,
  fusable,
} from "./fused-block.js";
import { type Int8Matrix, packForward } from "../backend/onnx-int8.js";
import type { GraphLanes } from "../backend/onnx-lanes.js";
import { HEAD_CHUNK, runOnLanes, splitBatch } from "./lanes.js";

/** LoRA settings. */
export interface LoraSettings {
  /** Rank r. Default 4. */
  readonly rank: number;
  /** alpha; the update is scaled by alpha/r (alpha/√r with `rslora`). Default 2·rank. */
  readonly alpha: number;
  /** Dropout on the LoRA input during training. Default 0. */
  readonly dropout: number;
  /** Rank-stabilised scaling alpha/√r. Default false. */
  readonly rslora: boolean;
  /** Projections to adapt. Default all seven. */
  readonly targets: readonly LoraTargetModule[];
}

/** Training mode: LoRA on a frozen base, or all weights trainable. */
export type TrainMode = ({ readonly kind: "lora" } & LoraSettings) | { readonly kind: "full" };

/** A trainable tensor with its gradient. `decay`: weight decay applies (not to norms and biases). */
export interface TrainableParam {
  readonly name: string;
  readonly value: Float32Array;
  readonly grad: Float32Array;
  readonly decay: boolean;
}

const PROJECTIONS = LORA_TARGET_MODULES;

interface TrainBlock {
  readonly attnNorm: Float32Array;
  readonly dAttnNorm?: Float32Array;
  readonly ffnNorm: Float32Array;
  readonly dFfnNorm?: Float32Array;
  readonly proj: Record<LoraTargetModule, LinearParams>;
}

interface BlockCache {
  readonly x: Float32Array;
  readonly rstd1: Float32Array;
  readonly lin: Partial<Record<LoraTargetModule, LinearCache>>;
  readonly q: Float32Array;
  readonly k: Float32Array;
  readonly v: Float32Array;
  readonly attention: AttentionSaved;
  readonly x1: Float32Array;
  readonly rstd2: Float32Array;
  readonly gate: Float32Array;
  readonly up: Float32Array;
  readonly sigmoid: Float32Array;
}

/** Result of a forward (and backward) pass over a batch. */
export interface BatchLoss {
  /** Summed cross-entropy over the target tokens. */
  readonly loss: number;
  /** Number of target tokens. */
  readonly count: number;
}

/** Options for {@link TrainableModel.create}. */
export interface TrainableModelOptions {
  readonly mode: TrainMode;
  readonly backend: Backend;
  /** Seed for the LoRA A initialisation. Default 0. */
  readonly seed?: number;
  /** Attention implementation. Default: the plain loops (`loopAttention`); `kernelAttention` for speed. */
  readonly attention?: AttentionRunner;
  /** Native loss head, SwiGLU and LoRA linear layers (onnxruntime). Default: TypeScript loops and backend products. */
  readonly kernels?: Omit<AttentionKernels, "forward" | "backward" | "dispose">;
  /**
   * With `kernels`, run each LoRA block on a frozen base as one fused graph per direction
   * (`fused-block.ts`). Default true; false keeps the per-layer calls (for comparison tests).
   */
  readonly fusedBlocks?: boolean;
  /**
   * Fused blocks' products through the frozen base weights: `fp32`, or `int8` (8-bit integer
   * products, `src/backend/onnx-int8.ts`; the LoRA products and gradients stay fp32). Default `fp32`.
   */
  readonly frozenCompute?: FrozenCompute;
  /**
   * Data-parallel lanes (`src/backend/onnx-lanes.ts`): with fused blocks (LoRA on a frozen base), a batch of two or more sequences is cut into one part per lane and the parts run at the same
   * time (`lanes.ts`). Default none: the whole batch on `kernels`' threads.
   */
  readonly lanes?: GraphLanes;
}

/**
 * Architectures the trainer's layers implement. gemma (GeGLU, embedding scale, its own head size)
 * loads in the model core but training it here would silently compute a different model.
 */
export const TRAIN_ARCHITECTURES = ["llama", "qwen2"] as const;

/** Throws a {@link TrainError} naming `source` unless the trainer implements `arch`. */
export function assertTrainableArchitecture(arch: string, source = "base model"): void {
  if (!(TRAIN_ARCHITECTURES as readonly string[]).includes(arch))
    throw new TrainError(
      `${source}: architecture "${arch}" cannot be trained: expected one of ${TRAIN_ARCHITECTURES.join(", ")}`,
    );
}

/** A model being trained. */
export class TrainableModel {
  readonly params: TrainableParam[] = [];
  private readonly grads = new Map<Float32Array, Float32Array>();
  private ropeCache: { cos: Float32Array; sin: Float32Array; length: number } | undefined;
  private headPacked: Int8Matrix | undefined;

  private constructor(
    readonly base: TrainWeights,
    readonly mode: TrainMode,
    private readonly backend: Backend,
    private readonly embedding: Float32Array,
    private readonly outputNorm: Float32Array,
    private readonly output: BlockMatrix,
    private readonly blocks: TrainBlock[],
    private readonly attention: AttentionRunner,
    private readonly kernels: Omit<AttentionKernels, "forward" | "backward" | "dispose"> | undefined,
    private readonly fused: FusedLoraBlocks | undefined,
    private readonly frozenCompute: FrozenCompute,
    private readonly lanes: GraphLanes | undefined,
  ) {}

  /**
   * Prepares `weights` for training. LoRA mode keeps the base arrays (never written), and encoded
   * projections ({@link QuantizedMatrix}) stay encoded; full mode copies (or dequantises) them, so
   * the caller's weights stay unchanged.
   */
  static create(weights: TrainWeights, options: TrainableModelOptions): TrainableModel {
    assertTrainableArchitecture(weights.config.arch);
    const { mode } = options;
    const full = mode.kind === "full";
    const copies = new Map<Float32Array, Float32Array>();
    const own = (a: Float32Array): Float32Array => {
      if (!full) return a;
      let c = copies.get(a);
      if (c === undefined) copies.set(a, (c = Float32Array.from(a)));
      return c;
    };
    const params: TrainableParam[] = [];
    const grads = new Map<Float32Array, Float32Array>();
    const trainable = (name: string, value: Float32Array, decay: boolean): Float32Array | undefined => {
      if (!full) return undefined;
      let g = grads.get(value);
      if (g === undefined) {
        grads.set(value, (g = new Float32Array(value.length)));
        params.push({ name, value, grad: g, decay });
      }
      return g;
    };
    const rng = new Rng(options.seed ?? 0);
    // One set of buffers for the whole model: its passes run one projection at a time.
    const scratch = new DequantScratch();
    const c = weights.config;
    const embedding = own(weights.tokenEmbedding);
    trainable("token_embd.weight", embedding, true);
    const blocks = weights.blocks.map((b, i): TrainBlock => {
      const prefix = `blk.${i}.`;
      const matrix = (m: FrozenMatrix): FrozenMatrix => {
        if (!(m instanceof QuantizedMatrix)) return { data: own(m.data), activationRounding: m.activationRounding };
        // A trained weight needs F32 values (and a gradient of the same shape).
        return full ? { data: m.get(), activationRounding: m.activationRounding } : m;
      };
      const sources: Record<LoraTargetModule, [FrozenMatrix, Float32Array | undefined, number, number]> = {
        q: [b.wq, b.bq, c.embeddingLength, c.headCount * c.headDim],
        k: [b.wk, b.bk, c.embeddingLength, c.headCountKv * c.headDim],
        v: [b.wv, b.bv, c.embeddingLength, c.headCountKv * c.headDim],
        o: [b.wo, undefined, c.headCount * c.headDim, c.embeddingLength],
        gate: [b.wGate, undefined, c.embeddingLength, c.feedForwardLength],
        up: [b.wUp, undefined, c.embeddingLength, c.feedForwardLength],
        down: [b.wDown, undefined, c.feedForwardLength, c.embeddingLength],
      };
      const proj = {} as Record<LoraTargetModule, LinearParams>;
      for (const name of PROJECTIONS) {
        const [m, bias, inFeatures, outFeatures] = sources[name];
        const w = matrix(m);
        const ownBias = bias === undefined ? undefined : own(bias);
        const tensorName = `${prefix}${LORA_TARGET_SUFFIXES[name]}`;
        const dW = w instanceof QuantizedMatrix ? undefined : trainable(`${tensorName}.weight`, w.data, true);
        const dBias = ownBias === undefined ? undefined : trainable(`${tensorName}.bias`, ownBias, false);
        let lora: LoraWeights | undefined;
        if (mode.kind === "lora" && mode.targets.includes(name)) {
          // PEFT's initialisation: A ~ kaiming-uniform (bound 1/√in), B = 0, so training starts at the base model.
          const bound = 1 / Math.sqrt(inFeatures);
          const a = new Float32Array(mode.rank * inFeatures).map(() => (rng.next() * 2 - 1) * bound);
          lora = {
            a,
            b: new Float32Array(outFeatures * mode.rank),
            dA: new Float32Array(a.length),
            dB: new Float32Array(outFeatures * mode.rank),
            rank: mode.rank,
            scale: loraScale(mode),
            dropout: mode.dropout,
          };
          params.push({ name: `${tensorName}.weight.lora_a`, value: lora.a, grad: lora.dA, decay: true });
          params.push({ name: `${tensorName}.weight.lora_b`, value: lora.b, grad: lora.dB, decay: true });
        }
        proj[name] = {
          inFeatures,
          outFeatures,
          w,
          ...(w instanceof QuantizedMatrix ? { scratch } : {}),
          ...(ownBias === undefined ? {} : { bias: ownBias }),
          ...(dW === undefined ? {} : { dW }),
          ...(dBias === undefined ? {} : { dBias }),
          ...(lora === undefined ? {} : { lora }),
        };
      }
      const attnNorm = own(b.attnNorm);
      const ffnNorm = own(b.ffnNorm);
      const dAttnNorm = trainable(`${prefix}attn_norm.weight`, attnNorm, false);
      const dFfnNorm = trainable(`${prefix}ffn_norm.weight`, ffnNorm, false);
      return {
        attnNorm,
        ffnNorm,
        proj,
        ...(dAttnNorm === undefined ? {} : { dAttnNorm }),
        ...(dFfnNorm === undefined ? {} : { dFfnNorm }),
      };
    });
    const outputNorm = own(weights.outputNorm);
    trainable("output_norm.weight", outputNorm, false);
    const output = { data: own(weights.output.data), activationRounding: weights.output.activationRounding };
    trainable("output.weight", output.data, true);
    const model = new TrainableModel(
      weights,
      mode,
      options.backend,
      embedding,
      outputNorm,
      output,
      blocks,
      options.attention ?? loopAttention,
      options.kernels,
      options.kernels !== undefined && mode.kind === "lora" && (options.fusedBlocks ?? true)
        ? new FusedLoraBlocks(options.kernels, c, options.frozenCompute)
        : undefined,
      options.frozenCompute ?? "fp32",
      options.lanes,
    );
    model.params.push(...params);
    for (const [k, v] of grads) model.grads.set(k, v);
    return model;
  }

  /** The frozen head packed for int8 logits (`frozenCompute: "int8"`), made on first use. */
  private headInt8(): Int8Matrix | undefined {
    if (this.frozenCompute !== "int8" || this.fused === undefined) return undefined;
    this.headPacked ??= packForward([
      {
        values: this.output.data,
        outFeatures: this.base.config.vocabSize,
        inFeatures: this.base.config.embeddingLength,
      },
    ]);
    return this.headPacked;
  }

  /** The parts of `batch` for the lanes, or undefined where it runs on this thread. */
  private laneParts(batch: PackedBatch): ReturnType<typeof splitBatch> | undefined {
    if (this.lanes === undefined || this.fused === undefined) return undefined;
    if (this.grads.get(this.output.data) !== undefined) return undefined;
    if (!this.blocks.every((b) => fusable(b, b.dAttnNorm))) return undefined;
    const parts = splitBatch(batch, this.lanes.count);
    return parts.length >= 2 ? parts : undefined;
  }

  /** Sets every gradient to zero. */
  zeroGrad(): void {
    for (const p of this.params) p.grad.fill(0);
  }

  /** Number of trainable values. */
  get trainableCount(): number {
    return this.params.reduce((sum, p) => sum + p.value.length, 0);
  }

  /**
   * Forward pass, and with `backward` the backward pass accumulating gradients of
   * `lossWeight · Σ CE` (default weight: 1/target count, i.e. the mean). `random` enables dropout.
   *
   * `checkpointing` (activation checkpointing, default false): the forward pass keeps only each
   * block's input, and the backward pass runs the block's forward again before its backward, so
   * the memory held across the pass is one [tokens, embedding] array per block plus one block's
   * activations, for about a third more compute. Each block draws its dropout masks from its own
   * generator, seeded by one draw of `random`, so the recomputed block sees the same masks and
   * the gradients are those of the pass without checkpointing.
   */
  async run(
    batch: PackedBatch,
    options: { backward?: boolean; lossWeight?: number; random?: () => number; checkpointing?: boolean } = {},
  ): Promise<BatchLoss> {
    const parts = this.laneParts(batch);
    if (parts !== undefined && this.lanes !== undefined && this.fused !== undefined) {
      const width = this.base.config.embeddingLength;
      const model = {
        config: this.base.config,
        blocks: this.blocks,
        fused: this.fused,
        embedding: this.embedding,
        outputNorm: this.outputNorm,
        output: this.output.data,
        headInt8: () => this.headInt8(),
        roundHeadInput: (h: Float32Array) => roundActivations(h, width, this.output.activationRounding),
        rope: (b: PackedBatch) => this.rope(b),
      };
      return runOnLanes(model, this.lanes, batch, parts, options);
    }
    const c = this.base.config;
    const n = c.embeddingLength;
    const N = batch.tokens.length;
    const rope = this.rope(batch);
    const att = this.attentionSpec(batch);
    const backward = options.backward ?? false;
    const checkpointing = backward && (options.checkpointing ?? false);
    const random = options.random;
    let x = embeddingForward(this.embedding, batch.tokens, n);
    const geometry = this.fused === undefined ? undefined : batchGeometry(batch, rope);
    // Per block: its cache, or with checkpointing its input and dropout seed to run it again.
    const caches: (BlockCache | FusedSaved | { input: Float32Array; seed: number | undefined })[] = [];
    for (const block of this.blocks) {
      const seed = random === undefined ? undefined : Math.floor(random() * 4294967296);
      const blockRandom = seed === undefined ? undefined : createRandom(seed);
      const { y, cache } = await this.anyBlockForward(block, x, N, rope, att, geometry, blockRandom);
      if (checkpointing) caches.push({ input: x, seed });
      else if (backward) caches.push(cache);
      x = y;
    }
    const final = rmsNormForward(x, N, n, this.outputNorm, c.rmsEpsilon);
    const rows: number[] = [];
    batch.targets.forEach((t, i) => {
      if (t >= 0) rows.push(i);
    });
    const weight = options.lossWeight ?? 1 / Math.max(1, rows.length);
    const dFinal = backward ? new Float32Array(N * n) : undefined;
    let loss = 0;
    // A frozen head runs as one native graph per chunk (logits never reach JavaScript).
    const dOut = this.grads.get(this.output.data);
    const kernels = dOut === undefined ? this.kernels : undefined;
    // Rows in chunks so the [rows, vocab] logits stay small for large vocabularies.
    const chunk = kernels === undefined ? 128 : HEAD_CHUNK;
    for (let start = 0; start < rows.length; start += chunk) {
      const part = rows.slice(start, start + chunk);
      const h = new Float32Array(part.length * n);
      part.forEach((r, i) => h.set(final.y.subarray(r * n, r * n + n), i * n));
      const int8 = kernels !== undefined ? this.headInt8() : undefined;
      // The int8 product quantises h itself; llama.cpp's rounding emulation is for fp32 products.
      const hr = int8 !== undefined ? h : roundActivations(h, n, this.output.activationRounding);
      if (kernels !== undefined) {
        const r = await kernels.headLoss(
          hr,
          this.output.data,
          Int32Array.from(part, (row) => batch.targets[row] ?? 0),
          c.vocabSize,
          n,
          weight,
          int8,
        );
        for (const l of r.loss) loss += l;
        if (dFinal !== undefined) part.forEach((row, i) => dFinal.set(r.dh.subarray(i * n, i * n + n), row * n));
        continue;
      }
      const logits = await this.backend.matmul(hr, this.output.data, {
        m: part.length,
        k: n,
        n: c.vocabSize,
        transB: true,
      });
      loss += crossEntropyInPlace(
        logits,
        Int32Array.from(part, (r) => batch.targets[r] ?? 0),
        c.vocabSize,
        weight,
      );
      if (dFinal === undefined) continue;
      const dh = await this.backend.matmul(logits, this.output.data, { m: part.length, k: c.vocabSize, n });
      part.forEach((r, i) => dFinal.set(dh.subarray(i * n, i * n + n), r * n));
      if (dOut !== undefined)
        addInto(dOut, await this.backend.matmul(logits, hr, { m: c.vocabSize, k: part.length, n, transA: true }));
    }
    if (dFinal === undefined) return { loss, count: rows.length };
    let dx: Float32Array = new Float32Array(N * n);
    rmsNormBackward(dFinal, x, final.rstd, this.outputNorm, N, n, dx, this.grads.get(this.outputNorm));
    for (let b = this.blocks.length - 1; b >= 0; b--) {
      const block = this.blocks[b] as TrainBlock;
      let cache = caches[b] as BlockCache | FusedSaved | { input: Float32Array; seed: number | undefined };
      if ("input" in cache) {
        const blockRandom = cache.seed === undefined ? undefined : createRandom(cache.seed);
        cache = (await this.anyBlockForward(block, cache.input, N, rope, att, geometry, blockRandom)).cache;
      }
      if ("outputs" in cache && this.fused !== undefined && geometry !== undefined) {
        const r = await this.fused.backward(block, cache, dx, geometry);
        this.fused.accumulate(block, r.grads);
        dx = r.dx;
      } else dx = await this.blockBackward(block, cache as BlockCache, dx, N, rope, att);
      caches.pop();
    }
    const dEmbedding = this.grads.get(this.embedding);
    if (dEmbedding !== undefined) embeddingBackward(dEmbedding, dx, batch.tokens, n);
    return { loss, count: rows.length };
  }

  /** Logits of every position of one sequence [tokens, vocab] (for tests and evaluation). */
  async logits(tokens: readonly number[]): Promise<Float32Array> {
    const c = this.base.config;
    const n = c.embeddingLength;
    const N = tokens.length;
    const batch: PackedBatch = {
      tokens: Int32Array.from(tokens),
      positions: Int32Array.from(tokens, (_, i) => i),
      boundaries: [0, N],
      targets: new Int32Array(N).fill(-1),
    };
    const rope = this.rope(batch);
    const att = this.attentionSpec(batch);
    let x = embeddingForward(this.embedding, batch.tokens, n);
    const geometry = this.fused === undefined ? undefined : batchGeometry(batch, rope);
    for (const block of this.blocks) x = (await this.anyBlockForward(block, x, N, rope, att, geometry)).y;
    const final = rmsNormForward(x, N, n, this.outputNorm, c.rmsEpsilon).y;
    return this.backend.matmul(roundActivations(final, n, this.output.activationRounding), this.output.data, {
      m: N,
      k: n,
      n: c.vocabSize,
      transB: true,
    });
  }

  /** The LoRA pairs as the shared adapter contract (copies of the current values). */
  loraAdapter(baseModelName?: string): LoraAdapter {
    if (this.mode.kind !== "lora") throw new Error("loraAdapter: the model is in full fine-tuning mode");
    const mode = this.mode;
    const tensors = this.blocks.flatMap((block, i) =>
      PROJECTIONS.flatMap((name) => {
        const p = block.proj[name];
        if (p.lora === undefined) return [];
        return [
          {
            target: `blk.${i}.${LORA_TARGET_SUFFIXES[name]}.weight`,
            inFeatures: p.inFeatures,
            outFeatures: p.outFeatures,
            a: Float32Array.from(p.lora.a),
            b: Float32Array.from(p.lora.b),
          },
        ];
      }),
    );
    // llama.cpp always scales by alpha/rank, so rsLoRA's alpha/√r is stored as alpha·√r.
    const alpha = mode.rslora ? mode.alpha * Math.sqrt(mode.rank) : mode.alpha;
    return {
      architecture: this.base.config.arch,
      rank: mode.rank,
      alpha,
      ...(baseModelName === undefined ? {} : { baseModelName }),
      tensors,
    };
  }

  private attentionSpec(batch: PackedBatch): AttentionSpec {
    const c = this.base.config;
    return { headCount: c.headCount, headCountKv: c.headCountKv, headDim: c.headDim, boundaries: batch.boundaries };
  }

  private rope(batch: PackedBatch): RopeSpec {
    const c = this.base.config;
    let max = 0;
    for (const p of batch.positions) if (p + 1 > max) max = p + 1;
    if (this.ropeCache === undefined || this.ropeCache.length < max) {
      const t = ropeTables(Math.max(max, 64), c.headDim, c.ropeFreqBase, this.base.ropeFactors);
      this.ropeCache = { ...t, length: Math.max(max, 64) };
    }
    return {
      type: c.ropeType,
      headDim: c.headDim,
      cos: this.ropeCache.cos,
      sin: this.ropeCache.sin,
      positions: batch.positions,
    };
  }

  /** A block's forward pass: fused (one graph call) where it can be, else layer by layer. */
  private async anyBlockForward(
    block: TrainBlock,
    x: Float32Array,
    N: number,
    rope: RopeSpec,
    att: AttentionSpec,
    geometry: BatchGeometry | undefined,
    random?: () => number,
  ): Promise<{ y: Float32Array; cache: BlockCache | FusedSaved }> {
    if (this.fused !== undefined && geometry !== undefined && fusable(block, block.dAttnNorm)) {
      const r = await this.fused.forward(block, x, geometry, this.fused.masks(block, geometry.rows, random));
      return { y: r.y, cache: r.saved };
    }
    return this.blockForward(block, x, N, rope, att, random);
  }

  private async blockForward(
    block: TrainBlock,
    x: Float32Array,
    N: number,
    rope: RopeSpec,
    att: AttentionSpec,
    random?: () => number,
  ): Promise<{ y: Float32Array; cache: BlockCache }> {
    const c = this.base.config;
    const n = c.embeddingLength;
    const lin: Partial<Record<LoraTargetModule, LinearCache>> = {};
    const apply = async (name: LoraTargetModule, input: Float32Array): Promise<Float32Array> => {
      const r = await linearForward(this.backend, block.proj[name], input, N, random, this.kernels);
      lin[name] = r.cache;
      return r.y;
    };
    const norm1 = rmsNormForward(x, N, n, block.attnNorm, c.rmsEpsilon);
    const q = await apply("q", norm1.y);
    const k = await apply("k", norm1.y);
    const v = await apply("v", norm1.y);
    ropeInPlace(q, c.headCount, rope);
    ropeInPlace(k, c.headCountKv, rope);
    const attended = await this.attention.forward(q, k, v, att);
    const x1 = await apply("o", attended.out);
    addInto(x1, x);
    const norm2 = rmsNormForward(x1, N, n, block.ffnNorm, c.rmsEpsilon);
    const gate = await apply("gate", norm2.y);
    const up = await apply("up", norm2.y);
    const act = this.kernels === undefined ? swigluForward(gate, up) : await this.kernels.swiglu(gate, up);
    const y = await apply("down", act.out);
    addInto(y, x1);
    return {
      y,
      cache: {
        x,
        rstd1: norm1.rstd,
        lin,
        q,
        k,
        v,
        attention: attended.saved,
        x1,
        rstd2: norm2.rstd,
        gate,
        up,
        sigmoid: act.sigmoid,
      },
    };
  }

  private async blockBackward(
    block: TrainBlock,
    cache: BlockCache,
    dy: Float32Array,
    N: number,
    rope: RopeSpec,
    att: AttentionSpec,
  ): Promise<Float32Array> {
    const c = this.base.config;
    const n = c.embeddingLength;
    const back = (name: LoraTargetModule, d: Float32Array): Promise<Float32Array> =>
      linearBackward(this.backend, block.proj[name], cache.lin[name] as LinearCache, d, this.kernels);
    // y = x1 + down(swiglu(gate(h2), up(h2))), h2 = norm(x1): dx1 = dy + norm'ᵀ(dh2).
    const dSwiglu = await back("down", dy);
    const { dGate, dUp } = swigluBackward(dSwiglu, cache.gate, cache.up, cache.sigmoid);
    const dh2 = await back("gate", dGate);
    addInto(dh2, await back("up", dUp));
    const dx1 = Float32Array.from(dy);
    rmsNormBackward(dh2, cache.x1, cache.rstd2, block.ffnNorm, N, n, dx1, block.dFfnNorm);
    // x1 = x + o(attention(rope(q(h)), rope(k(h)), v(h))), h = norm(x).
    const dAttended = await back("o", dx1);
    const { dq, dk, dv } = await this.attention.backward(dAttended, cache.q, cache.k, cache.v, cache.attention, att);
    ropeInPlace(dq, c.headCount, rope, true);
    ropeInPlace(dk, c.headCountKv, rope, true);
    const dh = await back("q", dq);
    addInto(dh, await back("k", dk));
    addInto(dh, await back("v", dv));
    const dx = dx1;
    rmsNormBackward(dh, cache.x, cache.rstd1, block.attnNorm, N, n, dx, block.dAttnNorm);
    return dx;
  }
}
