/**
 * Corpus BLEU as sacreBLEU computes it by default (`BLEU()`: tokenizer 13a, mixed case, smoothing
 * `exp`, max n-gram order 4, no effective order): n-gram matches clipped by the maximum count in
 * any reference, the closest reference length (the shorter on a tie) for the brevity penalty,
 * statistics summed over the corpus, score 0-100.
 */

/** sacreBLEU's `13a` tokenizer (mteval-v13a): separates punctuation and symbols from words. */
export function tokenize13a(line: string): string {
  let text = line
    .replaceAll("<skipped>", "")
    .replaceAll("-\n", "")
    .replaceAll("\n", " ")
    .replaceAll("&quot;", '"')
    .replaceAll("&amp;", "&")
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">");
  text = ` ${text} `;
  text = text.replace(/([\x7b-\x7e\x5b-\x60\x20-\x26\x28-\x2b\x3a-\x40\x2f])/g, " $1 ");
  text = text.replace(/([^0-9])([.,])/g, "$1 $2 ");
  text = text.replace(/([.,])([^0-9])/g, " $1 $2");
  text = text.replace(/([0-9])(-)/g, "$1 $2 ");
  return pythonSplit(text).join(" ");
}

/** Python's `str.split()` with no argument: runs of Unicode white space (incl. \x1c-\x1f), no empty parts. */
function pythonSplit(text: string): string[] {
  // eslint-disable-next-line no-control-regex -- Python counts the file/group/record/unit separators as white space
  return text.split(/[\s\x1c-\x1f\x85]+/).filter((part) => part.length > 0);
}

/** The result of {@link corpusBleu}, with sacreBLEU's fields. */
export interface BleuScore {
  /** 0-100. */
  score: number;
  counts: number[];
  totals: number[];
  /** Per-order precisions, 0-100 (smoothed where a count is 0). */
  precisions: number[];
  bp: number;
  sysLen: number;
  refLen: number;
}

const MAX_ORDER = 4;

function ngramCounts(tokens: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (let n = 1; n <= MAX_ORDER; n++) {
    for (let index = 0; index + n <= tokens.length; index++) {
      const key = `${n}\u0000${tokens.slice(index, index + n).join(" ")}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return counts;
}

/**
 * sacreBLEU's `corpus_score(hypotheses, [references])`: `references[k][i]` is the k-th reference of
 * hypothesis i (one stream per reference set, as sacreBLEU takes them).
 */
export function corpusBleu(hypotheses: readonly string[], references: readonly (readonly string[])[]): BleuScore {
  if (references.length === 0) throw new RangeError("expected at least one reference stream");
  for (const stream of references)
    if (stream.length !== hypotheses.length)
      throw new RangeError(
        `expected every reference stream to have ${hypotheses.length} lines (one per hypothesis), found ${stream.length}`,
      );
  const preprocess = (text: string) => pythonSplit(tokenize13a(text.trimEnd()));
  const counts = new Array<number>(MAX_ORDER).fill(0);
  const totals = new Array<number>(MAX_ORDER).fill(0);
  let sysLen = 0;
  let refLen = 0;
  hypotheses.forEach((hypothesis, index) => {
    const referenceNgrams = new Map<string, number>();
    let closestDiff = -1;
    let closestLen = -1;
    const hypothesisTokens = preprocess(hypothesis);
    for (const stream of references) {
      const tokens = preprocess(stream[index]!);
      for (const [ngram, count] of ngramCounts(tokens))
        referenceNgrams.set(ngram, Math.max(referenceNgrams.get(ngram) ?? 0, count));
      const diff = Math.abs(hypothesisTokens.length - tokens.length);
      if (closestDiff === -1 || diff < closestDiff) {
        closestDiff = diff;
        closestLen = tokens.length;
      } else if (diff === closestDiff && tokens.length < closestLen) closestLen = tokens.length;
    }
    sysLen += hypothesisTokens.length;
    refLen += closestLen;
    for (const [ngram, count] of ngramCounts(hypothesisTokens)) {
      const order = Number(ngram.slice(0, ngram.indexOf("\u0000")));
      totals[order - 1]! += count;
      counts[order - 1]! += Math.min(count, referenceNgrams.get(ngram) ?? 0);
    }
  });
  return computeBleu(counts, totals, sysLen, refLen);
}

/** sacreBLEU's `compute_bleu` with smooth_method="exp" and effective_order=False. */
function computeBleu(counts: number[], totals: number[], sysLen: number, refLen: number): BleuScore {
  const bp = sysLen < refLen ? (sysLen > 0 ? Math.exp(1 - refLen / sysLen) : 0) : 1;
  const precisions = new Array<number>(MAX_ORDER).fill(0);
  const result = { counts, totals, precisions, bp, sysLen, refLen };
  if (!counts.some((count) => count > 0)) return { score: 0, ...result };
  let smooth = 1;
  for (let n = 1; n <= MAX_ORDER; n++) {
    if (totals[n - 1] === 0) break;
    if (counts[n - 1] === 0) {
      smooth *= 2;
      precisions[n - 1] = 100 / (smooth * totals[n - 1]!);
    } else precisions[n - 1] = (100 * counts[n - 1]!) / totals[n - 1]!;
  }
  // sacreBLEU's my_log: log(0) counts as -9999999999, so a missing order zeroes the score.
  const logSum = precisions.reduce(
    (total, precision) => total + (precision === 0 ? -9999999999 : Math.log(precision)),
    0,
  );
  return { score: bp * Math.exp(logSum / MAX_ORDER), ...result };
}
