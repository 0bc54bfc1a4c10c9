import { z } from "@hono/zod-openapi";
import { MAX_DOCTOR_TEXT_LENGTH, PATIENT_LANGUAGES } from "../simulator/index.js";

/**
 * The request and response bodies of the HTTP API. The same schemas validate requests and
 * generate `/openapi.json`, so the documentation cannot drift from what the server accepts.
 */

export const ErrorSchema = z
  .object({
    error: z.object({
      message: z.string(),
      type: z.string().openapi({ example: "invalid_request_error" }),
      code: z.string().openapi({ example: "invalid_input" }),
      param: z.string().nullable().openapi({ example: "content" }),
    }),
  })
  .openapi("Error");

const id = z.string().min(1).max(128);

export const SessionIdParams = z.object({
  id: id.openapi({ param: { name: "id", in: "path" }, example: "ses_Qm9vb2..." }),
});

export const CreateSessionSchema = z
  .object({
    case: id.openapi({
      example: "case-3669cc6222",
      description:
        "the case's public id (see GET /v1/practice/catalog or /v1/models); an admin key, or the key that stored the case, may also give its internal id",
    }),
    persona: id.openapi({ example: "anxious" }),
    engine: z.string().optional().openapi({ description: "the server's engine (default) or `scripted`" }),
    language: z
      .enum(PATIENT_LANGUAGES)
      .optional()
      .openapi({ description: "the patient's language: en (default), hi (Hindi) or hi-Latn (Hinglish)" }),
  })
  .openapi("CreateSession");

export const CaseSummarySchema = z
  .object({
    id: z.string().openapi({ description: "the public case id (`case-` and 10 hex digits): never the diagnosis" }),
    title: z.string().optional(),
    setting: z.string().optional(),
    patient: z.object({
      name: z.string(),
      age: z.number(),
      sex: z.string(),
      occupation: z.string(),
      region: z.string(),
      language: z.string(),
    }),
    chiefComplaint: z.string(),
  })
  .openapi("CaseSummary");

export const PersonaSummarySchema = z
  .object({ id: z.string(), name: z.string(), description: z.string() })
  .openapi("PersonaSummary");

export const SessionSchema = z
  .object({
    id: z.string(),
    status: z.enum(["active", "ended"]),
    case: CaseSummarySchema,
    persona: PersonaSummarySchema,
    engine: z.string(),
    language: z.object({ requested: z.string(), answered: z.string(), note: z.string().optional() }).openapi({
      description: "the language asked for and the one the engine answers in (the scripted engine: English)",
    }),
    createdAt: z.string(),
    updatedAt: z.string(),
    endedAt: z.string().nullable(),
  })
  .openapi("Session");

export const DisclosedFactSchema = z
  .object({ id: z.string(), topic: z.string(), text: z.string() })
  .openapi("DisclosedFact");

export const MessageSchema = z
  .object({
    content: z
      .string()
      .trim()
      .min(1, "must not be empty")
      .max(MAX_DOCTOR_TEXT_LENGTH, `must be at most ${MAX_DOCTOR_TEXT_LENGTH} characters`)
      .openapi({ example: "What brings you in today?" }),
    stream: z
      .boolean()
      .optional()
      .openapi({ description: "stream the reply as server-sent events, sentence by sentence" }),
  })
  .openapi("Message");

export const DraftSchema = z
  .object({
    text: z.string().max(MAX_DOCTOR_TEXT_LENGTH, `must be at most ${MAX_DOCTOR_TEXT_LENGTH} characters`).openapi({
      description: "the next message as typed (or as speech recognition heard it) so far",
      example: "Since how many days have you",
    }),
  })
  .openapi("Draft");

export const DraftAcceptedSchema = z
  .object({ sessionId: z.string(), accepted: z.literal(true) })
  .openapi("DraftAccepted");

export const GuardedSchema = z
  .object({ kind: z.string() })
  .passthrough()
  .optional()
  .openapi({ description: "set when the guard withheld part of what the engine produced" });

export const TurnSchema = z
  .object({
    sessionId: z.string(),
    turn: z.number().int(),
    reply: z.string(),
    newlyDisclosedFacts: z.array(DisclosedFactSchema),
    guarded: GuardedSchema,
  })
  .openapi("Turn");

const name = z.string().trim().min(1, "must not be empty").max(200, "must be at most 200 characters");
export const ExamineSchema = z.object({ system: name.openapi({ example: "abdomen" }) }).openapi("Examine");
export const OrderTestSchema = z
  .object({ name: name.openapi({ example: "complete blood count" }) })
  .openapi("OrderTest");

export const FindingSchema = z
  .object({
    sessionId: z.string(),
    entry: z.number().int(),
    name: z.string(),
    result: z.string().nullable().openapi({ description: "null when the case records nothing for what was asked" }),
    newlyDisclosedFacts: z.array(DisclosedFactSchema),
  })
  .openapi("Finding");

export const EntrySchema = z
  .object({
    seq: z.number().int(),
    kind: z.enum(["doctor", "patient", "examination", "test"]),
    content: z.string(),
    label: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi("Entry");

export const SessionDetailSchema = SessionSchema.extend({
  entries: z.array(EntrySchema),
  transcript: z.array(z.object({ role: z.enum(["doctor", "patient"]), content: z.string() })),
  disclosedFacts: z.array(DisclosedFactSchema),
  feedback: z.unknown().optional(),
}).openapi("SessionDetail");

export const SessionListQuery = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(20)
    .openapi({ param: { name: "limit", in: "query" } }),
  cursor: z
    .string()
    .max(500)
    .optional()
    .openapi({ param: { name: "cursor", in: "query" } }),
});

export const SessionListSchema = z
  .object({ data: z.array(SessionSchema), nextCursor: z.string().nullable() })
  .openapi("SessionList");

/** OpenAI chat completion request: the fields the server reads; the rest are accepted and ignored. */
export const ChatCompletionRequestSchema = z
  .object({
    model: z.string().min(1).openapi({ example: "patient/dengue-fever/anxious" }),
    messages: z
      .array(
        z
          .object({
            role: z.enum(["system", "developer", "user", "assistant"]),
            content: z.union([
              z.string(),
              z.array(z.object({ type: z.string(), text: z.string().optional() }).passthrough()),
              z.null(),
            ]),
          })
          .passthrough(),
      )
      .min(1, "must hold at least one message"),
    stream: z.boolean().nullable().optional(),
    stream_options: z.object({ include_usage: z.boolean().optional() }).passthrough().nullable().optional(),
    max_tokens: z.number().int().min(1).nullable().optional(),
    max_completion_tokens: z.number().int().min(1).nullable().optional(),
    temperature: z.number().min(0).max(2).nullable().optional(),
    seed: z.number().int().nullable().optional(),
    n: z.number().int().min(1).max(1, "only 1 is supported").nullable().optional(),
  })
  .passthrough()
  .openapi("ChatCompletionRequest");

export const ChatCompletionSchema = z
  .object({
    id: z.string(),
    object: z.literal("chat.completion"),
    created: z.number().int(),
    model: z.string(),
    choices: z.array(
      z.object({
        index: z.number().int(),
        message: z.object({ role: z.literal("assistant"), content: z.string(), refusal: z.null() }),
        finish_reason: z.string(),
        logprobs: z.null(),
      }),
    ),
    usage: z.object({ prompt_tokens: z.number(), completion_tokens: z.number(), total_tokens: z.number() }),
  })
  .openapi("ChatCompletion");

export const ModelListSchema = z
  .object({
    object: z.literal("list"),
    data: z.array(z.object({ id: z.string(), object: z.literal("model"), created: z.number(), owned_by: z.string() })),
  })
  .openapi("ModelList");
