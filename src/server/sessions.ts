import { randomBytes } from "node:crypto";
import type { DialogueTurn, PatientCase, Persona } from "../domain/index.js";
import { listCaseFacts, publicCaseId, studentCaseTitle } from "../domain/index.js";
import type { CaseSummary, DisclosedFact, Finding } from "../client/wire.js";
import type { PatientEngine } from "../engines/index.js";
import { findDiagnosisLeak, PatientSimulator, type PatientLanguage, type PatientReply } from "../simulator/index.js";
import { MedsimError, ValidationError } from "../util/errors.js";
import { silentLogger, type Logger } from "../util/logger.js";
import type { Principal } from "./auth.js";
import type { ServerCatalog } from "./catalog.js";
import { findRevealedFact } from "./findings.js";
import { KeyedMutex, type ReplyPool } from "./limits.js";
import type { SessionEntryRow, SessionRow, SessionStore } from "./store/index.js";

export type { CaseSummary, DisclosedFact };
/** What the server returns for an examination or a test: the client's {@link Finding}. */
export type FindingResult = Finding;

/** A case as a session shows it to the student: its public id, never the internal one nor the diagnosis. */
export function summarizeCase(patientCase: PatientCase): CaseSummary {
  const d = patientCase.demographics;
  const safe = (text: string | undefined) => (text && !findDiagnosisLeak(text, patientCase) ? text : undefined);
  return {
    id: publicCaseId(patientCase.id),
    title: studentCaseTitle(patientCase),
    setting: safe(patientCase.setting),
    patient: { name: d.name, age: d.age, sex: d.sex, occupation: d.occupation, region: d.region, language: d.language },
    chiefComplaint: patientCase.chiefComplaint,
  };
}

/**
 * What the student is told of a withheld sentence: its kind, not the diagnosis term it named
 * (the stored entry keeps the term for educators).
 */
function studentGuard(
  guarded: NonNullable<PatientReply["guarded"]>,
): NonNullable<PatientReply["guarded"]> | { kind: "diagnosis_leak" } {
  return guarded.kind === "diagnosis_leak" ? { kind: "diagnosis_leak" } : guarded;
}

export interface TurnResult {
  sessionId: string;
  /** The index of the patient's entry in the session. */
  turn: number;
  reply: string;
  newlyDisclosedFacts: DisclosedFact[];
  guarded?: ReturnType<typeof studentGuard>;
}

/** A session's drafts in progress: the newest one waiting to be handed to the engine. */
interface DraftState {
  waiting?: { text: string; sequence: number };
}

/** A live simulator for a session, and how far it has seen the stored session. */
interface LiveSession {
  row: SessionRow;
  simulator: PatientSimulator;
  lastUsed: number;
}

export interface SessionServiceOptions {
  store: SessionStore;
  catalog: ServerCatalog;
  /** The engine the server was started with; sessions may also ask for `scripted`. */
  engine: PatientEngine;
  scripted: PatientEngine;
  pool: ReplyPool;
  /** Live simulators kept in memory (each holds an engine context for llama). Default 64. */
  maxLiveSessions?: number;
  logger?: Logger;
}

/**
 * Patient sessions over the store: the one place that creates, answers, examines and ends them.
 * A turn is acknowledged (the promise resolves) only after it is committed. A session's requests
 * run one at a time; replies of different sessions share the reply pool.
 *
 * A session continues after a restart: when no live simulator exists, one is created whose engine
 * sees the stored dialogue before the new turns, so the engine rebuilds its context from it.
 */
export class SessionService {
  private readonly live = new Map<string, LiveSession>();
  private readonly mutex = new KeyedMutex();
  private readonly drafting = new Map<string, DraftState>();
  /** Numbers drafts and messages in the order they arrive. */
  private sequence = 0;
  /** The number of each live session's latest message. */
  private readonly askedAt = new Map<string, number>();
  private readonly logger: Logger;
  private readonly maxLive: number;

  constructor(private readonly options: SessionServiceOptions) {
    this.logger = options.logger ?? silentLogger;
    this.maxLive = options.maxLiveSessions ?? 64;
  }

  /** Engines a session may ask for by name. */
  get engineNames(): string[] {
    return [...new Set([this.options.engine.name, "scripted"])];
  }

  async create(
    principal: Principal,
    request: { case: string; persona: string; engine?: string; language?: PatientLanguage },
  ): Promise<{ row: SessionRow; summary: CaseSummary; persona: Persona }> {
    const engine = this.engineFor(request.engine);
    const patientCase = (await this.options.catalog.get("case", request.case, principal)).item;
    const persona = (await this.options.catalog.get("persona", request.persona, principal)).item;
    const row = await this.options.store.createSession({
      id: newSessionId(),
      owner: principal.name,
      caseId: patientCase.id,
      personaId: persona.id,
      engine: engine.name,
      patientCase,
      persona,
      language: request.language ?? "en",
    });
    return { row, summary: summarizeCase(patientCase), persona };
  }

  /** The session if `principal` may see it; another key's session is "not found", not "forbidden". */
  async get(principal: Principal, id: string): Promise<SessionRow> {
    const row = await this.options.store.getSession(id);
    if (!row || (row.owner !== principal.name && principal.role !== "admin"))
      throw new MedsimError("not_found", `unknown session "${id.slice(0, 80)}"`);
    return row;
  }

  async entries(principal: Principal, id: string): Promise<{ row: SessionRow; entries: SessionEntryRow[] }> {
    const row = await this.get(principal, id);
    return { row, entries: await this.options.store.listEntries(id) };
  }

  list(principal: Principal, options: { limit: number; cursor?: string }) {
    return this.options.store.listSessions(principal.role === "admin" ? undefined : principal.name, options);
  }

  /** Facts of the session's case by id, for showing what was disclosed. */
  disclosedFacts(row: SessionRow, ids: readonly string[] = row.disclosedFactIds): DisclosedFact[] {
    const wanted = new Set(ids);
    return listCaseFacts(row.patientCase as PatientCase)
      .filter((fact) => wanted.has(fact.id))
      .map((fact) => ({
        id: fact.id,
        topic: fact.topic,
        text: fact.label ? `${fact.label}: ${fact.text}` : fact.text,
      }));
  }

  /**
   * Answers the student. `onSentence` receives each sentence as it is released; `signal` stops
   * the reply (what was said so far is kept and stored).
   */
  async reply(
    principal: Principal,
    id: string,
    content: string,
    options: { signal?: AbortSignal; onSentence?: (sentence: string) => void } = {},
  ): Promise<TurnResult> {
    // Drafts sent before this message must not be evaluated after its reply.
    this.askedAt.set(id, ++this.sequence);
    return this.mutex.run(id, async () => {
      const live = await this.liveSession(principal, id);
      return this.options.pool.run(async () => {
        const stream = live.simulator.respondStream(content, { signal: options.signal });
        for await (const sentence of stream.textStream) options.onSentence?.(sentence);
        const reply = await stream.reply;
        const known = new Set(live.row.disclosedFactIds);
        const newIds = reply.newlyDisclosedFactIds.filter((factId) => !known.has(factId));
        const disclosed = [...live.row.disclosedFactIds, ...newIds];
        const expected = live.row.entryCount;
        try {
          const saved = await this.options.store.appendEntries(
            id,
            expected,
            [
              { kind: "doctor", content: content.trim() },
              { kind: "patient", content: reply.text, factIds: newIds, guarded: reply.guarded },
            ],
            disclosed,
          );
          live.row = {
            ...live.row,
            entryCount: saved.entryCount,
            disclosedFactIds: disclosed,
            updatedAt: saved.updatedAt,
          };
        } catch (error) {
          // The simulator already holds a turn that was not stored; rebuild it from the store next time.
          await this.evict(id);
          throw error;
        }
        return {
          sessionId: id,
          turn: expected + 1,
          reply: reply.text,
          newlyDisclosedFacts: this.disclosedFacts(live.row, newIds),
          ...(reply.guarded ? { guarded: studentGuard(reply.guarded) } : {}),
        };
      });
    });
  }

  /** Examines a body system, or orders a test: returns only what was asked for. */
  async reveal(principal: Principal, id: string, revealedBy: "examine" | "test", name: string): Promise<FindingResult> {
    return this.mutex.run(id, async () => {
      const row = await this.activeRow(principal, id);
      const fact = findRevealedFact(row.patientCase as PatientCase, revealedBy, name);
      const newIds = fact && !row.disclosedFactIds.includes(fact.id) ? [fact.id] : [];
      const disclosed = [...row.disclosedFactIds, ...newIds];
      const label = fact?.label ?? (fact ? "vital signs" : name.trim());
      const result = fact?.text ?? null;
      const content =
        result ??
        (revealedBy === "examine"
          ? `No abnormal findings recorded on examination of ${label}.`
          : `No result recorded for ${label} in this case.`);
      const saved = await this.options.store.appendEntries(
        id,
        row.entryCount,
        [{ kind: revealedBy === "examine" ? "examination" : "test", content, label, factIds: newIds }],
        disclosed,
      );
      const live = this.live.get(id);
      if (live) live.row = { ...live.row, entryCount: saved.entryCount, disclosedFactIds: disclosed };
      return {
        sessionId: id,
        entry: row.entryCount,
        name: label,
        result,
        newlyDisclosedFacts: this.disclosedFacts({ ...row, disclosedFactIds: disclosed }, newIds),
      };
    });
  }

  /**
   * Hands the engine a draft of the student's next message to evaluate while they type (opening
   * the live session if needed, so the first question's draft counts too). Resolves once the draft
   * is accepted (the session exists, is this key's and is active), without waiting for the
   * evaluation: per session one draft is handed to the engine at a time, and a newer draft
   * replaces one that waits. A draft never changes the transcript; one sent before the session's
   * latest message is dropped. The WebSocket and HTTP drafts both come here.
   */
  async draft(principal: Principal, id: string, text: string): Promise<void> {
    // Numbered on arrival, before any await, so that "newest" means the last one sent.
    const sequence = ++this.sequence;
    await this.activeRow(principal, id);
    if (this.outdated(id, sequence)) return;
    const state = this.drafting.get(id);
    if (state) {
      if (!state.waiting || state.waiting.sequence < sequence) state.waiting = { text, sequence };
      return;
    }
    const started: DraftState = { waiting: { text, sequence } };
    this.drafting.set(id, started);
    void this.handDrafts(principal, id, started);
  }

  private async handDrafts(principal: Principal, id: string, state: DraftState): Promise<void> {
    try {
      for (let next = state.waiting; next; next = state.waiting) {
        state.waiting = undefined;
        const live = await this.mutex.run(id, () => this.liveSession(principal, id));
        if (!this.outdated(id, next.sequence)) await live.simulator.prepareDraft(next.text);
      }
    } catch (error) {
      // The session ended or was evicted while the student typed: nothing to prepare.
      this.logger.debug(`draft for session ${id}: ${String(error)}`);
    } finally {
      this.drafting.delete(id);
    }
  }

  /** Whether a message was asked after the draft numbered `sequence` was sent. */
  private outdated(id: string, sequence: number): boolean {
    return sequence < (this.askedAt.get(id) ?? 0);
  }

  /** Ends a session: no more turns; frees its live simulator. Ending twice is a conflict. */
  async end(principal: Principal, id: string, feedback?: unknown): Promise<SessionRow> {
    return this.mutex.run(id, async () => {
      await this.get(principal, id);
      const row = await this.options.store.endSession(id, feedback);
      if (!row) throw new MedsimError("conflict", `session ${id} has already ended`);
      this.askedAt.delete(id);
      await this.evict(id);
      return row;
    });
  }

  /** Frees every live simulator (at shutdown). */
  async dispose(): Promise<void> {
    await Promise.all([...this.live.keys()].map((id) => this.evict(id)));
  }

  private engineFor(name: string | undefined): PatientEngine {
    if (name === undefined || name === this.options.engine.name) return this.options.engine;
    if (name === "scripted") return this.options.scripted;
    throw new ValidationError("request body", [
      { field: "engine", message: `this server offers ${this.engineNames.join(" and ")}, found "${name}"` },
    ]);
  }

  private async activeRow(principal: Principal, id: string): Promise<SessionRow> {
    const cached = this.live.get(id);
    // One process owns an embedded store, so a live session's row is current; with PostgreSQL
    // another instance may have written, so read it again.
    const row =
      cached &&
      this.options.store.kind === "embedded" &&
      (cached.row.owner === principal.name || principal.role === "admin")
        ? cached.row
        : await this.get(principal, id);
    if (row.status !== "active") throw new MedsimError("conflict", `session ${id} has ended`);
    return row;
  }

  private async liveSession(principal: Principal, id: string): Promise<LiveSession> {
    const row = await this.activeRow(principal, id);
    const cached = this.live.get(id);
    if (cached && cached.row.entryCount === row.entryCount) {
      cached.row = row;
      cached.lastUsed = Date.now();
      return cached;
    }
    if (cached) await this.evict(id);
    const history: DialogueTurn[] = [];
    if (row.entryCount > 0)
      for (const entry of await this.options.store.listEntries(id))
        if (entry.kind === "doctor" || entry.kind === "patient")
          history.push({ role: entry.kind, content: entry.content });
    const simulator = await PatientSimulator.create({
      patientCase: row.patientCase as PatientCase,
      persona: row.persona as Persona,
      engine: continuing(this.engineFor(row.engine), history),
      language: row.language as PatientLanguage,
      logger: this.logger,
    });
    const live: LiveSession = { row, simulator, lastUsed: Date.now() };
    this.live.set(id, live);
    await this.evictLeastRecentlyUsed();
    return live;
  }

  private async evict(id: string): Promise<void> {
    const live = this.live.get(id);
    if (!live) return;
    this.live.delete(id);
    await live.simulator
      .dispose()
      .catch((error: unknown) => this.logger.warn(`disposing session ${id}: ${String(error)}`));
  }

  private async evictLeastRecentlyUsed(): Promise<void> {
    while (this.live.size > this.maxLive) {
      let oldest: [string, LiveSession] | undefined;
      for (const entry of this.live) if (!oldest || entry[1].lastUsed < oldest[1].lastUsed) oldest = entry;
      if (!oldest) return;
      // Idle longest: no draft of it is outdated by now.
      this.askedAt.delete(oldest[0]);
      await this.evict(oldest[0]);
    }
  }
}

/** 24 random bytes: session ids cannot be guessed or enumerated. */
function newSessionId(): string {
  return `ses_${randomBytes(24).toString("base64url")}`;
}

/**
 * An engine whose conversations start with the stored dialogue of a session, so a simulator
 * created after a restart answers with the whole conversation in context (uses only the public
 * engine interface).
 */
export function continuing(engine: PatientEngine, history: readonly DialogueTurn[]): PatientEngine {
  if (history.length === 0) return engine;
  return {
    name: engine.name,
    modelName: engine.modelName,
    async openConversation(setup) {
      const conversation = await engine.openConversation(setup);
      return {
        reply: (transcript, options) => conversation.reply([...history, ...transcript], options),
        ...(conversation.prepare
          ? { prepare: (transcript, options) => conversation.prepare!([...history, ...transcript], options) }
          : {}),
        dispose: () => conversation.dispose(),
      };
    },
    // The shared engine outlives every session.
    dispose: async () => {},
  };
}
