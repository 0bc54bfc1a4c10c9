import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** What a stand-in server received, for assertions. */
export interface ReceivedRequest {
  path: string;
  headers: IncomingMessage["headers"];
  body: { model?: string; messages: { role: string; content: string }[]; stream?: boolean; [key: string]: unknown };
}

export interface StandInServer {
  url: string;
  requests: ReceivedRequest[];
  close(): Promise<void>;
}

type Handler = (request: ReceivedRequest, response: ServerResponse) => void | Promise<void>;

/** A real HTTP server on 127.0.0.1 (random port) that speaks just enough of a model server's protocol. */
export async function startStandInServer(handler: Handler): Promise<StandInServer> {
  const requests: ReceivedRequest[] = [];
  const server: Server = createServer(async (incoming, response) => {
    let raw = "";
    for await (const chunk of incoming) raw += chunk;
    const request: ReceivedRequest = {
      path: incoming.url ?? "",
      headers: incoming.headers,
      body: raw ? JSON.parse(raw) : { messages: [] },
    };
    requests.push(request);
    await handler(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Splits a reply into small pieces, the way models stream tokens. */
export function tokenPieces(text: string): string[] {
  return text.match(/.{1,4}/gs) ?? [];
}

/** An OpenAI-compatible `/v1/chat/completions` that streams `reply(request)` as server-sent events. */
export function openAIChatHandler(reply: (request: ReceivedRequest) => string): Handler {
  return (request, response) => {
    if (request.path !== "/v1/chat/completions") {
      response
        .writeHead(404, { "content-type": "application/json" })
        .end(JSON.stringify({ error: { message: `no route ${request.path}` } }));
      return;
    }
    response.writeHead(200, { "content-type": "text/event-stream" });
    for (const piece of tokenPieces(reply(request))) {
      response.write(
        `data: ${JSON.stringify({ id: "x", object: "chat.completion.chunk", choices: [{ index: 0, delta: { content: piece } }] })}\n\n`,
      );
    }
    response.write(
      `data: ${JSON.stringify({ id: "x", choices: [{ index: 0, delta: {}, finish_reason: "stop" }] })}\n\n`,
    );
    response.end("data: [DONE]\n\n");
  };
}

/** Ollama's `/api/chat`, streaming `reply(request)` as newline-delimited JSON. */
export function ollamaChatHandler(
  reply: (request: ReceivedRequest) => string,
  knownModels = ["qwen2.5:0.5b"],
): Handler {
  return (request, response) => {
    if (request.path !== "/api/chat") {
      response.writeHead(404).end("404 page not found");
      return;
    }
    if (!knownModels.includes(String(request.body.model))) {
      response
        .writeHead(404, { "content-type": "application/json" })
        .end(JSON.stringify({ error: `model "${request.body.model}" not found, try pulling it first` }));
      return;
    }
    response.writeHead(200, { "content-type": "application/x-ndjson" });
    for (const piece of tokenPieces(reply(request))) {
      response.write(
        `${JSON.stringify({ model: request.body.model, message: { role: "assistant", content: piece }, done: false })}\n`,
      );
    }
    response.end(
      `${JSON.stringify({ model: request.body.model, message: { role: "assistant", content: "" }, done: true, eval_count: 3 })}\n`,
    );
  };
}
