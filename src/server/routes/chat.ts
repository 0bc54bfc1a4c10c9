import { randomBytes } from "node:crypto";
import { createRoute, type z } from "@hono/zod-openapi";
import { streamSSE } from "hono/streaming";
import { PatientCaseSchema, publicCaseId, type DialogueTurn, type PatientCase } from "../../domain/index.js";
import { PatientSimulator } from "../../simulator/index.js";
import { ValidationError } from "../../util/errors.js";
import { parseStructuredText, validate } from "../../util/files.js";
import type { Principal } from "../auth.js";
import type { RouteModule, ServerServices } from "../app.js";
import { checkCaseDoesNotLeak } from "../catalog.js";
import { toErrorResponse } from "../errors.js";
import { ChatCompletionRequestSchema, ChatCompletionSchema, ErrorSchema, ModelListSchema } from "../schemas.js";
import { continuing } from "../sessions.js";
import { chatUsage, recordingSystemPrompt } from "../usage.js";

type ChatRequest = z.output<typeof ChatCompletionRequestSchema>;

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

const completions = createRoute({
  method: "post",
  path: "/v1/chat/completions",
  summary: "OpenAI-compatible chat: the model `patient/<case>/<persona>` answers as the patient",
  description:
    "The user is the student, the assistant the patient. A system message holding a case script (JSON or YAML) replaces the named case (model `patient/script/<persona>`). With `stream: true` the reply comes as `chat.completion.chunk` server-sent events ending with `data: [DONE]`. `usage` counts tokens with the model's tokenizer where the engine has one (llama: the prompt as the chat template gives it to the model, and the reply); otherwise (scripted, ollama, openai) it estimates 4 characters a token.",
  security: [{ bearer: [] }],
  request: { body: { content: { "application/json": { schema: ChatCompletionRequestSchema } }, required: true } },
  responses: {
    200: json(ChatCompletionSchema, "the patient's reply"),
    400: json(ErrorSchema, "invalid request; `param` names the field"),
    401: json(ErrorSchema, "missing or wrong API key"),
    404: json(ErrorSchema, "unknown case or persona"),
    503: json(ErrorSchema, "busy; see Retry-After"),
  },
});

const models = createRoute({
  method: "get",
  path: "/v1/models",
  summary: "Every patient: `patient/<public case id>/<persona>` for each case and persona this key can use",
  description:
    "Case ids here are public ids (`case-` and 10 hex digits), which never name the diagnosis. Chat requests also accept a case's internal id (`patient/dengue-fever/calm`) from an admin key or the key that stored the case.",
  security: [{ bearer: [] }],
  responses: { 200: json(ModelListSchema, "the models"), 401: json(ErrorSchema, "missing or wrong API key") },
});

/** `/v1/chat/completions` and `/v1/models`, for OpenAI clients and tools. */
export const chatRoutes: RouteModule = (app, services) => {
  app.openapi(models, async (c) => {
    const principal = c.get("principal");
    const [caseEntries, personaEntries] = await Promise.all([
      services.catalog.list("case", principal),
      services.catalog.list("persona", principal),
    ]);
    const created = Math.floor(Date.now() / 1000);
    const data = caseEntries.flatMap((caseEntry) =>
      personaEntries.map((personaEntry) => ({
        id: `patient/${publicCaseId(caseEntry.item.id)}/${personaEntry.item.id}`,
        object: "model" as const,
        created,
        owned_by: "medsim",
      })),
    );
    return c.json({ object: "list" as const, data }, 200);
  });

  app.openapi(completions, async (c) => {
    const request = c.req.valid("json");
    const principal = c.get("principal");
    const { simulator, doctorText, model, prompt } = await prepare(services, principal, request);
    const generation = {
      maxTokens: request.max_completion_tokens ?? request.max_tokens ?? undefined,
      temperature: request.temperature ?? undefined,
      seed: request.seed ?? undefined,
    };
    const id = `chatcmpl-${randomBytes(12).toString("base64url")}`;
    const created = Math.floor(Date.now() / 1000);
    const usage = (replyText: string) => chatUsage(services.engine, prompt, replyText);

    if (!request.stream) {
      const reply = await services.pool.run(() =>
        simulator.respond(doctorText, { ...generation, signal: c.req.raw.signal }),
      );
      await simulator.dispose();
      return c.json(
        {
          id,
          object: "chat.completion" as const,
          created,
          model,
          choices: [
            {
              index: 0,
              message: { role: "assistant" as const, content: reply.text, refusal: null },
              finish_reason: "stop",
              logprobs: null,
            },
          ],
          usage: await usage(reply.text),
        },
        200,
      );
    }

    const includeUsage = request.stream_options?.include_usage === true;
    return streamSSE(c, (sse) =>
      services.activity.run(async () => {
        const abort = new AbortController();
        sse.onAbort(() => abort.abort());
        const chunk = (delta: Record<string, unknown>, finishReason: string | null) =>
          sse.writeSSE({
            data: JSON.stringify({
              id,
              object: "chat.completion.chunk",
              created,
              model,
              choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }],
              ...(includeUsage ? { usage: null } : {}),
            }),
          });
        try {
          await services.pool.run(async () => {
            await chunk({ role: "assistant", content: "" }, null);
            const stream = simulator.respondStream(doctorText, { ...generation, signal: abort.signal });
            for await (const piece of stream.textStream) await chunk({ content: piece }, null);
            const reply = await stream.reply;
            await chunk({}, "stop");
            if (includeUsage) {
              await sse.writeSSE({
                data: JSON.stringify({
                  id,
                  object: "chat.completion.chunk",
                  created,
                  model,
                  choices: [],
                  usage: await usage(reply.text),
                }),
              });
            }
          });
          await sse.writeSSE({ data: "[DONE]" });
        } catch (error) {
          // Headers are gone; OpenAI clients read an `error` object in the stream.
          await sse.writeSSE({ data: JSON.stringify(toErrorResponse(error, services.logger).body) });
        } finally {
          await simulator.dispose();
        }
      }),
    ) as never;
  });
};

/** Builds a one-off simulator whose engine sees the conversation the client sent. */
async function prepare(services: ServerServices, principal: Principal, request: ChatRequest) {
  const match = /^patient\/([^/]+)\/([^/]+)$/.exec(request.model);
  const systemText = request.messages
    .filter((message) => message.role === "system" || message.role === "developer")
    .map((message) => textOf(message.content))
    .join("\n")
    .trim();
  const scripted = systemText ? caseFromSystemMessage(systemText) : undefined;
  if (!match && !scripted)
    throw new ValidationError("request body", [
      {
        field: "model",
        message: `expected "patient/<case>/<persona>" (see GET /v1/models) or a system message holding a case script, found "${request.model.slice(0, 80)}"`,
      },
    ]);
  const patientCase: PatientCase =
    scripted ?? (await services.catalog.get("case", match![1]!, principal, "model")).item;
  const persona = (await services.catalog.get("persona", match?.[2] ?? "calm", principal, "model")).item;

  const dialogue = request.messages.filter((message) => message.role === "user" || message.role === "assistant");
  const last = dialogue[dialogue.length - 1];
  if (!last || last.role !== "user")
    throw new ValidationError("request body", [
      { field: "messages", message: "the last message must be the student's (role user)" },
    ]);
  const history: DialogueTurn[] = dialogue.slice(0, -1).map((message) => ({
    role: message.role === "user" ? "doctor" : "patient",
    content: textOf(message.content),
  }));
  const doctorText = textOf(last.content);
  const recording = recordingSystemPrompt(services.engine);
  const simulator = await PatientSimulator.create({
    patientCase,
    persona,
    engine: continuing(recording.engine, history),
    logger: services.logger,
  });
  const prompt = {
    systemPrompt: recording.systemPrompt(),
    transcript: [...history, { role: "doctor" as const, content: doctorText }],
    requestText: request.messages.map((message) => textOf(message.content)).join("\n"),
  };
  return { simulator, doctorText, model: request.model, prompt };
}

/** A system message is a case script when it parses as JSON or YAML into an object with a diagnosis. */
function caseFromSystemMessage(text: string): PatientCase | undefined {
  let parsed: unknown;
  try {
    parsed = parseStructuredText(
      text,
      text.trimStart().startsWith("{") ? "system message.json" : "system message.yaml",
    );
  } catch {
    return undefined;
  }
  if (!parsed || typeof parsed !== "object" || !("diagnosis" in parsed)) return undefined;
  const patientCase = validate(PatientCaseSchema, parsed, "system message (case script)");
  checkCaseDoesNotLeak(patientCase);
  return patientCase;
}

function textOf(content: ChatRequest["messages"][number]["content"]): string {
  if (typeof content === "string") return content;
  if (!content) return "";
  return content
    .map((part) => part.text ?? "")
    .join("")
    .trim();
}
