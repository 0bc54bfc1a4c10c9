import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EngineConversation, PatientEngine } from "../engines/index.js";
import { MedsimError } from "../util/errors.js";
import { KeyedMutex, RateLimiter, ReplyPool } from "./limits.js";
import { startServer } from "./server.js";
import { temporaryEmbeddedStore, testApp } from "./server.test-utils.js";
import type { SessionStore } from "./store/index.js";

/** A real engine implementation that takes `delayMs` per reply (a slow model). */
class SlowEngine implements PatientEngine {
  readonly name = "openai" as const;
  readonly modelName = "slow";
  constructor(private readonly delayMs: number) {}
  async openConversation(): Promise<EngineConversation> {
    const delay = this.delayMs;
    return {
      async *reply(_transcript, options) {
        await new Promise((resolve) => setTimeout(resolve, delay));
        if (!options?.signal?.aborted) yield "I have had a fever for three days.";
      },
      dispose: async () => {},
    };
  }
  async dispose(): Promise<void> {}
}

let store: SessionStore;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ store, cleanup } = await temporaryEmbeddedStore());
});
afterAll(() => cleanup());

describe("limits", () => {
  it("ReplyPool runs up to its concurrency, queues, then refuses with Retry-After", async () => {
    const pool = new ReplyPool(1, 1);
    let release!: () => void;
    const first = pool.run(() => new Promise<void>((resolve) => (release = resolve)));
    const second = pool.run(async () => "second");
    const third = pool.run(async () => "third").catch((error: unknown) => error);
    expect(await third).toMatchObject({ code: "unavailable", retryAfterSeconds: 1 });
    release();
    await first;
    expect(await second).toBe("second");
    await pool.idle();
    expect(pool.inFlight).toBe(0);
  });

  it("RateLimiter allows a burst, then says when to retry", () => {
    const limiter = new RateLimiter(60, 2);
    limiter.take("a", 0);
    limiter.take("a", 0);
    expect(() => limiter.take("a", 0)).toThrow(MedsimError);
    limiter.take("b", 0);
    limiter.take("a", 1000);
  });

  it("KeyedMutex runs one key's tasks in order, other keys in parallel", async () => {
    const mutex = new KeyedMutex();
    const order: string[] = [];
    const slow = (label: string, ms: number) => async () => {
      await new Promise((resolve) => setTimeout(resolve, ms));
      order.push(label);
    };
    await Promise.all([mutex.run("s", slow("s1", 30)), mutex.run("s", slow("s2", 1)), mutex.run("t", slow("t1", 5))]);
    expect(order).toEqual(["t1", "s1", "s2"]);
  });

  it("answers 429 with Retry-After over HTTP, and CORS preflights for allowed origins", async () => {
    const { app } = await testApp(store, { rateLimitPerMinute: 6, corsOrigins: ["https://xr.example.org"] });
    expect((await app.request("/v1/models")).status).toBe(200);
    const limited = await app.request("/v1/models");
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(((await limited.json()) as { error: { code: string } }).error.code).toBe("rate_limited");
    const preflight = await app.request("/v1/sessions", {
      method: "OPTIONS",
      headers: { Origin: "https://xr.example.org", "Access-Control-Request-Method": "POST" },
    });
    expect(preflight.headers.get("Access-Control-Allow-Origin")).toBe("https://xr.example.org");
    const other = await app.request("/health", { headers: { Origin: "https://evil.example" } });
    expect(other.headers.get("Access-Control-Allow-Origin")).toBeNull();
  });

  it("gives 503 with Retry-After when the reply pool is full; other requests still answer", async () => {
    const { app } = await testApp(store, { engine: new SlowEngine(300), concurrency: 1, queue: 0 });
    const create = async () =>
      (
        (await (
          await app.request("/v1/sessions", {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify({ case: "dengue-fever", persona: "calm" }),
          })
        ).json()) as { id: string }
      ).id;
    const [a, b] = [await create(), await create()];
    const send = (id: string) =>
      app.request(`/v1/sessions/${id}/messages`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ content: "When did the fever start?" }),
      });
    const first = send(a);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = await send(b);
    expect(second.status).toBe(503);
    expect(second.headers.get("Retry-After")).toBe("1");
    expect((await app.request(`/v1/sessions/${b}`)).status).toBe(200);
    expect((await first).status).toBe(200);
  });

  it("shuts down gracefully: the reply in progress finishes, new requests are refused", async () => {
    const temporary = await temporaryEmbeddedStore();
    const server = await startServer({ engine: new SlowEngine(500), store: temporary.store, port: 0 });
    const session = (await (
      await fetch(`${server.url}/v1/sessions`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ case: "dengue-fever", persona: "calm" }),
      })
    ).json()) as { id: string };
    const reply = fetch(`${server.url}/v1/sessions/${session.id}/messages`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ content: "When did the fever start?" }),
    });
    // Close once the reply is being generated.
    while (server.services.pool.inFlight === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    const closing = server.close();
    const refused = await server.app.request("/v1/models");
    expect(refused.status).toBe(503);
    const answered = await reply;
    expect(answered.status).toBe(200);
    expect(((await answered.json()) as { reply: string }).reply).toContain("fever");
    await closing;
    await temporary.cleanup();
  });
});
