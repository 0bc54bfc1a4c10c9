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

interface PendingAppend {
  sessionId: string;
  expectedCount: number;
  entries: readonly NewEntry[];
  disclosedFactIds: readonly string[];
  resolve: (value: { entryCount: number; updatedAt: Date }) => void;
  reject: (error: unknown) => void;
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
   * Appends entries to an active session; resolves once they are committed. `expectedCount` is
   * the entry count the caller's view of the session had; if another writer (another server
   * instance) appended in between, or the session ended, nothing is written and a `conflict`
   * error says so.
   *
   * Appends that arrive while a commit is in progress are committed together in the next one
   * (group commit): with fifty students talking at once the database commits a few times per
   * round of replies rather than fifty, and no reply waits on a commit it is not part of.
   */
  appendEntries(
    sessionId: string,
    expectedCount: number,
    entries: readonly NewEntry[],
    disclosedFactIds: readonly string[],
  ): Promise<{ entryCount: number; updatedAt: Date }> {
    return new Promise((resolve, reject) => {
      this.pendingAppends.push({ sessionId, expectedCount, entries, disclosedFactIds, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        // Start the commit after this turn of the event loop: the replies to every request read
        // in the same poll then join it, instead of the first one committing alone.
        setImmediate(() => void this.flushAppends());
      }
    });
  }

  private readonly pendingAppends: PendingAppend[] = [];
  private flushing = false;

  private async flushAppends(): Promise<void> {
    try {
      while (this.pendingAppends.length > 0) {
        // One append per session in a batch (a later one depends on the earlier one's commit).
        const batch: PendingAppend[] = [];
        const sessionsInBatch = new Set<string>();
        for (let index = 0; index < this.pendingAppends.length && batch.length < 256;) {
          const append = this.pendingAppends[index]!;
          if (sessionsInBatch.has(append.sessionId)) index++;
          else {
            sessionsInBatch.add(append.sessionId);
            batch.push(append);
            this.pendingAppends.splice(index, 1);
          }
        }
        try {
          const committed = await this.commitAppends(batch);
          for (const append of batch) {
            const row = committed.get(append.sessionId);
            if (row) append.resolve(row);
            else
              append.reject(
                new MedsimError(
                  "conflict",
                  `session ${append.sessionId} changed while this request was answered (ended, or written by another request); fetch it and retry`,
                ),
              );
          }
        } catch (error) {
          for (const append of batch) append.reject(error);
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  /** One statement, so one commit: claims each session's sequence numbers and inserts its entries. */
  private async commitAppends(
    batch: readonly PendingAppend[],
  ): Promise<Map<string, { entryCount: number; updatedAt: Date }>> {
    const claims = batch.map((append) => ({
      session_id: append.sessionId,
      expected: append.expectedCount,
      next: append.expectedCount + append.entries.length,
      disclosed: append.disclosedFactIds,
    }));
    const rows = batch.flatMap((append) =>
      append.entries.map((entry, index) => ({
        session_id: append.sessionId,
        seq: append.expectedCount + index,
        kind: entry.kind,
        content: entry.content,
        label: entry.label ?? null,
        fact_ids: entry.factIds ?? [],
        guarded: entry.guarded ?? null,
      })),
    );
    const result = (await this.db.execute(sql`
      WITH claim AS (
        SELECT * FROM jsonb_to_recordset(${JSON.stringify(claims)}::jsonb)
          AS claim (session_id text, expected integer, next integer, disclosed jsonb)
      ), claimed AS (
        UPDATE sessions
           SET entry_count = claim.next, disclosed_fact_ids = claim.disclosed, updated_at = now()
          FROM claim
         WHERE sessions.id = claim.session_id AND sessions.entry_count = claim.expected AND sessions.status = 'active'
        RETURNING sessions.id, sessions.entry_count, sessions.updated_at
      ), inserted AS (
        INSERT INTO session_entries (session_id, seq, kind, content, label, fact_ids, guarded)
        SELECT entry.session_id, entry.seq, entry.kind, entry.content, entry.label, entry.fact_ids, entry.guarded
          FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
            AS entry (session_id text, seq integer, kind text, content text, label text, fact_ids jsonb, guarded jsonb)
          JOIN claimed ON claimed.id = entry.session_id
      )
      SELECT id, entry_count, updated_at FROM claimed`)) as unknown as ExecuteResult<{
      id: string;
      entry_count: number;
      updated_at: string | Date;
    }>;
    return new Map(
      rowsOf(result).map((row) => [
        row.id,
        { entryCount: Number(row.entry_count), updatedAt: new Date(row.updated_at) },
      ]),
    );
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
    while (this.flushing) await new Promise((resolve) => setTimeout(resolve, 5));
    await this.closeDriver();
  }
}

/** What `db.execute` returns: node-postgres and PGlite give a result with `rows`, the proxy the rows. */
type ExecuteResult<Row> = { rows: Row[] } | Row[];

function rowsOf<Row>(result: ExecuteResult<Row>): Row[] {
  return Array.isArray(result) ? result : result.rows;
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
