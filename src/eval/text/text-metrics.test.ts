import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  corpusBleu,
  corpusRouge,
  distinctN,
  lengthStats,
  porterStem,
  rouge,
  rougeTokenize,
  tokenize13a,
} from "./index.js";

const close = (actual: number, expected: number) => expect(actual).toBeCloseTo(expected, 12);

describe("porterStem", () => {
  it("equals NLTK 3.8's PorterStemmer() on 4,400 words", () => {
    // Pairs produced by Debian's python3-nltk 3.8 (PorterStemmer(), NLTK_EXTENSIONS mode, the one
    // rouge-score uses) from the words of this project's cases, knowledge base and README.
    const pairs = readFileSync(new URL("./porter-nltk-3.8.tsv", import.meta.url), "utf8")
      .trim()
      .split("\n")
      .map((line) => line.split("\t") as [string, string]);
    expect(pairs.length).toBeGreaterThan(4000);
    const wrong = pairs.filter(([word, stem]) => porterStem(word) !== stem);
    expect(wrong).toEqual([]);
  });

  it("follows NLTK's departures from the 1980 paper", () => {
    expect(
      ["dies", "spied", "dying", "happy", "enjoy", "generously", "geology", "sky", "running", "constructor"].map(
        porterStem,
      ),
    ).toEqual(["die", "spi", "die", "happi", "enjoy", "gener", "geolog", "sky", "run", "constructor"]);
  });
});

describe("rouge (rouge-score's rules, computed by hand)", () => {
  it("scores the rouge-score README example", () => {
    const scores = rouge("The quick brown dog jumps on the log.", "The quick brown fox jumps over the lazy dog");
    // unigrams: the x2, quick, brown, dog, jumps = 6 of 8 predicted, 6 of 9 reference
    close(scores.rouge1.precision, 6 / 8);
    close(scores.rouge1.recall, 6 / 9);
    close(scores.rouge1.f1, (2 * (6 / 8) * (6 / 9)) / (6 / 8 + 6 / 9));
    // bigrams: "the quick", "quick brown" = 2 of 7 predicted, 2 of 8 reference
    close(scores.rouge2.precision, 2 / 7);
    close(scores.rouge2.recall, 2 / 8);
    // LCS "the quick brown jumps the" = 5
    close(scores.rougeL.precision, 5 / 8);
    close(scores.rougeL.recall, 5 / 9);
    // one line each: Lsum equals L
    expect(scores.rougeLsum).toEqual(scores.rougeL);
  });

  it("stems tokens longer than 3 characters only when asked", () => {
    expect(rougeTokenize("The cats were running quickly", { stem: true })).toEqual([
      "the",
      "cat",
      "were",
      "run",
      "quickli",
    ]);
    const plain = rouge("a cat runs quick", "The cats were running quickly");
    const stemmed = rouge("a cat runs quick", "The cats were running quickly", { stem: true });
    expect(plain.rouge1.f1).toBe(0);
    close(stemmed.rouge1.precision, 2 / 4); // cat, run
    close(stemmed.rouge1.recall, 2 / 5);
    // "ties" has 4 characters and is stemmed ("tie"); "its" is not
    expect(rougeTokenize("ties its", { stem: true })).toEqual(["tie", "its"]);
  });

  it("turns punctuation into spaces and drops non-ASCII letters", () => {
    expect(rougeTokenize("Don't stop—it's 3.5mg/day!")).toEqual(["don", "t", "stop", "it", "s", "3", "5mg", "day"]);
    expect(rougeTokenize("Café naïve résumé")).toEqual(["caf", "na", "ve", "r", "sum"]);
    expect(rougeTokenize("बुखार है")).toEqual([]);
    const scores = rouge("fever बुखार", "बुखार fever");
    close(scores.rouge1.f1, 1);
    // a reference with no ASCII token scores 0 everywhere, as in rouge-score
    expect(rouge("बुखार", "बुखार").rougeL).toEqual({ precision: 0, recall: 0, f1: 0 });
    expect(rouge("", "fever").rouge1).toEqual({ precision: 0, recall: 0, f1: 0 });
  });

  it("splits Lsum on newlines, ignores empty lines, and unions the LCS", () => {
    const swapped = rouge("the dog ran\nthe cat sat", "the cat sat\n\nthe dog ran");
    close(swapped.rougeLsum.f1, 1);
    close(swapped.rougeL.f1, 3 / 6); // one LCS over the whole text: "the cat sat"
    // union LCS: reference line 1 "a b c d" meets "a b" and "c d"; line 2 "e f" meets "e"
    const union = rouge("a b\nc d e", "a b c d\ne f");
    close(union.rougeLsum.precision, 5 / 5);
    close(union.rougeLsum.recall, 5 / 6);
  });

  it("counts each token once in Lsum and reads the LCS back as rouge-score does", () => {
    const once = rouge("a", "a a\na");
    close(once.rougeLsum.precision, 1);
    close(once.rougeLsum.recall, 1 / 3);
    // "x y" vs "y x": the backtrack keeps "x" (index 0), so the second reference line finds no "x" left
    const tie = rouge("y x", "x y\nx");
    close(tie.rougeLsum.precision, 1 / 2);
    close(tie.rougeLsum.recall, 1 / 3);
  });

  it("averages over pairs with a seeded bootstrap interval", () => {
    const predictions = ["the cat", "a dog", "fever for three days"];
    const references = ["the cat", "the dog", "no fever"];
    const result = corpusRouge(predictions, references, { bootstrap: 200, seed: 3 });
    close(result.mean.rouge1.f1, (1 + 0.5 + 2 / 6) / 3);
    expect(result.count).toBe(3);
    const interval = result.interval!.rouge1;
    expect(interval.low.f1).toBeLessThanOrEqual(result.mean.rouge1.f1);
    expect(interval.high.f1).toBeGreaterThanOrEqual(result.mean.rouge1.f1);
    expect(corpusRouge(predictions, references, { bootstrap: 200, seed: 3 })).toEqual(result);
    expect(() => corpusRouge(["a"], [])).toThrow(/as many predictions as references/);
  });
});

describe("corpusBleu (sacreBLEU defaults, computed by hand)", () => {
  it("tokenizes as 13a", () => {
    expect(tokenize13a("Hello, world! It's 3.5-4 kg.")).toBe("Hello , world ! It's 3.5 - 4 kg .");
    expect(tokenize13a("a &amp; b &lt;c&gt;")).toBe("a & b < c >");
  });

  it("computes the geometric mean of clipped precisions with the brevity penalty", () => {
    expect(corpusBleu(["the cat sat on the mat"], [["the cat sat on the mat"]]).score).toBeCloseTo(100, 10);
    // 5/6, 3/5, 2/4, 1/3
    const partial = corpusBleu(["the cat sat on a mat"], [["the cat sat on the mat"]]);
    expect(partial.counts).toEqual([5, 3, 2, 1]);
    expect(partial.totals).toEqual([6, 5, 4, 3]);
    close(partial.score, 100 * (((((((5 / 6) * 3) / 5) * 2) / 4) * 1) / 3) ** 0.25);
    // shorter hypothesis: BP = exp(1 - 6/5)
    const short = corpusBleu(["the cat sat on mat"], [["the cat sat on the mat"]]);
    close(short.bp, Math.exp(1 - 6 / 5));
    close(short.score, Math.exp(1 - 6 / 5) * 100 * ((((((1 * 3) / 4) * 2) / 3) * 1) / 2) ** 0.25);
  });

  it("smooths a zero count by halving (exp) and zeroes a missing order", () => {
    // 4/6, 2/5, 1/4, 0/3 -> the 4-gram precision becomes 1/(2*3)
    const smoothed = corpusBleu(["the cat sat in a mat"], [["the cat sat on the mat"]]);
    expect(smoothed.counts).toEqual([4, 2, 1, 0]);
    close(smoothed.score, 100 * ((((((4 / 6) * 2) / 5) * 1) / 4) * (1 / 6)) ** 0.25);
    // two tokens: no 3-grams at all, so BLEU is 0 as in sacreBLEU
    expect(corpusBleu(["the cat"], [["the cat sat"]]).score).toBe(0);
  });

  it("clips by the best reference and takes the closest reference length", () => {
    const result = corpusBleu(["the the the cat"], [["the cat"], ["the the dog is here"]]);
    expect(result.counts[0]).toBe(3); // "the" clipped at 2 (second reference) + "cat"
    expect(result.refLen).toBe(5); // |4-2| = 2 vs |4-5| = 1
  });
});

describe("distinctN and lengthStats", () => {
  it("counts distinct n-grams over all n-grams", () => {
    close(distinctN(["a b a b", "a b"], 1), 2 / 6);
    close(distinctN(["a b a b", "a b"], 2), 2 / 4); // "a b", "b a"
    expect(distinctN([""], 2)).toBe(0);
    expect(lengthStats(["one two three", "one", "it's fine"])).toEqual({
      count: 3,
      mean: 2,
      median: 2,
      min: 1,
      max: 3,
      std: Math.sqrt(2 / 3),
    });
  });
});
