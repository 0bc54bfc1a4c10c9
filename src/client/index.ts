/**
 * `medsim/client`: a small typed client for `medsim serve`, for Node 18+ and browsers. It uses
 * only `fetch`, so it runs in a WebXR page, a web app or a Node script alike.
 *
 * @example
 * ```ts
 * import { MedsimClient } from "medsim/client";
 * const client = new MedsimClient({ baseUrl: "http://127.0.0.1:8000", apiKey: "..." });
 * const session = await client.createSession({ case: "dengue-fever", persona: "anxious" });
 * const turn = await client.send(session.id, "What brings you in today?");
 * const streaming = client.stream(session.id, "Any vomiting?");
 * for await (const sentence of streaming.textStream) console.log(sentence);
 * ```
 */

import { pendingReply } from "../util/pending-reply.js";
import type { CaseSummary, DisclosedFact, Finding } from "./wire.js";

export type { CaseSummary, DisclosedFact, Finding } from "./wire.js";

export interface MedsimClientOptions {
  /** The server's address, e.g. `http://127.0.0.1:8000` (no trailing `/v1`). */
  baseUrl: string;
  /** The API key, sent as `Authorization: Bearer <key>`. */
  apiKey?: string;
  /** A `fetch` to use instead of the global one (tests, proxies). */
  fetch?: typeof fetch;
}

export interface Session {
  id: string;
  status: "active" | "ended";
  case: CaseSummary;
  persona: { id: string; name: string; description: string };
  engine: string;
  createdAt: string;
  updatedAt: string;
  endedAt: string | null;
}

export interface Turn {
  sessionId: string;
  turn: number;
  reply: string;
  newlyDisclosedFacts: DisclosedFact[];
  guarded?: { kind: string; [key: string]: unknown };
}

export interface SessionDetail extends Session {
  entries: {
    seq: number;
    kind: "doctor" | "patient" | "examination" | "test";
    content: string;
    label: string | null;
  }[];
  transcript: { role: "doctor" | "patient"; content: string }[];
  disclosedFacts: DisclosedFact[];
  feedback?: unknown;
}

/** A reply in progress: sentences as they are generated, and the committed turn. */
export interface TurnStream {
  textStream: AsyncIterable<string>;
  reply: Promise<Turn>;
}

/** An error response from the server, with its status and stable `code`. */
export class MedsimApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly type: string,
    readonly param: string | null,
    message: string,
    /** Seconds to wait before retrying (429, 503), when the server said. */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = "MedsimApiError";
  }
}

export class MedsimClient {
  private readonly baseUrl: string;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: MedsimClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  createSession(request: { case: string; persona: string; engine?: string }): Promise<Session> {
    return this.request("POST", "/v1/sessions", request);
  }

  getSession(id: string): Promise<SessionDetail> {
    return this.request("GET", `/v1/sessions/${encodeURIComponent(id)}`);
  }

  listSessions(
    options: { limit?: number; cursor?: string } = {},
  ): Promise<{ data: Session[]; nextCursor: string | null }> {
    const query = new URLSearchParams();
    if (options.limit !== undefined) query.set("limit", String(options.limit));
    if (options.cursor !== undefined) query.set("cursor", options.cursor);
    return this.request("GET", `/v1/sessions${query.size ? `?${query}` : ""}`);
  }

  /** Says something to the patient and waits for the committed reply. */
  send(sessionId: string, content: string, options: { signal?: AbortSignal } = {}): Promise<Turn> {
    return this.request("POST", `/v1/sessions/${encodeURIComponent(sessionId)}/messages`, { content }, options.signal);
  }

  /** Says something and streams the reply sentence by sentence (server-sent events). */
  stream(sessionId: string, content: string, options: { signal?: AbortSignal } = {}): TurnStream {
    const { promise: reply, resolve: resolveReply, reject: rejectReply } = pendingReply<Turn>();
    const path = `/v1/sessions/${encodeURIComponent(sessionId)}/messages`;
    const events = this.events(path, { content, stream: true }, options.signal);
    const textStream = (async function* () {
      try {
        let finished = false;
        for await (const event of events) {
          if (event.name === "sentence") yield (event.data as { text: string }).text;
          else if (event.name === "reply") {
            finished = true;
            resolveReply(event.data as Turn);
          } else if (event.name === "error") throw errorFromBody(200, event.data);
        }
        if (!finished)
          throw new MedsimApiError(0, "stream_ended", "network_error", null, "the reply stream ended early");
      } catch (error) {
        rejectReply(error);
        throw error;
      }
    })();
    return { textStream, reply };
  }

  /**
   * Hands the server the next message as typed (or spoken) so far, so the engine can evaluate it
   * ahead and the reply starts sooner once the message is sent. Call it while the student types,
   * debounced (e.g. 300 ms after the last keystroke, and at least once a second while they type
   * on), or with speech recognition's interim text. Resolves with the server's 202 acknowledgement
   * as soon as the draft is accepted, before it is evaluated; a draft never produces a reply nor
   * changes the transcript, and one sent before a message is dropped once that message is asked.
   * Engines without a cache (scripted, HTTP) accept drafts and ignore them.
   *
   * @param text The message so far, at most 4,000 characters (the server's limit for a message).
   * @throws {MedsimApiError} 400 (`param: "text"`) for an over-long text, 404 for a session that is
   *   not the key's, 409 for an ended session, 401 without a key where the server needs one.
   */
  draft(
    sessionId: string,
    text: string,
    options: { signal?: AbortSignal } = {},
  ): Promise<{ sessionId: string; accepted: true }> {
    return this.request("POST", `/v1/sessions/${encodeURIComponent(sessionId)}/draft`, { text }, options.signal);
  }

  /** Examines a body system (or `vitals`). */
  examine(sessionId: string, system: string): Promise<Finding> {
    return this.request("POST", `/v1/sessions/${encodeURIComponent(sessionId)}/examine`, { system });
  }

  /** Orders a test by name (`complete blood count`, `CBC`). */
  order(sessionId: string, name: string): Promise<Finding> {
    return this.request("POST", `/v1/sessions/${encodeURIComponent(sessionId)}/tests`, { name });
  }

  /** Ends the session. */
  end(sessionId: string): Promise<SessionDetail> {
    return this.request("POST", `/v1/sessions/${encodeURIComponent(sessionId)}/end`);
  }

  private headers(json: boolean): Record<string, string> {
    return {
      ...(json ? { "Content-Type": "application/json" } : {}),
      ...(this.options.apiKey ? { Authorization: `Bearer ${this.options.apiKey}` } : {}),
    };
  }

  private async request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    const response = await this.fetch(`${this.baseUrl}${path}`, {
      method,
      headers: this.headers(body !== undefined),
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
    if (!response.ok) throw await errorFromResponse(response);
    return (await response.json()) as T;
  }

  private async *events(
    path: string,
    body: unknown,
    signal?: AbortSignal,
  ): AsyncGenerator<{ name: string; data: unknown }> {
    const response = await this.fetch(`${this.baseUrl}${path}`, {
      method: "POST",
      headers: { ...this.headers(true), Accept: "text/event-stream" },
      body: JSON.stringify(body),
      signal,
    });
    if (!response.ok) throw await errorFromResponse(response);
    if (!response.body)
      throw new MedsimApiError(response.status, "stream_ended", "network_error", null, "no response body");
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      buffer += decoder.decode(value, { stream: !done });
      let boundary: number;
      while ((boundary = buffer.search(/\r?\n\r?\n/)) >= 0) {
        const block = buffer.slice(0, boundary);
        buffer = buffer.slice(boundary).replace(/^\r?\n\r?\n/, "");
        let name = "message";
        const data: string[] = [];
        for (const line of block.split(/\r?\n/)) {
          if (line.startsWith("event:")) name = line.slice(6).trim();
          else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
        }
        if (data.length) yield { name, data: JSON.parse(data.join("\n")) as unknown };
      }
      if (done) return;
    }
  }
}

async function errorFromResponse(response: Response): Promise<MedsimApiError> {
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const retryAfter = Number(response.headers.get("Retry-After") ?? NaN);
  return errorFromBody(response.status, body, Number.isFinite(retryAfter) ? retryAfter : undefined, text);
}

function errorFromBody(status: number, body: unknown, retryAfter?: number, text = ""): MedsimApiError {
  const error = (body as { error?: { message?: string; code?: string; type?: string; param?: string | null } })?.error;
  return new MedsimApiError(
    status,
    error?.code ?? "http_error",
    error?.type ?? "server_error",
    error?.param ?? null,
    error?.message ?? `HTTP ${status}${text ? `: ${text.slice(0, 200)}` : ""}`,
    retryAfter,
  );
}
