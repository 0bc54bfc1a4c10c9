import { z } from "zod";
import type { CaseFact, DialogueTurn, PatientCase, Persona, SessionRecord } from "../domain/index.js";
import { listCaseFacts } from "../domain/index.js";
import { answerFromScript, type ScriptedAnswer } from "../engines/scripted/answer.js";
import type { EngineConversation, GenerationOptions, PatientEngine } from "../engines/types.js";
import { MedsimError } from "../util/errors.js";
import { pendingReply } from "../util/pending-reply.js";
import { validate } from "../util/files.js";
import { silentLogger, type Logger, type ProgressCallback } from "../util/logger.js";
import { detectDisclosedFacts } from "./disclosure.js";
import { checkSentence, cleanSpeakerLabels, guardedSpeech, type GuardViolation } from "./guard.js";
import { buildSystemPrompt } from "./prompt.js";

/** Languages a patient can be asked to answer in. */
export const PATIENT_LANGUAGES = ["en", "hi", "hi-Latn"] as const;
/** One of {@link PATIENT_LANGUAGES}. */
export type PatientLanguage = (typeof PATIENT_LANGUAGES)[number];

const LANGUAGE_INSTRUCTIONS: Record<PatientLanguage, string | undefined> = {
  en: undefined,
  hi: "Always answer in Hindi, written in Devanagari script, as this patient would speak it.",
  "hi-Latn":
    'Always answer in Hinglish: everyday Hindi mixed with English words, written in Latin letters (for example: "Doctor, mujhe teen din se bukhar hai").',
};

/** The language a reply will be in: the scripted engine only speaks English. */
export function answeredLanguage(engineName: string, requested: PatientLanguage): PatientLanguage {
  return engineName === "scripted" ? "en" : requested;
}

/** The longest doctor utterance accepted, in characters. */
export const MAX_DOCTOR_TEXT_LENGTH = 4000;

const DoctorTextSchema = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(MAX_DOCTOR_TEXT_LENGTH, `must be at most ${MAX_DOCTOR_TEXT_LENGTH} characters`);

/** Options of {@link PatientSimulator.create}: the case, persona and engine, and how to generate. */
export interface PatientSimulatorOptions {
  patientCase: PatientCase;
  persona: Persona;
  engine: PatientEngine;
  /**
   * `compact` sends a model a shorter system prompt (identity, persona id, case facts), for an
   * adapter fine-tuned on this project's dialogues; default `full`. See `buildSystemPrompt`.
   */
  systemPromptStyle?: "full" | "compact";
  /** Work done while the session opens (a language model evaluating the system prompt). */
  onProgress?: ProgressCallback;
  /** Sampling defaults for every reply; each call may override them. */
  generation?: Omit<GenerationOptions, "signal">;
  logger?: Logger;
  /**
   * The language the patient answers in: `en` (default), `hi` (Hindi, Devanagari) or `hi-Latn`
   * (Hinglish). Model engines are told so in the system prompt; the scripted engine answers in English.
   */
  language?: PatientLanguage;
}

/** One patient reply and what it revealed. */
export interface PatientReply {
  text: string;
  /** Facts this reply disclosed for the first time. */
  newlyDisclosedFactIds: string[];
  /** Set when the guard withheld part of what the engine produced. */
  guarded?: GuardViolation | { kind: "other_speaker" };
  /** The engine said nothing usable (or all of it was withheld): the scripted answer was spoken instead. */
  fallback?: true;
}

/** A reply in progress: the text as it streams, and the finished reply. */
export interface PatientReplyStream {
  textStream: AsyncIterable<string>;
  reply: Promise<PatientReply>;
}

/**
 * A simulated patient: a case script played in a persona by an engine. This is the API that a
 * web app, a VR app, the server and the evaluation embed.
 *
 * Whatever the engine, every reply passes a guard that withholds any sentence naming the
 * diagnosis or breaking the patient role, and replaces it with an in-character answer from the
 * script; the sentence limit of the persona is enforced too.
 */
export class PatientSimulator {
  readonly patientCase: PatientCase;
  readonly persona: Persona;
  readonly engine: PatientEngine;
  readonly startedAt = new Date();
  private readonly facts: CaseFact[];
  private readonly turns: DialogueTurn[] = [];
  private readonly disclosed = new Set<string>();
  private busy = false;

  private constructor(
    options: PatientSimulatorOptions,
    private readonly conversation: EngineConversation,
    private readonly logger: Logger,
  ) {
    this.patientCase = options.patientCase;
    this.persona = options.persona;
    this.engine = options.engine;
    this.facts = listCaseFacts(options.patientCase);
    this.generation = options.generation ?? {};
  }

  private readonly generation: Omit<GenerationOptions, "signal">;

  /** Opens a session with the engine (for llama: a context whose cache lives as long as the session). */
  static async create(options: PatientSimulatorOptions): Promise<PatientSimulator> {
    const basePrompt = buildSystemPrompt(options.patientCase, options.persona, {
      style: options.systemPromptStyle ?? "full",
    });
    const instruction = options.language ? LANGUAGE_INSTRUCTIONS[options.language] : undefined;
    const systemPrompt = instruction ? `${basePrompt}\n\n${instruction}` : basePrompt;
    const conversation = await options.engine.openConversation({
      patientCase: options.patientCase,
      persona: options.persona,
      systemPrompt,
      onProgress: options.onProgress,
    });
    return new PatientSimulator(options, conversation, options.logger ?? silentLogger);
  }

  /** The conversation so far. */
  get transcript(): readonly DialogueTurn[] {
    return this.turns;
  }

  /** Every fact of the case, with ids, in script order. */
  get caseFacts(): readonly CaseFact[] {
    return this.facts;
  }

  /** The facts disclosed so far, in script order. */
  get disclosedFacts(): CaseFact[] {
    return this.facts.filter((fact) => this.disclosed.has(fact.id));
  }

  /** Answers the doctor and waits for the whole reply. */
  async respond(doctorText: string, options: GenerationOptions = {}): Promise<PatientReply> {
    const stream = this.respondStream(doctorText, options);
    for await (const _chunk of stream.textStream) {
      // Draining the stream drives the generation.
    }
    return stream.reply;
  }

  /**
   * Answers the doctor, streaming the reply sentence by sentence (each sentence is checked by the
   * guard before it is let out). The doctor turn and the reply join the transcript once the reply
   * is complete, or cancelled through `options.signal` (then with what was said so far).
   */
  respondStream(doctorText: string, options: GenerationOptions = {}): PatientReplyStream {
    const text = validate(DoctorTextSchema, doctorText, "doctor text");
    if (this.busy)
      throw new MedsimError("busy", "the patient is still answering the previous question; wait for it or cancel it");
    this.busy = true;
    const { promise: reply, resolve: resolveReply, reject: rejectReply } = pendingReply<PatientReply>();
    const textStream = this.generate(text, options, resolveReply, rejectReply);
    return { textStream, reply };
  }

  private async *generate(
    doctorText: string,
    options: GenerationOptions,
    resolveReply: (reply: PatientReply) => void,
    rejectReply: (error: unknown) => void,
  ): AsyncGenerator<string> {
    const pending: DialogueTurn[] = [...this.turns, { role: "doctor", content: doctorText }];
    const engineAbort = new AbortController();
    const onAbort = () => engineAbort.abort();
    options.signal?.addEventListener("abort", onAbort);
    const emitted: string[] = [];
    let buffer = "";
    let guarded: PatientReply["guarded"];
    let fallback = false;
    let sentences = 0;
    const limit = this.persona.sentenceLimit;
    let scriptedAnswer: ScriptedAnswer | undefined;
    const scripted = () => (scriptedAnswer ??= answerFromScript(this.patientCase, this.persona, pending));

    // Releases complete sentences from the buffer; returns false once the reply must stop.
    const release = function* (this: PatientSimulator, final: boolean): Generator<string, boolean> {
      const cleaned = cleanSpeakerLabels(buffer);
      if (cleaned.cut) guarded ??= { kind: "other_speaker" };
      let rest = cleaned.text;
      for (;;) {
        // Narration ("[Examination (abdomen): ...]") is one unit, whatever punctuation is inside.
        const narration = /^\s*(\[[^\]]*\])/.exec(rest);
        const openNarration = !narration && /^\s*\[/.test(rest);
        const match = narration || openNarration ? null : /^([\s\S]*?[.!?…]+["')\]]*)(\s+|$)/.exec(rest);
        const ended = final || cleaned.cut;
        const complete = narration
          ? narration[1]!
          : match && (match[2] !== "" || ended)
            ? match[1]!
            : ended && !/^\s*\[/.test(rest)
              ? rest
              : undefined;
        if (complete === undefined || complete.trim() === "") break;
        rest = rest.slice(
          narration ? narration[0].length : match && complete === match[1] ? match[0].length : rest.length,
        );
        const isNarration = /^\s*\[/.test(complete);
        // Findings and results are narration, not patient speech: shown even when they point to the
        // diagnosis, but only the lines the case gives for what was examined or ordered.
        const allowedNarration = isNarration && scripted().narration.includes(complete.trim().slice(1, -1));
        const violation = allowedNarration ? undefined : checkSentence(complete, this.patientCase);
        if (violation) {
          guarded = violation;
          this.logger.warn(`guard withheld a sentence (${violation.kind})`);
          return false;
        }
        if (isNarration && !allowedNarration) continue;
        if (!isNarration && sentences >= limit) return false;
        if (!isNarration) sentences++;
        const piece = `${emitted.length ? (isNarration ? "\n" : " ") : ""}${complete.trim()}`;
        emitted.push(piece);
        yield piece;
      }
      buffer = rest;
      return !cleaned.cut;
    }.bind(this);

    try {
      let keepGoing = true;
      for await (const chunk of this.conversation.reply(pending, {
        ...this.generation,
        ...options,
        signal: engineAbort.signal,
      })) {
        buffer += chunk;
        keepGoing = yield* release(false);
        if (!keepGoing) break;
      }
      if (keepGoing && !engineAbort.signal.aborted) yield* release(true);
      if (keepGoing && options.signal?.aborted) {
        // Cancelled: keep what was said, drop the unfinished sentence.
      }
      engineAbort.abort();

      if ((guarded && guarded.kind !== "other_speaker") || (emitted.length === 0 && !options.signal?.aborted)) {
        // Replace the withheld part with the scripted answer, which passes the same guard.
        if (emitted.length === 0) {
          const speech = guardedSpeech(scripted().speech, this.patientCase, limit);
          fallback = true;
          emitted.push(speech);
          yield speech;
        }
      }
      // A model is never told examination findings or results: the case's narration follows its reply.
      if (!options.signal?.aborted)
        for (const line of scripted().narration) {
          const piece = `[${line}]`;
          if (emitted.some((item) => item.trim() === piece)) continue;
          emitted.push(`\n${piece}`);
          yield `\n${piece}`;
        }
      const replyText = emitted.join("").trim();
      this.turns.push({ role: "doctor", content: doctorText }, { role: "patient", content: replyText });
      const newlyDisclosedFactIds = detectDisclosedFacts(replyText, this.facts).filter((id) => !this.disclosed.has(id));
      for (const id of newlyDisclosedFactIds) this.disclosed.add(id);
      resolveReply({
        text: replyText,
        newlyDisclosedFactIds,
        ...(guarded ? { guarded } : {}),
        ...(fallback ? { fallback: true as const } : {}),
      });
      // While the student reads and types, the engine can evaluate this turn (as kept here) ahead.
      void this.conversation.prepare?.(this.turns);
    } catch (error) {
      rejectReply(error);
      throw error;
    } finally {
      options.signal?.removeEventListener("abort", onAbort);
      engineAbort.abort();
      this.busy = false;
    }
  }

  /** The session as a serialisable record (for saving transcripts and for the evaluation). */
  toRecord(): SessionRecord {
    return {
      caseId: this.patientCase.id,
      personaId: this.persona.id,
      engine: `${this.engine.name}:${this.engine.modelName}`,
      startedAt: this.startedAt.toISOString(),
      turns: [...this.turns],
      disclosedFactIds: this.disclosedFacts.map((fact) => fact.id),
    };
  }

  /**
   * Lets the engine evaluate `draft`, the next question as typed so far, while the student types
   * (engines without `prepare` ignore it). Ignored while the patient is answering. Never rejects.
   */
  async prepareDraft(draft: string): Promise<void> {
    if (this.busy || draft.length > MAX_DOCTOR_TEXT_LENGTH) return;
    await this.conversation.prepare?.(this.turns, { draft });
  }

  /** Frees the session's engine resources (not the engine itself, which may serve other sessions). */
  async dispose(): Promise<void> {
    await this.conversation.dispose();
  }
}
