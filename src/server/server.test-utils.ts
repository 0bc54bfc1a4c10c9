import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { ScriptedEngine } from "../engines/index.js";
import { createServerApp, type ServerOptions } from "./server.js";
import { openStore, type SessionStore } from "./store/index.js";

/** The PostgreSQL server for tests, or undefined (then PostgreSQL tests skip and say why). */
export const PG_URL = process.env.PG_URL;
export const PG_SKIP_REASON = "PG_URL is not set: skipping the PostgreSQL store tests (.ci/run sets it)";

/** A fresh embedded store in a temporary directory, removed by `cleanup`. */
export async function temporaryEmbeddedStore(): Promise<{
  store: SessionStore;
  directory: string;
  cleanup(): Promise<void>;
}> {
  const directory = await mkdtemp(join(tmpdir(), "medsim-store-"));
  const store = await openStore(directory);
  return {
    store,
    directory,
    cleanup: async () => {
      await store.close().catch(() => {});
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/** A fresh database on the PostgreSQL server (so test runs never collide), dropped by `cleanup`. */
export async function temporaryPostgresDatabase(baseUrl: string): Promise<{ url: string; cleanup(): Promise<void> }> {
  const name = `medsim_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    cleanup: async () => {
      const client = new pg.Client({ connectionString: baseUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/** An in-process app on the scripted engine over `store`. */
export async function testApp(store: SessionStore, options: Partial<ServerOptions> = {}) {
  return createServerApp({ engine: new ScriptedEngine(), store, ...options });
}
