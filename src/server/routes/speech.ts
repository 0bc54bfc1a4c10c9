import { createRoute, z } from "@hono/zod-openapi";
import type { PatientCase, Persona } from "../../domain/index.js";
import { synthesizeSpeech, VISEMES } from "../../speech/index.js";
import { MedsimError } from "../../util/errors.js";
import type { RouteModule } from "../app.js";
import { ErrorSchema } from "../schemas.js";
import { languageView } from "./sessions.js";

const SpeechParams = z.object({
  id: z
    .string()
    .min(1)
    .max(128)
    .openapi({ param: { name: "id", in: "path" } }),
  n: z.coerce
    .number()
    .int("must be an integer")
    .min(0)
    .openapi({ param: { name: "n", in: "path" }, description: "the turn number a reply returned (its entry `seq`)" }),
});
const SpeechQuery = z.object({
  format: z
    .enum(["wav", "visemes"])
    .default("wav")
    .openapi({ param: { name: "format", in: "query" }, description: "`wav` (default) or `visemes` (JSON timeline)" }),
});

const VisemeTimelineSchema = z
  .object({
    sessionId: z.string(),
    turn: z.number().int(),
    durationSeconds: z.number(),
    sampleRate: z.number().int(),
    voice: z.object({ voice: z.string(), rate: z.number(), pitch: z.number(), range: z.number() }),
    visemes: z.array(
      z.object({
        viseme: z.enum(VISEMES),
        start: z.number(),
        end: z.number(),
        phoneme: z.string().optional(),
      }),
    ),
  })
  .openapi("VisemeTimeline");

const speechRoute = createRoute({
  method: "get",
  path: "/v1/sessions/{id}/turns/{n}/speech",
  summary: "A patient reply spoken by eSpeak NG in the persona's voice (WAV), or its viseme timeline for lip-sync",
  security: [{ bearer: [] }],
  request: { params: SpeechParams, query: SpeechQuery },
  responses: {
    200: {
      description: "audio/wav, or with ?format=visemes the mouth shapes over the audio's duration",
      content: {
        "audio/wav": { schema: z.string().openapi({ format: "binary" }) },
        "application/json": { schema: VisemeTimelineSchema },
      },
    },
    400: { description: "the turn is not a patient reply", content: { "application/json": { schema: ErrorSchema } } },
    404: { description: "unknown session or turn", content: { "application/json": { schema: ErrorSchema } } },
  },
});

/** `GET /v1/sessions/{id}/turns/{n}/speech[?format=visemes]`. */
export const speechRoutes: RouteModule = (app, services) => {
  app.openapi(speechRoute, async (c) => {
    const { id, n } = c.req.valid("param");
    const { format } = c.req.valid("query");
    const { row, entries } = await services.sessions.entries(c.get("principal"), id);
    const entry = entries.find((candidate) => candidate.seq === n);
    if (!entry) throw new MedsimError("not_found", `session ${id} has no turn ${n} (it has ${entries.length})`);
    if (entry.kind !== "patient")
      throw new MedsimError(
        "invalid_input",
        `turn ${n} is ${entry.kind === "doctor" ? "the student's" : `a ${entry.kind}`}, not a patient reply`,
      );
    const patientCase = row.patientCase as PatientCase;
    // The voice speaks the language the reply is in (the scripted engine answers in English).
    const language = languageView(row).answered;
    const speech = await synthesizeSpeech(entry.content, {
      persona: row.persona as Persona,
      sex: patientCase.demographics.sex,
      language,
    });
    if (format === "visemes")
      return c.json(
        {
          sessionId: id,
          turn: n,
          durationSeconds: speech.durationSeconds,
          sampleRate: speech.sampleRate,
          voice: speech.voice,
          visemes: speech.visemes,
        },
        200,
      );
    return c.body(speech.wav as unknown as ArrayBuffer, 200, {
      "Content-Type": "audio/wav",
      "Content-Length": String(speech.wav.byteLength),
      "Cache-Control": "private, max-age=3600",
    }) as never;
  });
};
