/**
 * Data-parallel lanes for the training graphs: worker threads, each running onnxruntime with one
 * intra-op thread. The trainer splits a micro-batch into groups of whole sequences and runs each
 * group's block graphs on its own lane at the same time.
 *
 * Why not onnxruntime's own threads: on the trainer's shapes (a few hundred rows, widths of
 * 576-3072) one session with two threads is only about 1.2x one thread (measured on the 2-core
 * machine: 202 against 168 tokens/s on smollm2-135m, batch 4 x 128), because its products are too
 * small to split well and its elementwise passes barely split at all; two one-thread lanes on
 * half the batch each keep both cores busy (two one-thread processes of batch 2 gave 252 tokens/s
 * together). And onnxruntime-node's `run` blocks the calling thread, so concurrency needs threads.
 *
 * Protocol: a graph's bytes go to a lane once per key; feeds are copied (or transferred) per
 * call; large feeds that never change (packed base weights, the output head) are sent once as
 * named *constants* and referenced by name afterwards; what a forward pass saves for the backward
 * pass stays in the lane (`keep`, `retained`) rather than crossing threads twice. onnxruntime-node
 * refuses tensors over a SharedArrayBuffer, so each lane keeps its own copy of the constants.
 */
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import { TrainError } from "../util/errors.js";
import type { GraphFeed, GraphRunner } from "./onnx-train.js";

/** The worker's code: plain JavaScript evaluated by `worker_threads`, so that it runs the same from dist/ and under the test runner. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const loaded = require(workerData.ort);
const ort = loaded.InferenceSession === undefined && loaded.default !== undefined ? loaded.default : loaded;
const sessions = new Map();
const constants = new Map();
const kept = new Map();
const typeOf = (data) =>
  data instanceof Float32Array ? "float32" : data instanceof BigInt64Array ? "int64" : data instanceof Int8Array ? "int8" : "uint8";
const tensors = (feeds, into) => {
  for (const [name, feed] of Object.entries(feeds)) into[name] = new ort.Tensor(typeOf(feed.data), feed.data, feed.dims);
  return into;
};
const sessionFor = async (key, graph) => {
  let session = sessions.get(key);
  if (session === undefined) {
    if (graph === undefined) throw new Error("graph " + key.slice(0, 60) + " was never sent to this lane");
    session = await ort.InferenceSession.create(graph, {
      intraOpNumThreads: workerData.threads,
      interOpNumThreads: 1,
      executionMode: "sequential",
      graphOptimizationLevel: "all",
      extra: { session: { intra_op: { allow_spinning: "0" } } },
    });
    sessions.set(key, session);
  }
  return session;
};
// One graph call: its feeds, the shared ones, constant groups, kept tensors and the carried value;
// only the graph's own inputs are passed (the shared feeds serve graphs with different inputs).
const runStep = async (step, shared, carried) => {
  const feeds = tensors(step.feeds, Object.assign({}, shared));
  for (const key of step.constants) {
    const group = constants.get(key);
    if (group === undefined) throw new Error("constant group " + key + " was never sent to this lane");
    Object.assign(feeds, group);
  }
  for (const handle of step.retained) {
    const group = kept.get(handle);
    if (group === undefined) throw new Error("nothing kept as " + handle + " on this lane");
    Object.assign(feeds, group);
    kept.delete(handle);
  }
  if (step.chain !== undefined) feeds[step.chain.input] = carried;
  const session = await sessionFor(step.key, step.graph);
  const inputs = {};
  for (const name of session.inputNames) {
    if (feeds[name] === undefined) throw new Error("no input " + name + " for graph " + step.key.slice(0, 60));
    inputs[name] = feeds[name];
  }
  const results = await session.run(inputs);
  if (step.keep !== undefined) {
    const group = {};
    for (const name of step.keep.names) {
      const value = results[name] ?? inputs[name];
      if (value === undefined) throw new Error("cannot keep " + name + ": neither an input nor an output");
      group[name] = value;
    }
    kept.set(step.keep.handle, group);
  }
  return results;
};
parentPort.on("message", async (message) => {
  try {
    if (message.op === "close") {
      for (const session of sessions.values()) await session.release();
      sessions.clear();
      constants.clear();
      kept.clear();
      parentPort.close();
      return;
    }
    if (message.op === "constants") {
      for (const [key, feeds] of Object.entries(message.groups)) constants.set(key, tensors(feeds, {}));
      parentPort.postMessage({ id: message.id });
      return;
    }
    const shared = tensors(message.shared, {});
    let carried = message.carried === undefined ? undefined : tensors({ carried: message.carried }, {}).carried;
    const outputs = [];
    const buffers = new Set();
    for (const step of message.steps) {
      const results = await runStep(step, shared, carried);
      const out = {};
      for (const [name, tensor] of Object.entries(results)) {
        if (step.chain !== undefined && name === step.chain.output) carried = tensor;
        else if (step.returns === undefined ? !(step.keep && step.keep.names.includes(name)) : step.returns.includes(name)) {
          out[name] = tensor.data;
          buffers.add(tensor.data.buffer);
        }
      }
      outputs.push(out);
    }
    if (carried !== undefined) buffers.add(carried.data.buffer);
    parentPort.postMessage({ id: message.id, outputs, carried: carried === undefined ? undefined : carried.data }, [...buffers]);
  } catch (error) {
    parentPort.postMessage({ id: message.id, error: String((error && error.message) || error) });
  }
});
`;

interface Reply {
  readonly id: number;
  readonly outputs?: Record<string, Float32Array>[];
  readonly carried?: Float32Array;
  readonly error?: string;
}

/** What a lane's `runGraph` takes beyond the feeds. */
export interface LaneRunOptions {
  /** Constant groups (sent with {@link GraphLanes.ensureConstants}) to add to the feeds. */
  readonly constants?: readonly string[];
  /** Feeds whose buffers are handed over instead of copied: the caller must not read them again. */
  readonly transfer?: readonly string[];
  /**
   * Inputs and outputs the lane keeps as `handle` instead of returning (outputs) or dropping
   * (inputs); a later call takes them back as feeds with `retained`. Keeping under a handle again
   * replaces what was kept there.
   */
  readonly keep?: { readonly handle: string; readonly names: readonly string[] };
  /** Handles whose kept tensors join this call's feeds (and are then released). */
  readonly retained?: readonly string[];
}

/** One graph call of a {@link LaneRunner.runSequence}. */
export interface LaneStep extends Omit<LaneRunOptions, "transfer"> {
  readonly key: string;
  readonly build: () => Uint8Array;
  readonly feeds: Readonly<Record<string, GraphFeed>>;
  /** The carried value enters as input `input`; output `output` becomes the carried value. */
  readonly chain?: { readonly input: string; readonly output: string };
  /** Outputs to return. Default: every output not kept and not carried on. */
  readonly returns?: readonly string[];
}

/** One lane: a {@link GraphRunner} whose graphs run in its worker thread. */
export interface LaneRunner extends GraphRunner {
  runGraph(
    key: string,
    build: () => Uint8Array,
    feeds: Readonly<Record<string, GraphFeed>>,
    options?: LaneRunOptions,
  ): Promise<Record<string, Float32Array>>;
  /**
   * Runs `steps` one after another in the lane with one message each way: `shared` feeds are
   * offered to every step (each graph takes the ones it has inputs for) and `carried` passes from
   * step to step through their `chain`, so a whole pass through the blocks needs no round trip
   * to this thread. Returns each step's outputs and the last carried value.
   */
  runSequence(
    steps: readonly LaneStep[],
    options?: { readonly shared?: Readonly<Record<string, GraphFeed>>; readonly carried?: GraphFeed },
  ): Promise<{ outputs: Record<string, Float32Array>[]; carried?: Float32Array }>;
}

class Lane implements LaneRunner {
  private readonly pending = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>();
  private readonly compiled = new Set<string>();
  private nextId = 1;
  private failure: Error | undefined;
  /** Started on the first message: a run that never uses its lanes starts no thread. */
  private worker: Worker | undefined;
  private exited: Promise<void> | undefined;

  constructor(private readonly workerData: { readonly ort: string; readonly threads: number }) {}

  private started(): Worker {
    if (this.worker !== undefined) return this.worker;
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: this.workerData });
    worker.on("message", (reply: Reply) => {
      const waiter = this.pending.get(reply.id);
      if (waiter === undefined) return;
      this.pending.delete(reply.id);
      if (reply.error !== undefined) waiter.reject(new TrainError(`training lane: ${reply.error}`));
      else waiter.resolve(reply);
    });
    const fail = (error: Error): void => {
      this.failure ??= new TrainError(`training lane stopped: ${error.message}`, { cause: error });
      for (const waiter of this.pending.values()) waiter.reject(this.failure);
      this.pending.clear();
    };
    worker.on("error", fail);
    this.exited = new Promise((resolve) =>
      worker.on("exit", (code) => {
        fail(new Error(`its worker exited with code ${code}`));
        resolve();
      }),
    );
    this.worker = worker;
    return worker;
  }

  /**
   * Stops the thread. It is asked to close (its sessions released) rather than terminated:
   * terminating a thread while onnxruntime's native module is still loading in it aborts the
   * whole process. Terminated only if it has not closed within `patience` ms.
   */
  async close(patience = 30_000): Promise<void> {
    const worker = this.worker;
    if (worker === undefined || this.exited === undefined) return;
    if (this.failure === undefined) worker.postMessage({ op: "close", id: 0 });
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<"late">((resolve) => (timer = setTimeout(() => resolve("late"), patience)));
    if ((await Promise.race([this.exited, late])) === "late") await worker.terminate();
    clearTimeout(timer);
    this.failure ??= new TrainError("training lane stopped: closed");
  }

  async runGraph(
    key: string,
    build: () => Uint8Array,
    feeds: Readonly<Record<string, GraphFeed>>,
    options: LaneRunOptions = {},
  ): Promise<Record<string, Float32Array>> {
    const transfer = new Set<ArrayBuffer>();
    for (const name of options.transfer ?? []) {
      const buffer = feeds[name]?.data.buffer;
      if (buffer instanceof ArrayBuffer) transfer.add(buffer);
    }
    const { transfer: _, ...step } = options;
    void _;
    const reply = await this.sequence([{ key, build, feeds, ...step }], {}, [...transfer]);
    return reply.outputs[0] ?? {};
  }

  runSequence(
    steps: readonly LaneStep[],
    options: { readonly shared?: Readonly<Record<string, GraphFeed>>; readonly carried?: GraphFeed } = {},
  ): Promise<{ outputs: Record<string, Float32Array>[]; carried?: Float32Array }> {
    return this.sequence(steps, options, []);
  }

  private async sequence(
    steps: readonly LaneStep[],
    options: { readonly shared?: Readonly<Record<string, GraphFeed>>; readonly carried?: GraphFeed },
    transfer: ArrayBuffer[],
  ): Promise<{ outputs: Record<string, Float32Array>[]; carried?: Float32Array }> {
    const message = steps.map(({ build, ...step }) => {
      const graph = this.compiled.has(step.key) ? undefined : build();
      this.compiled.add(step.key);
      return { ...step, graph, constants: step.constants ?? [], retained: step.retained ?? [] };
    });
    const reply = await this.send(
      { op: "sequence", steps: message, shared: options.shared ?? {}, carried: options.carried },
      transfer,
    );
    return { outputs: reply.outputs ?? [], ...(reply.carried === undefined ? {} : { carried: reply.carried }) };
  }

  async sendConstants(groups: Readonly<Record<string, Readonly<Record<string, GraphFeed>>>>): Promise<void> {
    await this.send({ op: "constants", groups }, []);
  }

  private send(message: Record<string, unknown>, transfer: ArrayBuffer[]): Promise<Reply> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.started().postMessage({ ...message, id }, transfer);
    });
  }
}

/** Options for {@link GraphLanes.create}. */
export interface GraphLanesOptions {
  /** Number of lanes (worker threads). At least 2. */
  readonly count: number;
  /** onnxruntime intra-op threads per lane. Default 1. */
  readonly threadsPerLane?: number;
}

/** A set of lanes; `dispose` stops their threads. */
export class GraphLanes {
  /** Constant groups sent (or being sent) to every lane. */
  private readonly known = new Map<string, Promise<void>>();

  private constructor(private readonly list: readonly Lane[]) {}

  /** `count` lanes; each starts its thread (and loads onnxruntime there) on its first message. */
  static create(options: GraphLanesOptions): GraphLanes {
    if (!Number.isInteger(options.count) || options.count < 2)
      throw new RangeError(`GraphLanes: count must be an integer of at least 2, found ${options.count}`);
    const ort = createRequire(import.meta.url).resolve("onnxruntime-node");
    const lanes = Array.from({ length: options.count }, () => new Lane({ ort, threads: options.threadsPerLane ?? 1 }));
    return new GraphLanes(lanes);
  }

  /** Number of lanes. */
  get count(): number {
    return this.list.length;
  }

  /** Lane `index` (0 ≤ index < count). */
  lane(index: number): LaneRunner {
    const lane = this.list[index];
    if (lane === undefined) throw new RangeError(`GraphLanes: no lane ${index} of ${this.list.length}`);
    return lane;
  }

  /**
   * Makes sure every lane holds the constant groups `keys`; if any is missing, `make` builds all
   * of them (once, for every lane) and they are sent. The caller need not keep what `make` returns.
   */
  async ensureConstants(
    keys: readonly string[],
    make: () => Readonly<Record<string, Readonly<Record<string, GraphFeed>>>>,
  ): Promise<void> {
    const missing = keys.filter((key) => !this.known.has(key));
    if (missing.length > 0) {
      const sent = (async () => {
        const groups = make();
        const send: Record<string, Readonly<Record<string, GraphFeed>>> = {};
        for (const key of missing) {
          const group = groups[key];
          if (group === undefined) throw new RangeError(`ensureConstants: make() did not return ${key}`);
          send[key] = group;
        }
        await Promise.all(this.list.map((lane) => lane.sendConstants(send)));
      })();
      for (const key of missing) this.known.set(key, sent);
    }
    await Promise.all(keys.map((key) => this.known.get(key)));
  }

  /** Stops every lane's thread (see `Lane.close`). */
  async dispose(): Promise<void> {
    await Promise.all(this.list.map((lane) => lane.close()));
  }
}
