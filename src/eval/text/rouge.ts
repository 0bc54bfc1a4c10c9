/**
 * ROUGE-1/2/L/Lsum exactly as Google's `rouge-score` package computes them (rouge_scorer.py,
 * tokenize.py): lower case, every run of characters outside [a-z0-9] becomes a space (so
 * non-ASCII letters are dropped), optional Porter stemming (NLTK's) of tokens longer than 3
 * characters, n-gram overlap for ROUGE-N, LCS for ROUGE-L, and union-LCS over newline-separated
 * sentences for ROUGE-Lsum. Means over pairs, optionally with a seeded bootstrap interval.
 */
import { createRandom } from "../../util/random.js";
import { porterStem } from "./porter.js";

/** Precision, recall and F1 (rouge-score's `Score(precision, recall, fmeasure)`). */
export interface RougeScore {
  precision: number;
  recall: number;
  f1: number;
}

/** The four ROUGE variants. */
export type RougeType = "rouge1" | "rouge2" | "rougeL" | "rougeLsum";
/** The ROUGE variants computed, in rouge-score's names. */
export const ROUGE_TYPES: readonly RougeType[] = ["rouge1", "rouge2", "rougeL", "rougeLsum"];
/** Precision, recall and F1 of each ROUGE variant. */
export type RougeScores = Record<RougeType, RougeScore>;

/** Options shared by the ROUGE functions. */
export interface RougeOptions {
  /** Porter-stem tokens longer than 3 characters (rouge-score's `use_stemmer`). Default false. */
  stem?: boolean;
}

/** rouge-score's tokenizer. */
export function rougeTokenize(text: string, options: RougeOptions = {}): string[] {
  const tokens = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .split(/\s+/);
  const stemmed = options.stem ? tokens.map((token) => (token.length > 3 ? porterStem(token) : token)) : tokens;
  return stemmed.filter((token) => /^[a-z0-9]+$/.test(token));
}

function fmeasure(precision: number, recall: number): number {
  return precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
}

function score(precision: number, recall: number): RougeScore {
  return { precision, recall, f1: fmeasure(precision, recall) };
}

const ZERO: RougeScore = { precision: 0, recall: 0, f1: 0 };

function countNgrams(tokens: readonly string[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let index = 0; index + n <= tokens.length; index++) {
    const key = tokens.slice(index, index + n).join(" ");
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

function scoreNgrams(target: readonly string[], prediction: readonly string[], n: number): RougeScore {
  const targetCounts = countNgrams(target, n);
  const predictionCounts = countNgrams(prediction, n);
  let overlap = 0;
  for (const [ngram, count] of targetCounts) overlap += Math.min(count, predictionCounts.get(ngram) ?? 0);
  const sum = (counts: Map<string, number>) => [...counts.values()].reduce((a, b) => a + b, 0);
  return score(overlap / Math.max(sum(predictionCounts), 1), overlap / Math.max(sum(targetCounts), 1));
}

/** The LCS dynamic-programming table, (rows+1) x (cols+1), row-major. */
function lcsTable(reference: readonly string[], candidate: readonly string[]): Uint32Array {
  const cols = candidate.length + 1;
  const table = new Uint32Array((reference.length + 1) * cols);
  for (let i = 1; i <= reference.length; i++) {
    for (let j = 1; j <= candidate.length; j++) {
      table[i * cols + j] =
        reference[i - 1] === candidate[j - 1]
          ? table[(i - 1) * cols + j - 1]! + 1
          : Math.max(table[(i - 1) * cols + j]!, table[i * cols + j - 1]!);
    }
  }
  return table;
}

function scoreLcs(target: readonly string[], prediction: readonly string[]): RougeScore {
  if (target.length === 0 || prediction.length === 0) return ZERO;
  const length = lcsTable(target, prediction).at(-1)!;
  return score(length / prediction.length, length / target.length);
}

/** Indices into `reference` of one LCS, read back as rouge-score's `_backtrack_norec` does. */
function lcsIndices(reference: readonly string[], candidate: readonly string[]): number[] {
  const table = lcsTable(reference, candidate);
  const cols = candidate.length + 1;
  const indices: number[] = [];
  let i = reference.length;
  let j = candidate.length;
  while (i > 0 && j > 0) {
    if (reference[i - 1] === candidate[j - 1]) {
      indices.push(i - 1);
      i--;
      j--;
    } else if (table[i * cols + j - 1]! > table[(i - 1) * cols + j]!) j--;
    else i--;
  }
  return indices.reverse();
}

/** Summary-level LCS with rouge-score's (and ROUGE 1.5.5's) guard against double counting. */
function summaryLevelLcs(referenceSentences: string[][], candidateSentences: string[][]): RougeScore {
  if (referenceSentences.length === 0 || candidateSentences.length === 0) return ZERO;
  const m = referenceSentences.reduce((total, sentence) => total + sentence.length, 0);
  const n = candidateSentences.reduce((total, sentence) => total + sentence.length, 0);
  if (m === 0 || n === 0) return ZERO;
  const referenceCounts = new Map<string, number>();
  const candidateCounts = new Map<string, number>();
  for (const sentence of referenceSentences)
    for (const token of sentence) referenceCounts.set(token, (referenceCounts.get(token) ?? 0) + 1);
  for (const sentence of candidateSentences)
    for (const token of sentence) candidateCounts.set(token, (candidateCounts.get(token) ?? 0) + 1);
  let hits = 0;
  for (const reference of referenceSentences) {
    const union = new Set<number>();
    for (const candidate of candidateSentences) for (const index of lcsIndices(reference, candidate)) union.add(index);
    for (const index of [...union].sort((a, b) => a - b)) {
      const token = reference[index]!;
      if ((candidateCounts.get(token) ?? 0) > 0 && (referenceCounts.get(token) ?? 0) > 0) {
        hits++;
        candidateCounts.set(token, candidateCounts.get(token)! - 1);
        referenceCounts.set(token, referenceCounts.get(token)! - 1);
      }
    }
  }
  return score(hits / n, hits / m);
}

/** rouge-score's `get_sents`: split on "\n", drop empty strings (a line of spaces stays, with no tokens). */
function sentences(text: string): string[] {
  return text.split("\n").filter((line) => line.length > 0);
}

/**
 * ROUGE of one prediction against one reference (`RougeScorer(types, use_stemmer).score(target,
 * prediction)`).
 */
export function rouge(prediction: string, reference: string, options: RougeOptions = {}): RougeScores {
  const target = rougeTokenize(reference, options);
  const predicted = rougeTokenize(prediction, options);
  return {
    rouge1: scoreNgrams(target, predicted, 1),
    rouge2: scoreNgrams(target, predicted, 2),
    rougeL: scoreLcs(target, predicted),
    rougeLsum: summaryLevelLcs(
      sentences(reference).map((sentence) => rougeTokenize(sentence, options)),
      sentences(prediction).map((sentence) => rougeTokenize(sentence, options)),
    ),
  };
}

/** A mean score with an optional bootstrap confidence interval (per field: low, high). */
export interface RougeAggregate {
  mean: RougeScores;
  /** Present when `bootstrap` was asked for: the 2.5th and 97.5th percentiles of resampled means. */
  interval?: Record<RougeType, { low: RougeScore; high: RougeScore }>;
  count: number;
}

/** Options of {@link corpusRouge}. */
export interface CorpusRougeOptions extends RougeOptions {
  /** Bootstrap resamples for the interval (rouge-score's BootstrapAggregator uses 1000); 0 = none. Default 0. */
  bootstrap?: number;
  /** Seed of the resampling. Default 1. */
  seed?: number;
}

function meanScores(all: readonly RougeScores[], indices?: readonly number[]): RougeScores {
  const picked = indices ? indices.map((index) => all[index]!) : all;
  const result = {} as RougeScores;
  for (const type of ROUGE_TYPES) {
    const sum = (field: keyof RougeScore) => picked.reduce((total, scores) => total + scores[type][field], 0);
    result[type] = {
      precision: sum("precision") / picked.length,
      recall: sum("recall") / picked.length,
      f1: sum("f1") / picked.length,
    };
  }
  return result;
}

/** Linear-interpolated percentile (numpy's default), q in [0, 100]. */
function percentile(sorted: readonly number[], q: number): number {
  const position = (q / 100) * (sorted.length - 1);
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (position - lower);
}

/** ROUGE over pairs: the mean of per-pair scores, as rouge-score's aggregator reports. */
export function corpusRouge(
  predictions: readonly string[],
  references: readonly string[],
  options: CorpusRougeOptions = {},
): RougeAggregate {
  if (predictions.length !== references.length)
    throw new RangeError(
      `expected as many predictions as references, found ${predictions.length} and ${references.length}`,
    );
  if (predictions.length === 0) throw new RangeError("expected at least one prediction/reference pair");
  const all = predictions.map((prediction, index) => rouge(prediction, references[index]!, options));
  const aggregate: RougeAggregate = { mean: meanScores(all), count: all.length };
  const samples = options.bootstrap ?? 0;
  if (samples > 0) {
    const random = createRandom(options.seed ?? 1);
    const resampled = Array.from({ length: samples }, () =>
      meanScores(
        all,
        all.map(() => Math.floor(random() * all.length)),
      ),
    );
    const interval = {} as NonNullable<RougeAggregate["interval"]>;
    for (const type of ROUGE_TYPES) {
      const bound = (q: number): RougeScore => {
        const at = (field: keyof RougeScore) =>
          percentile(
            resampled.map((scores) => scores[type][field]).sort((a, b) => a - b),
            q,
          );
        return { precision: at("precision"), recall: at("recall"), f1: at("f1") };
      };
      interval[type] = { low: bound(2.5), high: bound(97.5) };
    }
    aggregate.interval = interval;
  }
  return aggregate;
}
