import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MedsimError } from "../../util/errors.js";
import { PG_SKIP_REASON, PG_URL, temporaryEmbeddedStore, temporaryPostgresDatabase } from "../server.test-utils.js";
import { openStore } from "./open.js";
import { catalogItems, sessionEntries, sessions } from "./schema.js";
import type { SessionStore } from "./store.js";

/** The same checks against both stores: one schema, one set of migrations. */
function storeContract(name: string, open: () => Promise<{ store: SessionStore; cleanup(): Promise<void> }>) {
  describe(name, () => {
    let store: SessionStore;
    let cleanup: () => Promise<void>;
    beforeAll(async () => {
      ({ store, cleanup } = await open());
    });
    afterAll(() => cleanup());

    const newSession = (id: string, owner = "alice") =>
      store.createSession({
        id,
        owner,
        caseId: "c",
        personaId: "p",
        engine: "scripted",
        patientCase: { id: "c" },
        persona: { id: "p" },
      });

    it("has every column the drizzle schema names (migrations and schema agree)", async () => {
      for (const table of [sessions, sessionEntries, catalogItems])
        await expect(store.db.select().from(table).limit(1)).resolves.toBeDefined();
    });

    it("appends entries atomically and refuses a stale writer", async () => {
      await newSession("s1");
      await store.appendEntries(
        "s1",
        0,
        [
          { kind: "doctor", content: "Hi" },
          { kind: "patient", content: "Hello", factIds: ["a"] },
        ],
        ["a"],
      );
      const stale = store.appendEntries("s1", 0, [{ kind: "doctor", content: "Again" }], ["a"]);
      await expect(stale).rejects.toBeInstanceOf(MedsimError);
      await expect(stale).rejects.toMatchObject({ code: "conflict" });
      const entries = await store.listEntries("s1");
      expect(entries.map((entry) => [entry.seq, entry.kind, entry.content, entry.factIds])).toEqual([
        [0, "doctor", "Hi", []],
        [1, "patient", "Hello", ["a"]],
      ]);
      expect((await store.getSession("s1"))?.entryCount).toBe(2);
    });

    it("commits concurrent appends together, in order for one session", async () => {
      const ids = Array.from({ length: 20 }, (_, index) => `g${index}`);
      for (const id of ids) await newSession(id);
      const results = await Promise.all(
        ids.flatMap((id) => [
          store.appendEntries(id, 0, [{ kind: "doctor", content: `${id} first` }], []),
          store.appendEntries(id, 1, [{ kind: "patient", content: `${id} second` }], ["x"]),
        ]),
      );
      expect(results.map((result) => result.entryCount)).toEqual(ids.flatMap(() => [1, 2]));
      const entries = await store.listEntries("g7");
      expect(entries.map((entry) => entry.content)).toEqual(["g7 first", "g7 second"]);
      expect((await store.getSession("g7"))?.disclosedFactIds).toEqual(["x"]);
    });

    it("ends a session once and keeps its feedback", async () => {
      await newSession("s2");
      expect((await store.endSession("s2", { score: 3 }))?.status).toBe("ended");
      expect(await store.endSession("s2")).toBeUndefined();
      await expect(store.appendEntries("s2", 0, [{ kind: "doctor", content: "Hi" }], [])).rejects.toMatchObject({
        code: "conflict",
      });
      await store.setFeedback("s2", { score: 4 });
      expect((await store.getSession("s2"))?.feedback).toEqual({ score: 4 });
    });

    it("lists one owner's sessions a page at a time", async () => {
      for (const id of ["b1", "b2", "b3"]) await newSession(id, "bob");
      const first = await store.listSessions("bob", { limit: 2 });
      const second = await store.listSessions("bob", { limit: 2, cursor: first.nextCursor });
      const ids = [...first.sessions, ...second.sessions].map((session) => session.id).sort();
      expect(ids).toEqual(["b1", "b2", "b3"]);
      expect(second.nextCursor).toBeUndefined();
      await expect(store.listSessions("bob", { limit: 2, cursor: "garbage" })).rejects.toMatchObject({
        code: "invalid_input",
      });
    });

    it("stores user catalog items, visible to their owner and, when shared, to all", async () => {
      await store.putCatalogItem({ kind: "persona", id: "mine", owner: "alice", shared: false, body: { id: "mine" } });
      await store.putCatalogItem({ kind: "persona", id: "ours", owner: "admin", shared: true, body: { id: "ours" } });
      expect((await store.listCatalogItems("persona", "alice")).map((item) => item.id)).toEqual(["mine", "ours"]);
      expect((await store.listCatalogItems("persona", "bob")).map((item) => item.id)).toEqual(["ours"]);
      expect(await store.deleteCatalogItem("persona", "mine")).toBe(true);
      expect(await store.deleteCatalogItem("persona", "mine")).toBe(false);
    });
  });
}

storeContract("embedded store (PGlite)", temporaryEmbeddedStore);

if (PG_URL) {
  storeContract("PostgreSQL store", async () => {
    const database = await temporaryPostgresDatabase(PG_URL!);
    const store = await openStore(database.url);
    return {
      store,
      cleanup: async () => {
        await store.close();
        await database.cleanup();
      },
    };
  });
} else {
  describe.skip(`PostgreSQL store: ${PG_SKIP_REASON}`, () => {
    it("skipped", () => {});
  });
  process.stderr.write(`${PG_SKIP_REASON}\n`);
}

describe("embedded store lock", () => {
  it("refuses a second process's store and takes over a dead one's lock", async () => {
    const { writeFile } = await import("node:fs/promises");
    const { join } = await import("node:path");
    const first = await temporaryEmbeddedStore();
    await first.store.close();
    // A lock left by a process that is gone (as after kill -9) is taken over.
    await writeFile(join(first.directory, "medsim.lock"), "999999\n");
    const reopened = await openStore(first.directory);
    await reopened.close();
    // A running process's lock (pid 1 always runs) is respected.
    await writeFile(join(first.directory, "medsim.lock"), "1\n");
    await expect(openStore(first.directory)).rejects.toMatchObject({ code: "conflict" });
    await first.cleanup();
  });
});
