import type { UpgradeWebSocket, WSContext } from "hono/ws";
import type { WebSocket } from "ws";
import { z } from "zod";
import { MAX_DOCTOR_TEXT_LENGTH } from "../../simulator/index.js";
import { ValidationError } from "../../util/errors.js";
import { validate } from "../../util/files.js";
import type { RouteModule } from "../app.js";
import { toErrorResponse } from "../errors.js";

/**
 * What a client sends over the socket: a message for the patient, `cancel` to stop the reply
 * in progress (a new message while the patient is answering cancels that reply too, as when a
 * student interrupts), or `draft`, the next message as typed so far, which the engine may
 * evaluate ahead so the reply starts sooner (never answered; at most one in flight per socket,
 * later ones replace a waiting one).
 */
export const SocketRequestSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("message"),
    content: z.string().trim().min(1, "must not be empty").max(MAX_DOCTOR_TEXT_LENGTH),
  }),
  z.object({ type: z.literal("cancel") }),
  // What the student has typed so far; never answered. The engine evaluates it ahead (llama).
  z.object({ type: z.literal("draft"), text: z.string().max(MAX_DOCTOR_TEXT_LENGTH) }),
]);

/** The open sockets, so a shutdown can close them after their replies finish. */
export type SocketRegistry = Set<WSContext<WebSocket>>;

/**
 * `GET /v1/sessions/{id}/ws`: one socket per session. Server messages are JSON:
 * `{type:"ready", sessionId}`, `{type:"sentence", text}` as the reply is generated,
 * `{type:"reply", ...Turn}` once it is committed, `{type:"error", error}` for a bad frame or a
 * failed turn (the socket stays open).
 */
export function websocketRoutes(upgradeWebSocket: UpgradeWebSocket<WebSocket>, sockets: SocketRegistry): RouteModule {
  return (app, services) => {
    app.get(
      "/v1/sessions/:id/ws",
      async (c, next) => {
        // Unknown sessions are refused before the upgrade, with a status code.
        await services.sessions.get(c.get("principal"), c.req.param("id"));
        await next();
      },
      upgradeWebSocket((c) => {
        const principal = c.get("principal");
        const sessionId = c.req.param("id")!;
        let current: AbortController | undefined;
        // Drafts go to the session service, which hands the engine one at a time, newest first.
        const sendDraft = (text: string) =>
          void services.sessions
            .draft(principal, sessionId, text)
            .catch((error: unknown) => services.logger.warn(`draft for session ${sessionId}: ${String(error)}`));
        const send = (ws: WSContext<WebSocket>, message: unknown) => {
          if (ws.readyState === 1) ws.send(JSON.stringify(message));
        };
        const sendError = (ws: WSContext<WebSocket>, error: unknown) =>
          send(ws, { type: "error", ...toErrorResponse(error, services.logger).body });
        return {
          onOpen(_event, ws) {
            sockets.add(ws);
            send(ws, { type: "ready", sessionId });
          },
          onMessage(event, ws) {
            let request: z.output<typeof SocketRequestSchema>;
            try {
              if (typeof event.data !== "string")
                throw new ValidationError("websocket frame", [
                  { field: "", message: "expected a JSON text frame, found binary data" },
                ]);
              let parsed: unknown;
              try {
                parsed = JSON.parse(event.data);
              } catch {
                throw new ValidationError("websocket frame", [
                  {
                    field: "",
                    message: `expected JSON such as {"type":"message","content":"..."}, found ${JSON.stringify(event.data.slice(0, 40))}`,
                  },
                ]);
              }
              request = validate(SocketRequestSchema, parsed, "websocket frame");
            } catch (error) {
              sendError(ws, error);
              return;
            }
            if (request.type === "draft") {
              // A draft while the patient answers is dropped (the simulator ignores it too).
              if (current === undefined) sendDraft(request.text);
              return;
            }
            current?.abort();
            if (request.type === "cancel") return;
            const abort = new AbortController();
            current = abort;
            services.sessions
              .reply(principal, sessionId, request.content, {
                signal: abort.signal,
                onSentence: (text) => send(ws, { type: "sentence", text: text.trim() }),
              })
              .then(
                (turn) => send(ws, { type: "reply", ...turn, ...(abort.signal.aborted ? { cancelled: true } : {}) }),
                (error: unknown) => sendError(ws, error),
              )
              .finally(() => {
                if (current === abort) current = undefined;
              });
          },
          onClose(_event, ws) {
            sockets.delete(ws);
            current?.abort();
          },
        };
      }),
    );
  };
}
