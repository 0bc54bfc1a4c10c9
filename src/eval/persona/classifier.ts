/**
 * The persona classifier: multinomial logistic regression over {@link replyFeatures}, trained by
 * seeded stochastic gradient descent, so the same data and seed give the same weights byte for
 * byte. Small and dependency-free: the model is a JSON file of a few hundred kilobytes.
 */
import { z } from "zod";
import { MedsimError } from "../../util/errors.js";
import { createRandom } from "../../util/random.js";
import { replyFeatures } from "./features.js";

/** A labelled reply. `weight` defaults to 1. */
export interface LabelledReply {
  text: string;
  persona: string;
  weight?: number;
}

/** The serialised model (`data/eval/persona-classifier.json`). */
export const PersonaModelSchema = z.strictObject({
  format: z.literal("medsim-persona-classifier"),
  version: z.literal(1),
  classes: z.array(z.string()).min(2),
  features: z.array(z.string()),
  /** weights[f * classes + c] */
  weights: z.array(z.number()),
  bias: z.array(z.number()),
  training: z.record(z.string(), z.unknown()),
});
/** A trained persona classifier (features and weights), as saved to JSON. */
export type PersonaModel = z.output<typeof PersonaModelSchema>;

/** Training options (defaults in brackets). */
export interface PersonaTrainingOptions {
  /** Passes over the data [12]. */
  epochs?: number;
  /** Initial learning rate, decayed as 1/(1 + epoch) [0.5]. */
  learningRate?: number;
  /** L2 penalty per example [1e-4]. */
  l2?: number;
  /** Features seen in fewer examples are dropped [2]. */
  minCount?: number;
  /** Shuffling seed [1]. */
  seed?: number;
  /** Stored in the model's `training` record (where the data came from). */
  provenance?: Record<string, unknown>;
}

/** Trains a classifier on labelled replies. */
export function trainPersonaModel(
  examples: readonly LabelledReply[],
  options: PersonaTrainingOptions = {},
): PersonaModel {
  if (examples.length === 0) throw new MedsimError("invalid_input", "no replies to train the persona classifier on");
  const classes = [...new Set(examples.map((example) => example.persona))].sort();
  if (classes.length < 2)
    throw new MedsimError("invalid_input", `expected replies of at least 2 personas, found only "${classes[0]}"`);
  const featureMaps = examples.map((example) => replyFeatures(example.text));
  const counts = new Map<string, number>();
  for (const features of featureMaps) for (const name of features.keys()) counts.set(name, (counts.get(name) ?? 0) + 1);
  const minCount = options.minCount ?? 2;
  const featureNames = [...counts.entries()]
    .filter(([name, count]) => count >= minCount || name.startsWith("lex:"))
    .map(([name]) => name)
    .sort();
  const index = new Map(featureNames.map((name, position) => [name, position]));
  const rows = featureMaps.map((features) =>
    [...features].flatMap(([name, value]) => {
      const position = index.get(name);
      return position === undefined ? [] : [[position, value] as const];
    }),
  );
  const labels = examples.map((example) => classes.indexOf(example.persona));
  const K = classes.length;
  const weights = new Float64Array(featureNames.length * K);
  const bias = new Float64Array(K);
  const random = createRandom(options.seed ?? 1);
  const order = examples.map((_, position) => position);
  const epochs = options.epochs ?? 12;
  const l2 = options.l2 ?? 1e-4;
  const probabilities = new Float64Array(K);
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const rate = (options.learningRate ?? 0.5) / (1 + epoch);
    for (const example of order) {
      const row = rows[example]!;
      softmaxInto(row, weights, bias, K, probabilities);
      const scale = rate * (examples[example]!.weight ?? 1);
      for (let c = 0; c < K; c++) {
        const gradient = probabilities[c]! - (labels[example] === c ? 1 : 0);
        bias[c]! -= scale * gradient;
        for (const [feature, value] of row) {
          const at = feature * K + c;
          weights[at] = weights[at]! - scale * (gradient * value + l2 * weights[at]!);
        }
      }
    }
  }
  const round = (value: number) => Math.round(value * 1e5) / 1e5;
  return {
    format: "medsim-persona-classifier",
    version: 1,
    classes,
    features: featureNames,
    weights: Array.from(weights, round),
    bias: Array.from(bias, round),
    training: {
      examples: examples.length,
      epochs,
      learningRate: options.learningRate ?? 0.5,
      l2,
      minCount,
      seed: options.seed ?? 1,
      ...options.provenance,
    },
  };
}

function softmaxInto(
  row: readonly (readonly [number, number])[],
  weights: ArrayLike<number>,
  bias: ArrayLike<number>,
  K: number,
  out: Float64Array,
): void {
  let max = -Infinity;
  for (let c = 0; c < K; c++) {
    let sum = bias[c]!;
    for (const [feature, value] of row) sum += weights[feature * K + c]! * value;
    out[c] = sum;
    if (sum > max) max = sum;
  }
  let total = 0;
  for (let c = 0; c < K; c++) {
    out[c] = Math.exp(out[c]! - max);
    total += out[c]!;
  }
  for (let c = 0; c < K; c++) out[c]! /= total;
}

/** A prediction: the most likely persona and a probability for each. */
export interface PersonaPrediction {
  persona: string;
  scores: Record<string, number>;
}

/** A loaded model, ready to classify. */
export class PersonaClassifier {
  private readonly index: Map<string, number>;

  constructor(readonly model: PersonaModel) {
    this.index = new Map(model.features.map((name, position) => [name, position]));
  }

  /** The personas the model knows. */
  get personas(): readonly string[] {
    return this.model.classes;
  }

  /**
   * Which persona does `text` sound like. `among` limits the answer to some personas (their
   * probabilities renormalised); unknown ids are an error naming the known ones.
   */
  classify(text: string, among?: readonly string[]): PersonaPrediction {
    const { classes } = this.model;
    const K = classes.length;
    const row = [...replyFeatures(text)].flatMap(([name, value]) => {
      const position = this.index.get(name);
      return position === undefined ? [] : [[position, value] as const];
    });
    const probabilities = new Float64Array(K);
    softmaxInto(row, this.model.weights, this.model.bias, K, probabilities);
    const allowed = among ?? classes;
    for (const id of allowed)
      if (!classes.includes(id))
        throw new MedsimError(
          "invalid_input",
          `persona "${id}" is not known to the classifier; it knows ${classes.join(", ")}`,
        );
    const total = allowed.reduce((sum, id) => sum + probabilities[classes.indexOf(id)]!, 0);
    const scores: Record<string, number> = {};
    for (const id of allowed) scores[id] = probabilities[classes.indexOf(id)]! / total;
    const persona = allowed.reduce((best, id) => (scores[id]! > scores[best]! ? id : best), allowed[0]!);
    return { persona, scores };
  }
}

/** Accuracy and confusion matrix (rows: true persona, columns: predicted) of a classifier on labelled replies. */
export interface PersonaEvaluation {
  accuracy: number;
  count: number;
  personas: string[];
  /** confusion[true][predicted] = count */
  confusion: Record<string, Record<string, number>>;
}

/** Scores a classifier on labelled replies, predicting among the personas that occur in them. */
export function evaluatePersonaClassifier(
  classifier: PersonaClassifier,
  examples: readonly LabelledReply[],
  among?: readonly string[],
): PersonaEvaluation {
  const personas = [...(among ?? new Set(examples.map((example) => example.persona)))].sort();
  const confusion: Record<string, Record<string, number>> = {};
  for (const truth of personas) confusion[truth] = Object.fromEntries(personas.map((id) => [id, 0]));
  let correct = 0;
  for (const example of examples) {
    const predicted = classifier.classify(example.text, personas).persona;
    confusion[example.persona]![predicted]!++;
    if (predicted === example.persona) correct++;
  }
  return { accuracy: examples.length ? correct / examples.length : 0, count: examples.length, personas, confusion };
}
