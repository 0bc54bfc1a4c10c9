/**
 * Checkpoints: one file holding the loop state (JSON header) and, per trainable tensor, its value
 * and AdamW moments (float32). Written to a temporary file, flushed, then renamed over the old
 * one, so a kill at any moment leaves either the previous or the new checkpoint, never a torn one.
 */
import { open, readFile, rename, rm } from "node:fs/promises";
import { CheckpointError } from "../util/errors.js";

const MAGIC = "MSCKPT01";

/** Loop state saved beside the tensors. */
export interface CheckpointState {
  /** Optimizer steps done. */
  readonly step: number;
  readonly adamStep: number;
  /** Dropout generator state. */
  readonly rngState: number;
  readonly bestEvalLoss: number | null;
  readonly evalsWithoutImprovement: number;
  readonly tokensSeen: number;
  readonly lastTrainLoss: number | null;
  readonly lastEvalLoss: number | null;
  /** Fingerprint of the settings that must not change across a resume. */
  readonly fingerprint: string;
}

/** A tensor's value and AdamW moments. */
export interface CheckpointTensor {
  readonly name: string;
  readonly value: Float32Array;
  readonly m: Float32Array;
  readonly v: Float32Array;
}

export { CheckpointError } from "../util/errors.js";

/** Writes a checkpoint atomically (temp file + fsync + rename). */
export async function writeCheckpoint(
  path: string,
  state: CheckpointState,
  tensors: readonly CheckpointTensor[],
): Promise<void> {
  const header = new TextEncoder().encode(
    JSON.stringify({ ...state, tensors: tensors.map((t) => ({ name: t.name, length: t.value.length })) }),
  );
  const prefix = new Uint8Array(16);
  prefix.set(new TextEncoder().encode(MAGIC));
  new DataView(prefix.buffer).setUint32(8, header.length, true);
  const temp = `${path}.tmp-${process.pid}`;
  const file = await open(temp, "w");
  try {
    await file.write(prefix);
    await file.write(header);
    // Pad to 4 bytes so the tensors can be viewed as float32 when read back.
    await file.write(new Uint8Array((4 - (header.length % 4)) % 4));
    for (const t of tensors)
      for (const a of [t.value, t.m, t.v]) await file.write(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    await file.sync();
  } finally {
    await file.close();
  }
  try {
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** Reads a checkpoint written by {@link writeCheckpoint}. */
export async function readCheckpoint(path: string): Promise<{ state: CheckpointState; tensors: CheckpointTensor[] }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch {
    throw new CheckpointError(path, "no checkpoint to resume from (train without --resume first)");
  }
  if (bytes.length < 16 || bytes.subarray(0, 8).toString("latin1") !== MAGIC)
    throw new CheckpointError(path, "not a medsim checkpoint");
  const headerLength = bytes.readUInt32LE(8);
  if (16 + headerLength > bytes.length) throw new CheckpointError(path, "truncated header");
  const header = JSON.parse(bytes.subarray(16, 16 + headerLength).toString("utf8")) as CheckpointState & {
    tensors: { name: string; length: number }[];
  };
  let offset = 16 + headerLength + ((4 - (headerLength % 4)) % 4);
  const tensors: CheckpointTensor[] = [];
  const take = (length: number): Float32Array => {
    if (offset + length * 4 > bytes.length) throw new CheckpointError(path, `truncated at byte ${offset}`);
    const out = new Float32Array(length);
    new Uint8Array(out.buffer).set(bytes.subarray(offset, offset + length * 4));
    offset += length * 4;
    return out;
  };
  for (const t of header.tensors)
    tensors.push({ name: t.name, value: take(t.length), m: take(t.length), v: take(t.length) });
  const { tensors: _ignored, ...state } = header;
  return { state, tensors };
}
