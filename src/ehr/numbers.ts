/**
 * Numbers as people write them in requests: "2000", "2,000", "2k", "1.5 million", "two thousand",
 * "five hundred", "a dozen", "ten lakh", "10^9", "1e9". `normalizeNumbers` rewrites them as plain
 * digits so the rest of the parser only deals with digits.
 */
import { NUMBER_WORDS } from "../util/number-words.js";

const UNITS: Record<string, number> = { zero: 0, no: 0, ...NUMBER_WORDS };
const SCALES: Record<string, number> = {
  dozen: 12,
  hundred: 100,
  thousand: 1_000,
  lakh: 100_000,
  lakhs: 100_000,
  million: 1_000_000,
  millions: 1_000_000,
  crore: 10_000_000,
  crores: 10_000_000,
  billion: 1_000_000_000,
  billions: 1_000_000_000,
  trillion: 1_000_000_000_000,
};
const SUFFIXES: Record<string, number> = { k: 1_000, m: 1_000_000, mn: 1_000_000, bn: 1_000_000_000, b: 1_000_000_000 };

const WORD = Object.keys(UNITS).concat(Object.keys(SCALES)).join("|");
const WORD_RUN = new RegExp(`\\b(?:(?:${WORD})(?:[\\s-]+(?:and[\\s-]+)?|\\b))+`, "g");

/** Rewrites written-out and abbreviated numbers in lower-case text as digits. */
export function normalizeNumbers(text: string): string {
  let result = text
    // 10^9, 10**9, 1e9
    .replace(/\b(\d+(?:\.\d+)?)\s*(?:\^|\*\*)\s*(\d+)\b/g, (_, base: string, power: string) =>
      String(Number(base) ** Number(power)),
    )
    .replace(/\b(\d+(?:\.\d+)?)e(\d+)\b/g, (_, base: string, power: string) =>
      String(Number(base) * 10 ** Number(power)),
    )
    // 2,000 and 10,00,000 (Indian grouping)
    .replace(/\b\d{1,3}(?:,\d{2,3})+\b/g, (match) => match.replace(/,/g, ""))
    // 2k, 1.5m, 3 bn
    .replace(/\b(\d+(?:\.\d+)?)\s?(k|mn|m|bn|b)\b/g, (_, value: string, suffix: string) =>
      String(Math.round(Number(value) * SUFFIXES[suffix]!)),
    )
    // 1.5 million, 10 lakh
    .replace(
      new RegExp(`\\b(\\d+(?:\\.\\d+)?)\\s+(${Object.keys(SCALES).join("|")})\\b`, "g"),
      (_, value: string, scale: string) => String(Math.round(Number(value) * SCALES[scale]!)),
    );
  result = result.replace(WORD_RUN, (match) => {
    const words = match
      .trim()
      .split(/[\s-]+/)
      .filter((word) => word !== "and");
    // A lone "a"/"an"/"no"/"one" is an article or a word, not a number ("a patient", "no comorbidities").
    if (words.every((word) => ["a", "an", "no", "one"].includes(word))) return match;
    if (words.length === 1 && !(words[0]! in SCALES) && words[0] === "a") return match;
    const value = wordsToNumber(words);
    if (value === undefined) return match;
    return `${value}${/\s$/.test(match) ? " " : ""}`;
  });
  return result;
}

function wordsToNumber(words: string[]): number | undefined {
  let total = 0;
  let current = 0;
  let seen = false;
  for (const word of words) {
    if (word in UNITS) {
      current += UNITS[word]!;
      seen = true;
    } else if (word in SCALES) {
      const scale = SCALES[word]!;
      if (current === 0) current = 1;
      if (scale < 1000) current *= scale;
      else {
        total += current * scale;
        current = 0;
      }
      seen = true;
    } else return undefined;
  }
  return seen ? total + current : undefined;
}
