import { createRandom } from "../../util/random.js";
import { analyzeText } from "./lexicon.js";
import { expandParaphrases, QUESTION_LABELS, type QuestionLabel } from "./paraphrases.js";

/**
 * What kind of question a piece of doctor text is: a multinomial logistic regression over the
 * analysed tokens (concepts and stemmed words) and their bigrams, trained on the paraphrase bank
 * when first used (deterministic: fixed data order and seed; ~0.3 s). Written by hand because the
 * model is tiny and must train identically everywhere without native code.
 */
export interface Classification {
  label: QuestionLabel;
  /** Probability of the best label. */
  confidence: number;
  /** Labels with probability, best first (the top few). */
  ranked: { label: QuestionLabel; probability: number }[];
}

const FILLER_TOKENS = new Set([
  "the",
  "a",
  "an",
  "please",
  "okay",
  "so",
  "ok",
  "and",
  "now",
  "tell",
  "me",
  "achha",
  "ji",
]);

/** Features of a text: its tokens and neighbouring-token bigrams, plus a bias feature. */
export function featuresOf(text: string): string[] {
  const tokens = analyzeText(text).tokens.filter((token) => !FILLER_TOKENS.has(token));
  const features = ["<bias>", ...tokens.map((token) => `w:${token}`)];
  for (let index = 0; index + 1 < tokens.length; index++) features.push(`b:${tokens[index]}_${tokens[index + 1]}`);
  if (tokens.length <= 2) features.push("<short>");
  return features;
}

/** The classifier's model: one weight row per feature. Exported for the held-out check (bench/classifier-crossval.ts). */
export class SoftmaxModel {
  private readonly weights = new Map<string, Float64Array>();
  constructor(private readonly classes: number) {}

  scores(features: readonly string[]): Float64Array {
    const scores = new Float64Array(this.classes);
    for (const feature of features) {
      const row = this.weights.get(feature);
      if (!row) continue;
      for (let c = 0; c < this.classes; c++) scores[c]! += row[c]!;
    }
    let max = -Infinity;
    for (const value of scores) max = Math.max(max, value);
    let sum = 0;
    for (let c = 0; c < this.classes; c++) sum += scores[c] = Math.exp(scores[c]! - max);
    for (let c = 0; c < this.classes; c++) scores[c]! /= sum;
    return scores;
  }

  /** Stochastic gradient descent on cross-entropy with L2 decay applied to touched rows. */
  train(examples: readonly { features: string[]; label: number }[], epochs: number, seed: number): void {
    const random = createRandom(seed);
    const order = examples.map((_, index) => index);
    for (let epoch = 0; epoch < epochs; epoch++) {
      for (let index = order.length - 1; index > 0; index--) {
        const swap = Math.floor(random() * (index + 1));
        [order[index], order[swap]] = [order[swap]!, order[index]!];
      }
      const rate = 0.5 / (1 + epoch);
      for (const at of order) {
        const example = examples[at]!;
        const probabilities = this.scores(example.features);
        for (const feature of example.features) {
          let row = this.weights.get(feature);
          if (!row) this.weights.set(feature, (row = new Float64Array(this.classes)));
          for (let c = 0; c < this.classes; c++) {
            const gradient = probabilities[c]! - (c === example.label ? 1 : 0);
            row[c] = row[c]! * (1 - rate * 1e-4) - rate * gradient;
          }
        }
      }
    }
  }
}

export const TRAINING_EPOCHS = 8;
export const TRAINING_SEED = 20240611;
let model: SoftmaxModel | undefined;
const cache = new Map<string, Classification>();

function trainedModel(): SoftmaxModel {
  if (model) return model;
  const examples = expandParaphrases().map(({ text, label }) => ({
    features: featuresOf(text),
    label: QUESTION_LABELS.indexOf(label),
  }));
  model = new SoftmaxModel(QUESTION_LABELS.length);
  model.train(examples, TRAINING_EPOCHS, TRAINING_SEED);
  return model;
}

/** Classifies one question (or one part of a compound question). Cached by text. */
export function classifyQuestion(text: string): Classification {
  const cached = cache.get(text);
  if (cached) return cached;
  const probabilities = trainedModel().scores(featuresOf(text));
  const ranked = QUESTION_LABELS.map((label, index) => ({ label, probability: probabilities[index]! }))
    .sort((a, b) => b.probability - a.probability)
    .slice(0, 5);
  const result = { label: ranked[0]!.label, confidence: ranked[0]!.probability, ranked };
  if (cache.size > 50_000) cache.clear();
  cache.set(text, result);
  return result;
}
