import { z } from "zod";
import type { DialogueTurn, PatientCase, Persona } from "../domain/index.js";
import type { EngineConversation, PatientEngine } from "../engines/types.js";
import type { KnowledgeBase } from "../knowledge/index.js";
import { cleanSpeakerLabels } from "../simulator/guard.js";
import { buildSystemPrompt } from "../simulator/prompt.js";
import { silentLogger, type Logger } from "../util/logger.js";
import { checkPatientTurn, factProfile, type FactProfile, type TurnViolation } from "./check.js";
import { RejectedTurnError, type Responder } from "./dialogues.js";

/** What the teacher must return for each patient turn. */
export const TeacherReplySchema = z.strictObject({
  reply: z.string().trim().min(1).max(1000).describe("the patient's spoken words only, in the first person"),
});

/** The JSON Schema sent to the engine to constrain its output (OpenAI `response_format`, Ollama `format`). */
export const TEACHER_JSON_SCHEMA = z.toJSONSchema(TeacherReplySchema) as Record<string, unknown>;

const JSON_INSTRUCTION =
  'Answer with a JSON object of the form {"reply": "<what you say>"} and nothing else. The reply holds only your spoken words.';

/** Options of {@link createTeacherResponder}: the engine, knowledge base and retries. */
export interface TeacherOptions {
  /** Any engine of the project: a local GGUF (llama), Ollama, or an OpenAI-compatible server. */
  engine: PatientEngine;
  /** The knowledge base whose symptom lexicon the contradiction check uses. */
  knowledgeBase: KnowledgeBase;
  /** Tries per patient turn (per dialogue in `dialogue` mode) before the dialogue is dropped. Default 2. */
  attempts?: number;
  /**
   * `turn` (default): one request per patient turn, with the conversation so far. `dialogue`: one
   * request per dialogue, all planned questions at once, `{"replies": [...]}` back (faster with
   * local models); every reply is checked, and one bad reply rejects the whole answer.
   */
  mode?: "turn" | "dialogue";
  /** Default 0.7. */
  temperature?: number;
  /** Default 200. */
  maxTokens?: number;
  logger?: Logger;
}

/** A responder backed by a teacher engine, with counts of what it accepted and rejected. */
export interface TeacherResponder extends Responder {
  readonly stats: { accepted: number; rejected: Record<TurnViolation["kind"] | "invalid_json", number> };
  /** Frees the open conversation (not the engine). */
  dispose(): Promise<void>;
}

/**
 * Writes each patient turn with a teacher engine under JSON-schema-constrained output, then checks
 * it against the case facts and the persona (`checkPatientTurn`): a reply that is not the expected
 * JSON, names the diagnosis, breaks the role, contradicts a fact or runs past the persona's
 * sentence limit is rejected and asked again (with another seed), up to `attempts` times; then
 * the whole dialogue is dropped ({@link RejectedTurnError}).
 */
export function createTeacherResponder(options: TeacherOptions): TeacherResponder {
  const attempts = options.attempts ?? 2;
  const logger = options.logger ?? silentLogger;
  const stats: TeacherResponder["stats"] = {
    accepted: 0,
    rejected: { diagnosis_leak: 0, role_break: 0, contradiction: 0, persona: 0, invalid_json: 0 },
  };
  // One open conversation at a time: dialogues are generated one after another, so this keeps a
  // llama context (and its cache) for the whole dialogue.
  let open: { key: string; conversation: Promise<EngineConversation>; profile: FactProfile } | undefined;

  const conversationFor = async (patientCase: PatientCase, persona: Persona) => {
    const key = `${patientCase.id}|${persona.id}`;
    if (open?.key !== key) {
      if (open) await (await open.conversation).dispose();
      const systemPrompt = `${buildSystemPrompt(patientCase, persona)}\n\n${JSON_INSTRUCTION}`;
      open = {
        key,
        conversation: options.engine.openConversation({ patientCase, persona, systemPrompt }),
        profile: factProfile(patientCase, options.knowledgeBase, persona),
      };
    }
    return { conversation: await open.conversation, profile: open.profile };
  };

  const responder: TeacherResponder = {
    name: `teacher:${options.engine.name}:${options.engine.modelName}`,
    stats,
    async answer(
      patientCase: PatientCase,
      persona: Persona,
      transcript: readonly DialogueTurn[],
      seed: number,
    ): Promise<string> {
      const { conversation, profile } = await conversationFor(patientCase, persona);
      let last = "";
      for (let attempt = 0; attempt < attempts; attempt++) {
        let raw = "";
        for await (const chunk of conversation.reply(transcript, {
          jsonSchema: TEACHER_JSON_SCHEMA,
          temperature: options.temperature ?? 0.7,
          maxTokens: options.maxTokens ?? 200,
          seed: (seed + attempt) >>> 0,
        }))
          raw += chunk;
        const parsed = TeacherReplySchema.safeParse(parseJson(raw));
        if (!parsed.success) {
          stats.rejected.invalid_json++;
          last = `invalid_json: the teacher did not return {"reply": ...}: ${raw.slice(0, 80)}`;
          logger.debug(last);
          continue;
        }
        const reply = cleanSpeakerLabels(parsed.data.reply).text.trim();
        const violation = checkPatientTurn(reply, patientCase, options.knowledgeBase, { persona, profile });
        if (violation) {
          stats.rejected[violation.kind]++;
          last = `${violation.kind}: ${violation.detail}`;
          logger.debug(`teacher reply rejected (${last}): ${reply}`);
          continue;
        }
        stats.accepted++;
        return reply;
      }
      throw new RejectedTurnError(last);
    },
    async dispose() {
      if (open) await (await open.conversation).dispose();
      open = undefined;
    },
  };
  if (options.mode !== "dialogue") return responder;

  responder.answerAll = async (patientCase, persona, questions, seed) => {
    const schema = z.strictObject({ replies: z.array(TeacherReplySchema.shape.reply).length(questions.length) });
    const jsonSchema = z.toJSONSchema(schema) as Record<string, unknown>;
    const systemPrompt = `${buildSystemPrompt(patientCase, persona)}\n\nThe student's questions come numbered in one message. Answer each one in turn, as this patient, each answer knowing the earlier ones. Answer with a JSON object {"replies": ["<answer to 1>", "<answer to 2>", ...]} with exactly one answer per question, and nothing else.`;
    const conversation = await options.engine.openConversation({ patientCase, persona, systemPrompt });
    const profile = factProfile(patientCase, options.knowledgeBase, persona);
    const message: DialogueTurn[] = [
      { role: "doctor", content: questions.map((question, index) => `${index + 1}. ${question}`).join("\n") },
    ];
    let last = "";
    try {
      for (let attempt = 0; attempt < attempts; attempt++) {
        let raw = "";
        for await (const chunk of conversation.reply(message, {
          jsonSchema,
          temperature: options.temperature ?? 0.7,
          maxTokens: (options.maxTokens ?? 200) * questions.length,
          seed: (seed + attempt) >>> 0,
        }))
          raw += chunk;
        const parsed = schema.safeParse(parseJson(raw));
        if (!parsed.success) {
          stats.rejected.invalid_json++;
          last = `invalid_json: the teacher did not return ${questions.length} replies: ${raw.slice(0, 80)}`;
          continue;
        }
        const replies = parsed.data.replies.map((reply) => cleanSpeakerLabels(reply).text.trim());
        const violation = replies
          .map((reply) => checkPatientTurn(reply, patientCase, options.knowledgeBase, { persona, profile }))
          .find((item) => item !== undefined);
        if (violation) {
          stats.rejected[violation.kind]++;
          last = `${violation.kind}: ${violation.detail}`;
          logger.debug(`teacher dialogue rejected (${last})`);
          continue;
        }
        stats.accepted += replies.length;
        return replies;
      }
    } finally {
      await conversation.dispose();
    }
    throw new RejectedTurnError(last);
  };
  return responder;
}

/** Parses the teacher's JSON, tolerating a code fence around it (engines without constrained output). */
function parseJson(text: string): unknown {
  const trimmed = text
    .trim()
    .replace(/^```(?:json)?\s*/i, "")
    .replace(/\s*```$/, "");
  try {
    return JSON.parse(trimmed);
  } catch {
    return undefined;
  }
}

/** What the teacher must return when it paraphrases a patient's query. */
export const ParaphraseReplySchema = z.strictObject({ paraphrase: z.string().trim().min(1).max(1000) });
/** JSON Schema of the paraphrasing teacher's reply (for constrained generation). */
export const PARAPHRASE_JSON_SCHEMA = z.toJSONSchema(ParaphraseReplySchema) as Record<string, unknown>;

const PARAPHRASE_PROMPT = [
  "You rewrite patients' questions to a doctor. Say the same thing in other everyday words, as the same patient would.",
  "Keep every symptom, every number and every duration. Do not add symptoms, do not name any disease, do not answer the question.",
  'Answer with a JSON object of the form {"paraphrase": "<the rewritten question>"} and nothing else.',
].join("\n");

/** Options of {@link createTeacherParaphraser}. */
export interface TeacherParaphraserOptions {
  engine: PatientEngine;
  /**
   * Any case and persona: engines read only the system prompt, but a conversation is opened with
   * a case and a persona.
   */
  context: { patientCase: PatientCase; persona: Persona };
  /** Default 0.9 (paraphrases should vary). */
  temperature?: number;
}

/**
 * A paraphraser for `generateQaPairs` backed by a teacher engine under a JSON schema. It returns
 * an empty string when the engine's output is not the expected JSON; `generateQaPairs` then asks
 * again, and rejects paraphrases that drop a duration or name the disease.
 */
export function createTeacherParaphraser(
  options: TeacherParaphraserOptions,
): ((text: string, seed: number) => Promise<string>) & { dispose(): Promise<void> } {
  let conversation: Promise<EngineConversation> | undefined;
  const paraphrase = async (text: string, seed: number): Promise<string> => {
    conversation ??= options.engine.openConversation({ ...options.context, systemPrompt: PARAPHRASE_PROMPT });
    let raw = "";
    for await (const chunk of (await conversation).reply([{ role: "doctor", content: text }], {
      jsonSchema: PARAPHRASE_JSON_SCHEMA,
      temperature: options.temperature ?? 0.9,
      maxTokens: 200,
      seed,
    }))
      raw += chunk;
    const parsed = ParaphraseReplySchema.safeParse(parseJson(raw));
    return parsed.success ? parsed.data.paraphrase : "";
  };
  return Object.assign(paraphrase, {
    async dispose() {
      if (conversation) await (await conversation).dispose();
      conversation = undefined;
    },
  });
}
