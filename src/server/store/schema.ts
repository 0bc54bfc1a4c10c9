import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/**
 * The server's tables, as drizzle sees them. `migrations.ts` creates the same tables in SQL; the
 * store test checks that the two agree, so a column added here needs a migration there.
 */

/** One patient session. The case and persona are copied in, so a session outlives an edited or deleted user case. */
export const sessions = pgTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    /** The name of the API key that created the session ("anonymous" without keys); only it may read the session. */
    owner: text("owner").notNull(),
    caseId: text("case_id").notNull(),
    personaId: text("persona_id").notNull(),
    engine: text("engine").notNull(),
    patientCase: jsonb("patient_case").notNull(),
    persona: jsonb("persona").notNull(),
    status: text("status").$type<"active" | "ended">().notNull().default("active"),
    /** Entries in `session_entries`; the next entry's `seq`. Guards against two writers appending at once. */
    entryCount: integer("entry_count").notNull().default(0),
    disclosedFactIds: jsonb("disclosed_fact_ids")
      .$type<string[]>()
      .notNull()
      .default(sql`'[]'::jsonb`),
    /** Room for the encounter feedback written when the session ends. */
    feedback: jsonb("feedback"),
    /** The language the student asked the patient to answer in: en, hi or hi-Latn. */
    language: text("language").notNull().default("en"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    endedAt: timestamp("ended_at", { withTimezone: true }),
  },
  (table) => [index("sessions_owner_created").on(table.owner, table.createdAt)],
);

/** What happened in a session, in order: the dialogue, examinations and ordered tests. */
export const sessionEntries = pgTable(
  "session_entries",
  {
    sessionId: text("session_id")
      .notNull()
      .references(() => sessions.id, { onDelete: "cascade" }),
    seq: integer("seq").notNull(),
    kind: text("kind").$type<EntryKind>().notNull(),
    /** doctor/patient: what was said; examination/test: the finding or result. */
    content: text("content").notNull(),
    /** examination: the system; test: the test name. */
    label: text("label"),
    /** Facts this entry disclosed for the first time. */
    factIds: jsonb("fact_ids")
      .$type<string[]>()
      .notNull()
      .default(sql`'[]'::jsonb`),
    /** For a patient reply: what the guard withheld, if anything. */
    guarded: jsonb("guarded"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.sessionId, table.seq] })],
);
export type EntryKind = "doctor" | "patient" | "examination" | "test";

/** User personas and cases (built-ins live in `data/` and are read-only). */
export const catalogItems = pgTable(
  "catalog_items",
  {
    kind: text("kind").$type<"case" | "persona">().notNull(),
    id: text("id").notNull(),
    owner: text("owner").notNull(),
    /** Visible to every key (items written by an admin key) or only to the owner. */
    shared: integer("shared").notNull().default(0),
    body: jsonb("body").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.kind, table.id] })],
);

export const schema = { sessions, sessionEntries, catalogItems };
