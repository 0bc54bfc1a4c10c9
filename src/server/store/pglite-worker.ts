import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import { MedsimError } from "../../util/errors.js";

/**
 * The worker's code, plain JavaScript evaluated by `worker_threads` (so that it runs the same from
 * the compiled dist/ and from the TypeScript sources under the test runner). It owns the PGlite
 * database and answers one message per query.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const { PGlite } = require(workerData.pglite);
const describe = (error) => ({ message: String((error && error.message) || error), code: error && error.code });
PGlite.create(workerData.dataDir).then(
  (db) => {
    parentPort.postMessage({ id: 0 });
    parentPort.on("message", async (message) => {
      try {
        if (message.op === "close") {
          await db.close();
          parentPort.postMessage({ id: message.id, rows: [] });
          parentPort.close();
          return;
        }
        if (message.op === "exec") {
          await db.exec(message.sql);
          parentPort.postMessage({ id: message.id, rows: [] });
          return;
        }
        const result = await db.query(message.sql, message.params, message.op === "all" ? { rowMode: "array" } : undefined);
        parentPort.postMessage({ id: message.id, rows: result.rows });
      } catch (error) {
        parentPort.postMessage({ id: message.id, error: describe(error) });
      }
    });
  },
  (error) => parentPort.postMessage({ id: 0, error: describe(error) }),
);
`;

interface Reply {
  id: number;
  rows?: unknown[];
  error?: { message: string; code?: string };
}

/**
 * PGlite (the embedded store) in a worker thread: its WebAssembly PostgreSQL runs beside the
 * server's event loop rather than on it, so a commit no longer holds up the requests, replies and
 * sockets of every other student, and a second core does the database work. A query resolves once
 * the worker's PGlite has finished it, so a committed write is as committed as in-process.
 */
export class PGliteWorker {
  private readonly pending = new Map<number, { resolve: (rows: unknown[]) => void; reject: (error: Error) => void }>();
  private nextId = 1;
  private failure: Error | undefined;

  private constructor(private readonly worker: Worker) {
    worker.on("message", (reply: Reply) => {
      const waiter = this.pending.get(reply.id);
      if (!waiter) return;
      this.pending.delete(reply.id);
      if (reply.error) waiter.reject(Object.assign(new Error(reply.error.message), { code: reply.error.code }));
      else waiter.resolve(reply.rows ?? []);
    });
    const fail = (error: Error) => {
      this.failure = new MedsimError("unavailable", `the embedded database stopped: ${error.message}`, {
        cause: error,
      });
      for (const waiter of this.pending.values()) waiter.reject(this.failure);
      this.pending.clear();
    };
    worker.on("error", fail);
    worker.on("exit", (code) => fail(new Error(`its worker exited with code ${code}`)));
  }

  /** Starts the worker and opens (or creates) the database in `dataDir`. */
  static async open(dataDir: string): Promise<PGliteWorker> {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { dataDir, pglite: createRequire(import.meta.url).resolve("@electric-sql/pglite") },
    });
    const client = new PGliteWorker(worker);
    try {
      await client.send({ op: "open" }, 0);
    } catch (error) {
      await worker.terminate();
      throw error;
    }
    return client;
  }

  /** Runs one statement; `all` returns rows as arrays (what drizzle maps to columns), `execute` as objects. */
  query(sql: string, params: unknown[], method: "all" | "execute"): Promise<unknown[]> {
    return this.send({ op: method, sql, params });
  }

  /** Runs SQL text that may hold several statements (migrations). */
  async exec(sql: string): Promise<void> {
    await this.send({ op: "exec", sql });
  }

  async close(): Promise<void> {
    if (this.failure) return;
    await this.send({ op: "close" });
    await this.worker.terminate();
  }

  private send(message: Record<string, unknown>, id = this.nextId++): Promise<unknown[]> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      if (id !== 0) this.worker.postMessage({ ...message, id });
    });
  }
}
