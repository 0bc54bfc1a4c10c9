/**
 * The one place that loads onnxruntime-node and compiles graphs into sessions, for the inference
 * backend (`onnx.ts`) and the training kernels (`onnx-train.ts`): one set of session options and
 * one cache of compiled graphs per owner.
 */
import { availableParallelism } from "node:os";
import type { InferenceSession } from "onnxruntime-node";

/** The onnxruntime-node module. */
export type Ort = typeof import("onnxruntime-node");

/** Loads onnxruntime-node (a CommonJS package: depending on the loader its API is the namespace or `default`). */
export async function loadOrt(): Promise<Ort> {
  const loaded = (await import("onnxruntime-node")) as Ort & { default?: Ort };
  return loaded.InferenceSession === undefined && loaded.default !== undefined ? loaded.default : loaded;
}

/** Session options shared by every medsim graph. */
export interface SessionOptions {
  /** Threads for one operation. Default: the number of CPUs. */
  readonly threads?: number;
  /** Let idle pool threads spin-wait for the next call. Default true. */
  readonly spinning?: boolean;
}

/** Compiled sessions by key: each graph is built and compiled once, on first use. */
export interface SessionCache {
  session(key: string, build: () => Uint8Array): Promise<InferenceSession>;
  release(): Promise<void>;
}

/** A cache of sessions compiled with `options`. */
export function createSessionCache(ort: Ort, options: SessionOptions = {}): SessionCache {
  const threads = options.threads ?? availableParallelism();
  const sessions = new Map<string, Promise<InferenceSession>>();
  return {
    session(key, build) {
      let existing = sessions.get(key);
      if (existing === undefined) {
        existing = ort.InferenceSession.create(build(), {
          intraOpNumThreads: threads,
          interOpNumThreads: 1,
          executionMode: "sequential",
          graphOptimizationLevel: "all",
          ...(options.spinning === false ? { extra: { session: { intra_op: { allow_spinning: "0" } } } } : {}),
        });
        sessions.set(key, existing);
      }
      return existing;
    },
    async release() {
      for (const s of sessions.values()) await (await s).release();
      sessions.clear();
    },
  };
}
