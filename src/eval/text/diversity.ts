/** Diversity and length statistics of generated replies. */

/** Lower-cased word tokens (letters and digits of any script, apostrophes kept inside words). */
export function wordTokens(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu) ?? [];
}

/**
 * distinct-n (Li et al., 2016): distinct n-grams over all n-grams, pooled over every text. 0 when
 * there are no n-grams.
 */
export function distinctN(texts: readonly string[], n: number): number {
  const seen = new Set<string>();
  let total = 0;
  for (const text of texts) {
    const tokens = wordTokens(text);
    for (let index = 0; index + n <= tokens.length; index++) {
      seen.add(tokens.slice(index, index + n).join(" "));
      total++;
    }
  }
  return total === 0 ? 0 : seen.size / total;
}

/** Length statistics in words. */
export interface LengthStats {
  count: number;
  mean: number;
  median: number;
  min: number;
  max: number;
  std: number;
}

/** Word-length statistics of texts (population standard deviation). */
export function lengthStats(texts: readonly string[]): LengthStats {
  const lengths = texts.map((text) => wordTokens(text).length).sort((a, b) => a - b);
  if (lengths.length === 0) return { count: 0, mean: 0, median: 0, min: 0, max: 0, std: 0 };
  const mean = lengths.reduce((a, b) => a + b, 0) / lengths.length;
  const middle = lengths.length / 2;
  const median =
    lengths.length % 2 === 1 ? lengths[Math.floor(middle)]! : (lengths[middle - 1]! + lengths[middle]!) / 2;
  const std = Math.sqrt(lengths.reduce((total, length) => total + (length - mean) ** 2, 0) / lengths.length);
  return { count: lengths.length, mean, median, min: lengths[0]!, max: lengths.at(-1)!, std };
}
