import { createRoute, type z } from "@hono/zod-openapi";
import { streamSSE } from "hono/streaming";
import { publicCaseId, type PatientCase, type Persona } from "../../domain/index.js";
import type { RouteModule, ServerServices } from "../app.js";
import { toErrorResponse } from "../errors.js";
import {
  CreateSessionSchema,
  DraftAcceptedSchema,
  DraftSchema,
  ErrorSchema,
  ExamineSchema,
  FindingSchema,
  MessageSchema,
  OrderTestSchema,
  SessionDetailSchema,
  SessionIdParams,
  SessionListQuery,
  SessionListSchema,
  SessionSchema,
  TurnSchema,
} from "../schemas.js";
import { answeredLanguage, type PatientLanguage } from "../../simulator/index.js";
import { feedbackForSession } from "../encounter-feedback.js";
import { summarizeCase } from "../sessions.js";
import type { SessionRow } from "../store/index.js";

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});
const errors = {
  400: json(ErrorSchema, "invalid input; `param` names the field"),
  401: json(ErrorSchema, "missing or wrong API key"),
  404: json(ErrorSchema, "unknown session (or another key's)"),
  409: json(ErrorSchema, "the session has ended"),
  413: json(ErrorSchema, "request body too large"),
  429: json(ErrorSchema, "rate limit; see Retry-After"),
  503: json(ErrorSchema, "server busy or shutting down; see Retry-After"),
};
const security = [{ bearer: [] }];
const body = <T extends z.ZodType>(schema: T) => ({
  body: { content: { "application/json": { schema } }, required: true },
});

const createSession = createRoute({
  method: "post",
  path: "/v1/sessions",
  summary: "Start a patient session",
  security,
  request: body(CreateSessionSchema),
  responses: { 201: json(SessionSchema, "the new session"), ...errors },
});

const listSessions = createRoute({
  method: "get",
  path: "/v1/sessions",
  summary: "This key's sessions, newest first, a page at a time",
  security,
  request: { query: SessionListQuery },
  responses: { 200: json(SessionListSchema, "a page of sessions"), ...errors },
});

const getSession = createRoute({
  method: "get",
  path: "/v1/sessions/{id}",
  summary: "A session with its transcript, examinations, tests and disclosed facts",
  security,
  request: { params: SessionIdParams },
  responses: { 200: json(SessionDetailSchema, "the session"), ...errors },
});

const sendMessage = createRoute({
  method: "post",
  path: "/v1/sessions/{id}/messages",
  summary: "Say something to the patient; the reply comes once committed (or as server-sent events with stream: true)",
  description:
    "With `stream: true` (or `Accept: text/event-stream`) the reply arrives as `sentence` events `{text}`, then one `reply` event with the Turn, or an `error` event.",
  security,
  request: { params: SessionIdParams, ...body(MessageSchema) },
  responses: { 200: json(TurnSchema, "the patient's reply and the facts it disclosed"), ...errors },
});

const sendDraft = createRoute({
  method: "post",
  path: "/v1/sessions/{id}/draft",
  summary: "Hand the engine the next message as typed so far, so the reply starts sooner",
  description:
    "Send while the student types (debounced, e.g. 300 ms after the last keystroke) or as speech recognition's interim text. Answered at once with 202, before the draft is evaluated; never produces a reply nor changes the transcript. Per session one draft is evaluated at a time and the newest replaces one that waits; a draft sent before a message is dropped once that message is asked. Engines without a cache (scripted, HTTP) ignore drafts. The WebSocket's `draft` message does the same.",
  security,
  request: { params: SessionIdParams, ...body(DraftSchema) },
  responses: { 202: json(DraftAcceptedSchema, "the draft was accepted"), ...errors },
});

const examine = createRoute({
  method: "post",
  path: "/v1/sessions/{id}/examine",
  summary: "Examine a body system (or `vitals`); returns only that finding",
  security,
  request: { params: SessionIdParams, ...body(ExamineSchema) },
  responses: { 200: json(FindingSchema, "the finding"), ...errors },
});

const orderTest = createRoute({
  method: "post",
  path: "/v1/sessions/{id}/tests",
  summary: "Order a test; returns only that result",
  security,
  request: { params: SessionIdParams, ...body(OrderTestSchema) },
  responses: { 200: json(FindingSchema, "the result"), ...errors },
});

const endSession = createRoute({
  method: "post",
  path: "/v1/sessions/{id}/end",
  summary: "End the session",
  security,
  request: { params: SessionIdParams },
  responses: { 200: json(SessionDetailSchema, "the ended session"), ...errors },
});

/** Patient sessions: create, talk, examine, order tests, read, end. */
export const sessionRoutes: RouteModule = (app, services) => {
  const { sessions } = services;

  app.openapi(createSession, async (c) => {
    const created = await sessions.create(c.get("principal"), c.req.valid("json"));
    return c.json(sessionView(created.row), 201);
  });

  app.openapi(listSessions, async (c) => {
    const { limit, cursor } = c.req.valid("query");
    const page = await sessions.list(c.get("principal"), { limit, cursor });
    return c.json({ data: page.sessions.map(sessionView), nextCursor: page.nextCursor ?? null }, 200);
  });

  app.openapi(getSession, async (c) => {
    const { row, entries } = await sessions.entries(c.get("principal"), c.req.valid("param").id);
    return c.json(detailView(services, row, entries), 200);
  });

  app.openapi(sendMessage, async (c) => {
    const principal = c.get("principal");
    const { id } = c.req.valid("param");
    const { content, stream } = c.req.valid("json");
    if (!stream && !c.req.header("Accept")?.includes("text/event-stream"))
      return c.json(await sessions.reply(principal, id, content, { signal: c.req.raw.signal }), 200);
    // Fail before the stream starts when the session is unknown, so the client gets a status code.
    await sessions.get(principal, id);
    return streamSSE(c, (sse) =>
      services.activity.run(async () => {
        const abort = new AbortController();
        sse.onAbort(() => abort.abort());
        try {
          const turn = await sessions.reply(principal, id, content, {
            signal: abort.signal,
            onSentence: (text) => void sse.writeSSE({ event: "sentence", data: JSON.stringify({ text: text.trim() }) }),
          });
          await sse.writeSSE({ event: "reply", data: JSON.stringify(turn) });
        } catch (error) {
          await sse.writeSSE({ event: "error", data: JSON.stringify(toErrorResponse(error, services.logger).body) });
        }
      }),
    ) as never;
  });

  app.openapi(sendDraft, async (c) => {
    const { id } = c.req.valid("param");
    await sessions.draft(c.get("principal"), id, c.req.valid("json").text);
    return c.json({ sessionId: id, accepted: true as const }, 202);
  });

  app.openapi(examine, async (c) => {
    const { id } = c.req.valid("param");
    return c.json(await sessions.reveal(c.get("principal"), id, "examine", c.req.valid("json").system), 200);
  });

  app.openapi(orderTest, async (c) => {
    const { id } = c.req.valid("param");
    return c.json(await sessions.reveal(c.get("principal"), id, "test", c.req.valid("json").name), 200);
  });

  app.openapi(endSession, async (c) => {
    const principal = c.get("principal");
    const { id } = c.req.valid("param");
    await sessions.end(principal, id);
    const { row, entries } = await sessions.entries(principal, id);
    // The encounter feedback, stored with the session.
    const feedback = await feedbackForSession(row, entries);
    await services.store.setFeedback(id, feedback);
    return c.json(detailView(services, { ...row, feedback }, entries), 200);
  });
};

/** A session as the API shows it: the case's public id, never the diagnosis nor the case script. */
export function sessionView(row: SessionRow): z.output<typeof SessionSchema> {
  const persona = row.persona as Persona;
  return {
    id: row.id,
    status: row.status,
    case: summarizeCase(row.patientCase as PatientCase),
    persona: { id: persona.id, name: persona.name, description: persona.description },
    engine: row.engine,
    language: languageView(row),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    endedAt: row.endedAt?.toISOString() ?? null,
  };
}

/** The language asked for and the one the patient answers in. */
export function languageView(row: SessionRow): { requested: string; answered: string; note?: string } {
  const requested = row.language as PatientLanguage;
  const answered = answeredLanguage(row.engine, requested);
  return answered === requested
    ? { requested, answered }
    : { requested, answered, note: `the ${row.engine} engine answers in English` };
}

function detailView(
  services: ServerServices,
  row: SessionRow,
  entries: Awaited<ReturnType<ServerServices["sessions"]["entries"]>>["entries"],
): z.output<typeof SessionDetailSchema> {
  return {
    ...sessionView(row),
    entries: entries.map((entry) => ({
      seq: entry.seq,
      kind: entry.kind,
      content: entry.content,
      label: entry.label,
      createdAt: entry.createdAt.toISOString(),
    })),
    transcript: entries
      .filter((entry) => entry.kind === "doctor" || entry.kind === "patient")
      .map((entry) => ({ role: entry.kind as "doctor" | "patient", content: entry.content })),
    disclosedFacts: services.sessions.disclosedFacts(row),
    ...(row.feedback === null || row.feedback === undefined ? {} : { feedback: studentFeedback(row) }),
  };
}

/**
 * The stored feedback under the case's public id. It reveals the diagnosis (the encounter is over),
 * but a student's pages and requests still show no internal id.
 */
function studentFeedback(row: SessionRow): unknown {
  const feedback = row.feedback;
  if (!feedback || typeof feedback !== "object" || !("caseId" in feedback)) return feedback;
  return { ...feedback, caseId: publicCaseId(row.caseId) };
}
