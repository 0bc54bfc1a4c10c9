import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { drizzle as drizzlePostgres } from "drizzle-orm/node-postgres";
import { drizzle as drizzleProxy } from "drizzle-orm/pg-proxy";
import pg from "pg";
import { MedsimError } from "../../util/errors.js";
import { MIGRATIONS } from "./migrations.js";
import { PGliteWorker } from "./pglite-worker.js";
import { schema } from "./schema.js";
import { SessionStore, type Database } from "./store.js";

/** The embedded store's default directory: `$MEDSIM_DATA`, else `~/.local/share/medsim`. */
export function defaultDataDirectory(): string {
  return process.env.MEDSIM_DATA || join(homedir(), ".local", "share", "medsim");
}

/**
 * One process at a time may open an embedded store (PGlite is not multi-process): a lock file
 * holds the owner's pid. A lock left by a process that no longer runs (kill -9) is taken over.
 */
async function lockDirectory(directory: string): Promise<() => Promise<void>> {
  const path = join(directory, "medsim.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(path, `${process.pid}\n`, { flag: "wx" });
      return () => rm(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const pid = Number((await readFile(path, "utf8").catch(() => "")).trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isRunning(pid))
        throw new MedsimError(
          "conflict",
          `${directory}: the embedded store is in use by process ${pid}; stop it, or use PostgreSQL (--db postgres://...) to run several servers`,
        );
      await rm(path, { force: true });
    }
  }
  throw new MedsimError("file_error", `${path}: cannot take the store lock`);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** A fixed key, so that every instance sharing a database takes the same migration lock. */
const MIGRATION_LOCK_KEY = 7_305_410_021;

/**
 * Opens the store: a `postgres://` (or `postgresql://`) URL connects to a PostgreSQL server,
 * anything else is a directory for the embedded PGlite database (created when missing). Applies
 * pending migrations before returning.
 */
export async function openStore(location: string = defaultDataDirectory()): Promise<SessionStore> {
  if (/^postgres(ql)?:\/\//i.test(location)) return openPostgres(location);
  return openEmbedded(resolve(location));
}

async function openEmbedded(directory: string): Promise<SessionStore> {
  const dataDir = join(directory, "pgdata");
  let client: PGliteWorker;
  await mkdir(dataDir, { recursive: true });
  const releaseLock = await lockDirectory(directory);
  try {
    client = await PGliteWorker.open(dataDir);
  } catch (error) {
    throw new MedsimError(
      "file_error",
      `${dataDir}: cannot open the embedded database (${(error as Error).message.split("\n")[0]})`,
      { cause: error },
    );
  } finally {
    if (!client!) await releaseLock();
  }
  await migrate((text) => client.exec(text));
  const db = drizzleProxy(async (text, params, method) => ({ rows: await client.query(text, params, method) }), {
    schema,
  }) as unknown as Database;
  return new SessionStore(db, "embedded", directory, async () => {
    await client.close();
    await releaseLock();
  });
}

async function openPostgres(url: string): Promise<SessionStore> {
  const pool = new pg.Pool({ connectionString: url, max: 20 });
  // An idle client that loses its connection emits 'error'; without a listener that kills the process.
  pool.on("error", () => {});
  const shown = redactPassword(url);
  let connection: pg.PoolClient;
  try {
    connection = await pool.connect();
  } catch (error) {
    await pool.end().catch(() => {});
    throw new MedsimError("unavailable", `cannot connect to PostgreSQL at ${shown}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  try {
    await migrate(async (text) => {
      await connection.query(text);
    });
  } finally {
    connection.release();
  }
  const db = drizzlePostgres(pool, { schema }) as unknown as Database;
  return new SessionStore(db, "postgres", shown, () => pool.end());
}

/**
 * Applies the migrations not yet applied, under an advisory lock so that several server
 * instances starting at once against one PostgreSQL do not race.
 */
async function migrate(exec: (text: string) => Promise<void>): Promise<void> {
  await exec(`SELECT pg_advisory_lock(${MIGRATION_LOCK_KEY})`);
  try {
    await exec(
      "CREATE TABLE IF NOT EXISTS medsim_migrations (id integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())",
    );
    for (const migration of MIGRATIONS) {
      await exec(
        `DO $migrate$ BEGIN
           IF NOT EXISTS (SELECT 1 FROM medsim_migrations WHERE id = ${migration.id}) THEN
             ${migration.sql}
             INSERT INTO medsim_migrations (id, name) VALUES (${migration.id}, ${quote(migration.name)});
           END IF;
         END $migrate$`,
      );
    }
  } finally {
    await exec(`SELECT pg_advisory_unlock(${MIGRATION_LOCK_KEY})`);
  }
}

function quote(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

function redactPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "postgres://(unparseable URL)";
  }
}
