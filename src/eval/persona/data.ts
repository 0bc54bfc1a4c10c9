/**
 * Training and held-out data for the persona classifier, made fresh from the project's synthetic
 * dialogues (the scripted patient answering knowledge-base cases in every persona) plus the
 * personas' own example lines and phrases. Deterministic: same seed, same data.
 */
import type { Persona } from "../../domain/index.js";
import { loadKnowledgeBase } from "../../knowledge/index.js";
import { personas as personaCatalog } from "../../library/index.js";
import { generateCaseSet, synthesizeDialogues } from "../../synth/index.js";
import { recognizeIntents } from "../../engines/scripted/intents.js";
import type { LabelledReply } from "./classifier.js";

const SOCIAL = new Set(["greeting", "closing", "empathy"]);

/**
 * A reply to a greeting, thanks or goodbye ("Hello, doctor.") says nothing about persona in the
 * synthetic data: the scripted patient answers those plainly in every voice, so they are left out.
 */
export function isSocialExchange(question: string): boolean {
  const intents = recognizeIntents(question);
  return intents.length > 0 && intents.every((intent) => SOCIAL.has(intent.kind));
}

/** Options of {@link personaReplyData}. */
export interface PersonaDataOptions {
  /** Synthetic dialogues to generate [480, i.e. 60 per built-in persona]. */
  dialogues?: number;
  /** Seed of the cases and dialogues [11]. */
  seed?: number;
  /** Personas [all built-in ones]. */
  personas?: readonly Persona[];
  /** Weight of each persona example line and phrase in training [3]. */
  exampleWeight?: number;
}

/** Replies split by the dialogues' case-level split: train (train split + persona examples) and held out (validation + test). */
export interface PersonaReplyData {
  train: LabelledReply[];
  heldOut: LabelledReply[];
  provenance: Record<string, unknown>;
}

/** Generates labelled patient replies for training and testing the classifier. */
export async function personaReplyData(options: PersonaDataOptions = {}): Promise<PersonaReplyData> {
  const personas = options.personas ?? (await personaCatalog.list());
  const seed = options.seed ?? 11;
  const count = options.dialogues ?? 480;
  const kb = await loadKnowledgeBase();
  const cases = generateCaseSet(kb, personas, { perDisease: 2, seed });
  const { dialogues } = await synthesizeDialogues({ cases, personas, count, seed });
  const train: LabelledReply[] = [];
  const heldOut: LabelledReply[] = [];
  for (const dialogue of dialogues) {
    for (const [position, turn] of dialogue.turns.entries()) {
      if (turn.role !== "patient") continue;
      if (isSocialExchange(dialogue.turns[position - 1]?.content ?? "")) continue;
      const reply = { text: turn.content, persona: dialogue.persona.id };
      (dialogue.split === "train" ? train : heldOut).push(reply);
    }
  }
  const weight = options.exampleWeight ?? 3;
  for (const persona of personas) {
    const lines = [...persona.examples, ...(persona.phrases?.openers ?? []), ...(persona.phrases?.closers ?? [])];
    for (const text of lines) train.push({ text, persona: persona.id, weight });
  }
  return {
    train,
    heldOut,
    provenance: { source: "synth dialogues (scripted engine, knowledge-base cases)", dialogues: count, seed },
  };
}
