/**
 * Which persona does a patient reply sound like: a classifier trained, deterministically, on the
 * project's synthetic replies and the personas' example lines; scored on held-out replies.
 */
import { join } from "node:path";
import { dataDirectory } from "../../library/index.js";
import { readStructuredFile, validate, writeFileAtomic } from "../../util/files.js";
import {
  evaluatePersonaClassifier,
  PersonaClassifier,
  PersonaModelSchema,
  trainPersonaModel,
  type PersonaEvaluation,
  type PersonaModel,
  type PersonaTrainingOptions,
} from "./classifier.js";
import { personaReplyData, type PersonaDataOptions } from "./data.js";

export {
  PersonaClassifier,
  PersonaModelSchema,
  trainPersonaModel,
  evaluatePersonaClassifier,
  type PersonaModel,
  type PersonaPrediction,
  type PersonaEvaluation,
  type LabelledReply,
  type PersonaTrainingOptions,
} from "./classifier.js";
export { personaReplyData, isSocialExchange, type PersonaDataOptions, type PersonaReplyData } from "./data.js";
export { replyFeatures, normalizeReply } from "./features.js";

/** The four seed personas the project's evaluations centre on. */
export const SEED_PERSONAS = ["calm", "anxious", "rude", "overly_patient"] as const;

/** The shipped model, made by `medsim eval persona --train --out data/eval/persona-classifier.json`. */
export const defaultPersonaModelPath = join(dataDirectory, "eval", "persona-classifier.json");

/** A trained model with its held-out scores (all personas, and the four seed personas). */
export interface PersonaTrainingResult {
  model: PersonaModel;
  heldOut: { all: PersonaEvaluation; seed: PersonaEvaluation };
}

/**
 * Generates fresh synthetic data, trains and scores a classifier. Same options, same model, byte
 * for byte; retrain whenever the scripted patient's style changes.
 */
export async function trainPersonaClassifier(
  options: PersonaDataOptions & PersonaTrainingOptions = {},
): Promise<PersonaTrainingResult> {
  const data = await personaReplyData(options);
  const model = trainPersonaModel(data.train, {
    ...options,
    provenance: { ...data.provenance, trainReplies: data.train.length, heldOutReplies: data.heldOut.length },
  });
  const classifier = new PersonaClassifier(model);
  const seedPersonas = SEED_PERSONAS.filter((id) => model.classes.includes(id));
  const all = evaluatePersonaClassifier(classifier, data.heldOut, model.classes);
  const seed = evaluatePersonaClassifier(
    classifier,
    data.heldOut.filter((reply) => (seedPersonas as readonly string[]).includes(reply.persona)),
    seedPersonas,
  );
  model.training.heldOutAccuracy = { all: all.accuracy, seed: seed.accuracy };
  return { model, heldOut: { all, seed } };
}

/** Writes a model as JSON (atomically). */
export async function savePersonaModel(model: PersonaModel, path: string): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(model)}\n`);
}

const loaded = new Map<string, Promise<PersonaClassifier>>();

/** Loads a model file (default: the shipped one); cached per path. */
export function loadPersonaClassifier(path: string = defaultPersonaModelPath): Promise<PersonaClassifier> {
  let classifier = loaded.get(path);
  if (!classifier) {
    classifier = readStructuredFile(path).then((raw) => new PersonaClassifier(validate(PersonaModelSchema, raw, path)));
    classifier.catch(() => loaded.delete(path));
    loaded.set(path, classifier);
  }
  return classifier;
}
