import { and, desc, eq, or, sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { MedsimError } from "../../util/errors.js";
import { catalogItems, schema, sessionEntries, sessions, type EntryKind } from "./schema.js";

export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;
export type SessionRow = typeof sessions.$inferSelect;
export type NewSession = typeof sessions.$inferInsert;
export type SessionEntryRow = typeof sessionEntries.$inferSelect;
export type CatalogItemRow = typeof catalogItems.$inferSelect;
export type CatalogKind = CatalogItemRow["kind"];

/** One entry to append to a session. */
export interface NewEntry {
  kind: EntryKind;
  content: string;
  label?: string;
  factIds?: string[];
  guarded?: unknown;
}

/** A page of sessions, newest first; `nextCursor` fetches the next page. */
export interface SessionPage {
  sessions: SessionRow[];
  nextCursor?: string;
}

/**
 * Everything the server keeps: sessions with their entries, feedback results and user personas and
 * cases. One implementation over drizzle serves both the embedded PGlite store and a PostgreSQL
 * server. Every write is one transaction that has committed when the promise resolves, which is
 * what lets the server acknowledge a turn only once it is safe.
 */
export class SessionStore {
  constructor(
    readonly db: Database,
    /** "embedded" (PGlite in a data directory) or "postgres". */
    readonly kind: "embedded" | "postgres",
    /** Where the data lives, for messages (a directory, or the URL without its password). */
    readonly location: string,
    private readonly closeDriver: () => Promise<void>,
  ) {}

  async createSession(session: NewSession): Promise<SessionRow> {
    const [row] = await this.db.insert(sessions).values(session).returning();
    return row!;
  }

  async getSession(id: string): Promise<SessionRow | undefined> {
    const [row] = await this.db.select().from(sessions).where(eq(sessions.id, id));
    return row;
  }

  /** Sessions of one owner (all owners when `owner` is undefined), newest first. */
  async listSessions(owner: string | undefined, options: { limit: number; cursor?: string }): Promise<SessionPage> {
    const conditions = [];
    if (owner !== undefined) conditions.push(eq(sessions.owner, owner));
    if (options.cursor) {
      const [createdAt, id] = decodeCursor(options.cursor);
      conditions.push(
        or(
          sql`${sessions.createdAt} < ${createdAt}`,
          and(sql`${sessions.createdAt} = ${createdAt}`, sql`${sessions.id} < ${id}`),
        ),
      );
    }
    const rows = await this.db
      .select()
      .from(sessions)
      .where(conditions.length ? and(...conditions) : undefined)
      .orderBy(desc(sessions.createdAt), desc(sessions.id))
      .limit(options.limit + 1);
    const page = rows.slice(0, options.limit);
    const last = page[page.length - 1];
    return rows.length > options.limit && last
      ? { sessions: page, nextCursor: encodeCursor(last.createdAt, last.id) }
      : { sessions: page };
  }

  /**
   * Appends entries to an active session in one transaction. `expectedCount` is the entry count
   * the caller's view of the session had; if another writer (another server instance) appended
   * in between, nothing is written and a `conflict` error says so.
   */
  async appendEntries(
    sessionId: string,
    expectedCount: number,
    entries: readonly NewEntry[],
    disclosedFactIds: readonly string[],
  ): Promise<{ entryCount: number; updatedAt: Date }> {
    // One statement, so one round trip and one commit: the update that claims the sequence
    // numbers and the insert of the entries succeed or fail together.
    const rows = entries.map((entry, index) => ({
      seq: expectedCount + index,
      kind: entry.kind,
      content: entry.content,
      label: entry.label ?? null,
      fact_ids: entry.factIds ?? [],
      guarded: entry.guarded ?? null,
    }));
    const result = (await this.db.execute(sql`
      WITH claimed AS (
        UPDATE sessions
           SET entry_count = ${expectedCount + entries.length},
               disclosed_fact_ids = ${JSON.stringify(disclosedFactIds)}::jsonb,
               updated_at = now()
         WHERE id = ${sessionId} AND entry_count = ${expectedCount} AND status = 'active'
        RETURNING id, entry_count, updated_at
      ), inserted AS (
        INSERT INTO session_entries (session_id, seq, kind, content, label, fact_ids, guarded)
        SELECT claimed.id, entry.seq, entry.kind, entry.content, entry.label, entry.fact_ids, entry.guarded
          FROM claimed, jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
            AS entry (seq integer, kind text, content text, label text, fact_ids jsonb, guarded jsonb)
      )
      SELECT entry_count, updated_at FROM claimed`)) as unknown as {
      rows: { entry_count: number; updated_at: string | Date }[];
    };
    const row = result.rows[0];
    if (!row)
      throw new MedsimError(
        "conflict",
        `session ${sessionId} changed while this request was answered (ended, or written by another request); fetch it and retry`,
      );
    return { entryCount: Number(row.entry_count), updatedAt: new Date(row.updated_at) };
  }

  async listEntries(sessionId: string): Promise<SessionEntryRow[]> {
    return this.db
      .select()
      .from(sessionEntries)
      .where(eq(sessionEntries.sessionId, sessionId))
      .orderBy(sessionEntries.seq);
  }

  /** Marks a session ended (once); returns undefined when it was already ended or does not exist. */
  async endSession(sessionId: string, feedback?: unknown): Promise<SessionRow | undefined> {
    const [row] = await this.db
      .update(sessions)
      .set({
        status: "ended",
        endedAt: new Date(),
        updatedAt: new Date(),
        ...(feedback === undefined ? {} : { feedback }),
      })
      .where(and(eq(sessions.id, sessionId), eq(sessions.status, "active")))
      .returning();
    return row;
  }

  /** Stores (or replaces) the feedback result of a session. */
  async setFeedback(sessionId: string, feedback: unknown): Promise<void> {
    await this.db.update(sessions).set({ feedback, updatedAt: new Date() }).where(eq(sessions.id, sessionId));
  }

  async getCatalogItem(kind: CatalogKind, id: string): Promise<CatalogItemRow | undefined> {
    const [row] = await this.db
      .select()
      .from(catalogItems)
      .where(and(eq(catalogItems.kind, kind), eq(catalogItems.id, id)));
    return row;
  }

  /** User items visible to `owner`: their own and the shared ones (all when `owner` is undefined). */
  async listCatalogItems(kind: CatalogKind, owner: string | undefined): Promise<CatalogItemRow[]> {
    const visible = owner === undefined ? undefined : or(eq(catalogItems.owner, owner), eq(catalogItems.shared, 1));
    return this.db
      .select()
      .from(catalogItems)
      .where(and(eq(catalogItems.kind, kind), visible))
      .orderBy(catalogItems.id);
  }

  async putCatalogItem(item: { kind: CatalogKind; id: string; owner: string; shared: boolean; body: unknown }) {
    const values = { ...item, shared: item.shared ? 1 : 0, updatedAt: new Date() };
    await this.db
      .insert(catalogItems)
      .values(values)
      .onConflictDoUpdate({
        target: [catalogItems.kind, catalogItems.id],
        set: { body: values.body, shared: values.shared, updatedAt: values.updatedAt },
      });
  }

  async deleteCatalogItem(kind: CatalogKind, id: string): Promise<boolean> {
    const rows = await this.db
      .delete(catalogItems)
      .where(and(eq(catalogItems.kind, kind), eq(catalogItems.id, id)))
      .returning({ id: catalogItems.id });
    return rows.length > 0;
  }

  /** Throws unless the database answers (for `/ready`). */
  async ping(): Promise<void> {
    await this.db.execute(sql`select 1`);
  }

  async close(): Promise<void> {
    await this.closeDriver();
  }
}

function encodeCursor(createdAt: Date, id: string): string {
  return Buffer.from(JSON.stringify([createdAt.toISOString(), id])).toString("base64url");
}

function decodeCursor(cursor: string): [string, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown;
    if (Array.isArray(value) && value.length === 2 && value.every((part) => typeof part === "string"))
      return value as [string, string];
  } catch {
    // Falls through to the error below.
  }
  throw new MedsimError("invalid_input", `cursor: not a cursor this server returned ("${cursor.slice(0, 40)}")`);
}
