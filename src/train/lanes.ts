/**
 * Data-parallel training steps on the lanes of `src/backend/onnx-lanes.ts`. A packed micro-batch
 * is cut into parts of whole sequences; every block runs on all parts at once, one part per lane,
 * and so does the loss head. Sequences never attend across parts, so each part computes what the
 * whole batch computes for its rows; this thread joins the parts only where the model does not
 * split by rows anyway (the final RMSNorm, summing the LoRA gradients in part order so that a
 * step is deterministic).
 */
import { embeddingForward, rmsNormBackward, rmsNormForward } from "./layers.js";
import type { PackedBatch } from "./batch.js";
import { batchGeometry, type FusedBlockParams, type FusedLoraBlocks, type LaneBlock } from "./fused-block.js";
import type { GraphLanes } from "../backend/onnx-lanes.js";
import { headLossGraph } from "../backend/onnx-train.js";
import type { GraphFeed } from "../backend/onnx-train.js";
import type { Int8Matrix } from "../backend/onnx-int8.js";
import type { RopeSpec } from "../backend/index.js";
import type { ModelConfig } from "../model/index.js";
import { createRandom } from "../util/random.js";

/** Rows [start, end) of a packed batch: whole sequences. */
export interface BatchPart {
  readonly start: number;
  readonly end: number;
  readonly batch: PackedBatch;
}

/**
 * Cuts `batch` into at most `count` parts of whole sequences with about equal token counts
 * (fewer when it has fewer sequences). Each cut falls at the sequence boundary nearest to an
 * equal share.
 */
export function splitBatch(batch: PackedBatch, count: number): BatchPart[] {
  const { boundaries } = batch;
  const sequences = boundaries.length - 1;
  const total = boundaries.at(-1) ?? 0;
  const parts = Math.max(1, Math.min(count, sequences));
  const cuts = [0];
  for (let k = 1; k < parts; k++) {
    const ideal = (total * k) / parts;
    const previous = cuts.at(-1) ?? 0;
    // The boundary nearest the ideal, leaving at least one sequence for every later part.
    let best = previous + 1;
    for (let s = previous + 1; s <= sequences - (parts - k); s++)
      if (Math.abs((boundaries[s] ?? 0) - ideal) < Math.abs((boundaries[best] ?? 0) - ideal)) best = s;
    cuts.push(best);
  }
  cuts.push(sequences);
  const result: BatchPart[] = [];
  for (let p = 0; p + 1 < cuts.length; p++) {
    const first = cuts[p] ?? 0;
    const last = cuts[p + 1] ?? 0;
    const start = boundaries[first] ?? 0;
    const end = boundaries[last] ?? 0;
    result.push({
      start,
      end,
      batch: {
        tokens: batch.tokens.subarray(start, end),
        positions: batch.positions.subarray(start, end),
        boundaries: boundaries.slice(first, last + 1).map((b) => b - start),
        targets: batch.targets.subarray(start, end),
      },
    });
  }
  return result;
}

/** What a lane step needs of the model. */
export interface LaneModel {
  readonly config: ModelConfig;
  readonly blocks: readonly FusedBlockParams[];
  readonly fused: FusedLoraBlocks;
  readonly embedding: Float32Array;
  readonly outputNorm: Float32Array;
  /** The frozen output matrix [vocab, embedding]. */
  readonly output: Float32Array;
  /** fp32 logits: llama.cpp's rounding of the head's input (as `TrainableModel.run`). */
  roundHeadInput(h: Float32Array): Float32Array;
  /** The output matrix packed for the int8 logits, or undefined for fp32 logits. */
  headInt8(): Int8Matrix | undefined;
  rope(batch: PackedBatch): RopeSpec;
}

/** Options of one step, as `TrainableModel.run`. */
export interface LaneStepOptions {
  readonly backward?: boolean;
  readonly lossWeight?: number;
  readonly random?: () => number;
  readonly checkpointing?: boolean;
}

/** Loss head rows per native graph call (its [rows, vocab] logits never leave onnxruntime). */
export const HEAD_CHUNK = 256;

/** Rows [start, end) of each dropout mask (masks are [rows, in]); the scale is shared. */
function sliceMasks(masks: Record<string, GraphFeed>, start: number, end: number): Record<string, GraphFeed> {
  const sliced: Record<string, GraphFeed> = {};
  for (const [name, feed] of Object.entries(masks)) {
    const width = feed.dims[1];
    sliced[name] =
      width === undefined ? feed : { data: feed.data.slice(start * width, end * width), dims: [end - start, width] };
  }
  return sliced;
}

/**
 * One forward (and with `backward`, backward) pass of `batch` cut into `parts`, each on its lane:
 * the same loss and, up to the order of float sums, the same gradients as `TrainableModel.run`.
 * Each pass through the blocks is one {@link LaneRunner.runSequence} per lane: the lanes never
 * wait for this thread between blocks. What the backward pass needs (each block's input and saved
 * tensors, its dropout masks) stays in the lane.
 */
export async function runOnLanes(
  model: LaneModel,
  lanes: GraphLanes,
  batch: PackedBatch,
  parts: readonly BatchPart[],
  options: LaneStepOptions = {},
): Promise<{ loss: number; count: number }> {
  const c = model.config;
  const n = c.embeddingLength;
  const N = batch.tokens.length;
  const backward = options.backward ?? false;
  const checkpointing = backward && (options.checkpointing ?? false);
  const shared = parts.map((p) => batchGeometry(p.batch, model.rope(p.batch)).feeds);
  // Masks for the whole batch from one seed per block, as on one thread, then cut per part.
  const blocks: LaneBlock[] = [];
  const masks: Record<string, GraphFeed>[][] = parts.map(() => []);
  for (const block of model.blocks) {
    const seed = options.random === undefined ? undefined : Math.floor(options.random() * 4294967296);
    const all = model.fused.masks(block, N, seed === undefined ? undefined : createRandom(seed));
    parts.forEach((p, i) => masks[i]?.push(sliceMasks(all, p.start, p.end)));
    blocks.push(await model.fused.onLanes(block, lanes, Object.keys(all).length > 0));
  }
  const maskNames = (i: number, b: number) => Object.keys(masks[i]?.[b] ?? {});
  // Forward: x carried from block to block; kept for the backward pass: everything (or, with
  // checkpointing, the block's input and masks, to run it again then).
  const forwards = await Promise.all(
    parts.map((p, i) =>
      lanes.lane(i).runSequence(
        blocks.map((block, b) => ({
          key: block.forward.key,
          build: block.forward.build,
          feeds: { ...block.feeds(p.end - p.start, "f"), ...masks[i]?.[b] },
          constants: block.constants.f,
          chain: { input: "x", output: "y" },
          returns: [],
          ...(backward
            ? {
                keep: checkpointing
                  ? { handle: `input:${block.id}`, names: ["x", ...maskNames(i, b)] }
                  : { handle: `saved:${block.id}`, names: [...block.saved, ...maskNames(i, b)] },
              }
            : {}),
        })),
        {
          shared: shared[i] ?? {},
          carried: { data: embeddingForward(model.embedding, p.batch.tokens, n), dims: [p.end - p.start, n] },
        },
      ),
    ),
  );
  const x = new Float32Array(N * n);
  parts.forEach((p, i) => x.set(forwards[i]?.carried as Float32Array, p.start * n));
  const final = rmsNormForward(x, N, n, model.outputNorm, c.rmsEpsilon);
  const { loss, count, dFinal } = await headOnLanes(model, lanes, batch, parts, final.y, backward, options.lossWeight);
  if (dFinal === undefined) return { loss, count };
  const dx = new Float32Array(N * n);
  rmsNormBackward(dFinal, x, final.rstd, model.outputNorm, N, n, dx);
  // Backward: dy carried from block to block in reverse; with checkpointing each block's forward
  // runs again first (keeping its saved tensors, returning nothing, the carried dy untouched).
  const backwards = await Promise.all(
    parts.map((p, i) => {
      const rows = p.end - p.start;
      const steps = blocks.toReversed().flatMap((block, j) => [
        ...(checkpointing
          ? [
              {
                key: block.forward.key,
                build: block.forward.build,
                feeds: block.feeds(rows, "f"),
                constants: block.constants.f,
                retained: [`input:${block.id}`],
                keep: { handle: `saved:${block.id}`, names: [...block.saved, ...maskNames(i, blocks.length - 1 - j)] },
                returns: [],
              },
            ]
          : []),
        {
          key: block.backward.key,
          build: block.backward.build,
          feeds: block.feeds(rows, "b"),
          constants: block.constants.b,
          retained: [`saved:${block.id}`],
          chain: { input: "d_y", output: "d_x" },
        },
      ]);
      return lanes.lane(i).runSequence(steps, {
        shared: shared[i] ?? {},
        carried: { data: dx.slice(p.start * n, p.end * n), dims: [rows, n] },
      });
    }),
  );
  // In part order, whatever order the lanes finished in: the same sums every run.
  const stride = checkpointing ? 2 : 1;
  [...model.blocks].reverse().forEach((block, j) => {
    for (const r of backwards) model.fused.accumulate(block, r.outputs[j * stride + stride - 1] ?? {});
  });
  return { loss, count };
}

/** The loss head, each part's target rows on its lane in chunks; dh by row of the batch. */
async function headOnLanes(
  model: LaneModel,
  lanes: GraphLanes,
  batch: PackedBatch,
  parts: readonly BatchPart[],
  final: Float32Array,
  backward: boolean,
  lossWeight: number | undefined,
): Promise<{ loss: number; count: number; dFinal?: Float32Array }> {
  const c = model.config;
  const n = c.embeddingLength;
  const targetRows = parts.map((p) => {
    const rows: number[] = [];
    for (let r = p.start; r < p.end; r++) if ((batch.targets[r] ?? -1) >= 0) rows.push(r);
    return rows;
  });
  const count = targetRows.reduce((sum, rows) => sum + rows.length, 0);
  const weight = lossWeight ?? 1 / Math.max(1, count);
  const packed = model.headInt8();
  const head = `${model.fused.laneKey}:head`;
  await lanes.ensureConstants([head], () => ({
    [head]: {
      w: { data: model.output, dims: [c.vocabSize, n] },
      ...(packed === undefined
        ? {}
        : {
            w8: { data: packed.codes, dims: [packed.rows, packed.columns] },
            s8: { data: packed.scales, dims: [packed.columns] },
          }),
    },
  }));
  const dFinal = backward ? new Float32Array(batch.tokens.length * n) : undefined;
  const losses = await Promise.all(
    targetRows.map(async (rows, i) => {
      let loss = 0;
      for (let start = 0; start < rows.length; start += HEAD_CHUNK) {
        const chunk = rows.slice(start, start + HEAD_CHUNK);
        const h = new Float32Array(chunk.length * n);
        chunk.forEach((r, j) => h.set(final.subarray(r * n, r * n + n), j * n));
        const out = await lanes.lane(i).runGraph(
          `h:${c.vocabSize}:${n}:${packed !== undefined}`,
          () => headLossGraph(c.vocabSize, n, packed !== undefined),
          {
            // The int8 product quantises h itself.
            h: { data: packed === undefined ? model.roundHeadInput(h) : h, dims: [chunk.length, n] },
            targets: { data: BigInt64Array.from(chunk, (r) => BigInt(batch.targets[r] ?? 0)), dims: [chunk.length] },
            weight: { data: new Float32Array([weight]), dims: [] },
          },
          { constants: [head], transfer: ["h"] },
        );
        for (const l of out.loss ?? []) loss += l;
        const dh = out.dh as Float32Array;
        if (dFinal !== undefined) chunk.forEach((r, j) => dFinal.set(dh.subarray(j * n, j * n + n), r * n));
      }
      return loss;
    }),
  );
  return { loss: losses.reduce((sum, l) => sum + l, 0), count, ...(dFinal === undefined ? {} : { dFinal }) };
}
