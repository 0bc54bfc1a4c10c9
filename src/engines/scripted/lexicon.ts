import { createRequire } from "node:module";
import { CONCEPT_FORMS, TRANSLATIONS } from "./lexicon-data.js";
import { REGIONAL_TRANSLATIONS } from "./lexicon-regional.js";

/**
 * Text normalisation for understanding questions and matching facts: contractions expanded,
 * Hinglish and chat shorthand translated, typos corrected against the clinic vocabulary, words
 * stemmed, and phrases mapped to concepts ("loose motions", "dast" and "diarrhea" are all
 * `diarrhoea`).
 */
export interface AnalyzedText {
  /** Stemmed words after translation and typo correction. */
  words: string[];
  /** Concept ids found, in order of appearance (a concept may repeat). */
  concepts: string[];
  /** The words with each matched phrase replaced by its concept id: what the classifier reads. */
  tokens: string[];
}

const CONTRACTIONS: readonly (readonly [RegExp, string])[] = [
  [/\bwon't\b/g, "will not"],
  [/\bcan't\b/g, "can not"],
  [/\bcannot\b/g, "can not"],
  [/n't\b/g, " not"],
  [/'re\b/g, " are"],
  [/'ve\b/g, " have"],
  [/'m\b/g, " am"],
  [/'ll\b/g, " will"],
  [/'d\b/g, " would"],
  [/\b(what|where|how|who|that|it|there|when|here)'s\b/g, "$1 is"],
  [/'s\b/g, ""],
];

/** A light suffix stripper (same rules for questions, facts and the lexicon, so they meet). */
export function stemWord(word: string): string {
  let w = word;
  if (w.length <= 3 || /^\d/.test(w)) return w;
  if (w.endsWith("ies") && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (/(ss|us|is)$/.test(w)) {
    // glass, virus, analysis: keep
  } else if (/(sh|ch|x|s)es$/.test(w)) w = w.slice(0, -2);
  else if (w.endsWith("s")) w = w.slice(0, -1);
  if (w.endsWith("ing") && w.length > 5) w = w.slice(0, -3);
  else if (w.endsWith("ed") && w.length > 4) w = w.slice(0, -2);
  if (w.length > 4 && /([bdgmnprt])\1$/.test(w)) w = w.slice(0, -1);
  if (w.endsWith("e") && w.length > 4) w = w.slice(0, -1);
  return w;
}

function splitWords(text: string): string[] {
  let lower = text.toLowerCase().replace(/[’‘`]/g, "'");
  for (const [pattern, replacement] of CONTRACTIONS) lower = lower.replace(pattern, replacement);
  return lower.replace(/[-_/]/g, " ").match(/[\p{L}\p{N}]+/gu) ?? [];
}

interface Tables {
  /** Translation phrases (raw words, joined by spaces) to their English words. */
  translations: Map<string, string[]>;
  longestTranslation: number;
  /** Stemmed phrase (joined by spaces) to concept ids. */
  phrases: Map<string, string[]>;
  longestPhrase: number;
  /** Raw words the clinic vocabulary knows: typo correction aims at these. */
  vocabulary: Set<string>;
  vocabularyByLength: Map<number, string[]>;
  /** One-word Hinglish and shorthand forms by length: a variant spelling ("pesaab", "bukhaar") is corrected to one. */
  translationWordsByLength: Map<number, string[]>;
  /** Single-word stemmed forms of five letters or more, longest first: they also match as prefixes ("constipat"). */
  prefixes: [string, string[]][];
}

let tables: Tables | undefined;

function loadTables(): Tables {
  if (tables) return tables;
  const translations = new Map<string, string[]>();
  let longestTranslation = 1;
  // The regional table first: where both tables have a form, the main (Hindi) table's reading wins.
  for (const line of `${REGIONAL_TRANSLATIONS}\n${TRANSLATIONS}`.split("\n")) {
    const arrow = line.indexOf("->");
    if (arrow < 0) continue;
    const target = splitWords(line.slice(arrow + 2));
    for (const source of line.slice(0, arrow).split(",")) {
      const key = splitWords(source).join(" ");
      if (!key) continue;
      translations.set(key, target);
      longestTranslation = Math.max(longestTranslation, key.split(" ").length);
    }
  }
  const phrases = new Map<string, string[]>();
  const vocabulary = new Set<string>();
  let longestPhrase = 1;
  for (const line of CONCEPT_FORMS.split("\n")) {
    const colon = line.indexOf(":");
    if (colon < 0) continue;
    const concept = line.slice(0, colon).trim();
    for (const form of line.slice(colon + 1).split("|")) {
      const words = splitWords(form);
      if (words.length === 0) continue;
      for (const word of words) vocabulary.add(word);
      const key = words.map(stemWord).join(" ");
      const list = phrases.get(key) ?? [];
      if (!list.includes(concept)) list.push(concept);
      phrases.set(key, list);
      longestPhrase = Math.max(longestPhrase, words.length);
    }
  }
  for (const target of translations.values()) for (const word of target) vocabulary.add(word);
  for (const word of COMMON_WORDS.split(/\s+/)) if (word) vocabulary.add(word);
  const vocabularyByLength = new Map<number, string[]>();
  for (const word of vocabulary) {
    if (word.length < 4 || /\d/.test(word)) continue;
    const list = vocabularyByLength.get(word.length) ?? [];
    list.push(word);
    vocabularyByLength.set(word.length, list);
  }
  const translationWordsByLength = new Map<number, string[]>();
  for (const key of translations.keys()) {
    if (key.includes(" ") || key.length < 4 || /\d/.test(key)) continue;
    const list = translationWordsByLength.get(key.length) ?? [];
    list.push(key);
    translationWordsByLength.set(key.length, list);
  }
  const prefixes = [...phrases.entries()]
    .filter(([key]) => !key.includes(" ") && key.length >= 5)
    .sort((a, b) => b[0].length - a[0].length);
  tables = {
    translations,
    longestTranslation,
    phrases,
    longestPhrase,
    vocabulary,
    vocabularyByLength,
    translationWordsByLength,
    prefixes,
  };
  return tables;
}

/** Words questions use that are not in the concept table, so they are never "corrected". */
const COMMON_WORDS = `about above after again all also always am an and any anyone anything are around as ask at away
back be because been before being between both but by can come could day days describe did do does doing done
during each either ever every feel feeling few for from get getting give go going good got had has have having
here how if in into is it just keep kind know last least less like little long lot made make many may maybe me
might more most much must my need never night no none not nothing now of off often on once one only or other our
out over past please point quite rather really recent recently right same say see seem should show since so some
something sometimes still such take tell than that the their them then there these they thing things think this
those through time times to today too try under until up us very want was way we week weeks well went were what
when where which while who whom why will with within without would year years yes yet you your yourself months
month morning evening noon afternoon hours hour minutes ago started start happen happened happens problem problems
trouble issue issues doctor patient okay sir madam ji mam lady gentleman today didi dida bhaiya bhai
uncle aunty aunti amma appa saheb sahab beta dada dadi nana nani babu bhabhi mausi chacha chachi garu anna akka
tai bhau sister brother`;

let englishWords: Set<string> | undefined;
function isEnglishWord(word: string): boolean {
  englishWords ??= new Set(createRequire(import.meta.url)("an-array-of-english-words") as string[]);
  return englishWords.has(word);
}

const corrections = new Map<string, string>();

/**
 * Corrects a word the clinic vocabulary and the English dictionary do not know to the closest
 * vocabulary word (one edit for words of 4-6 letters, two for longer ones), or else to the closest
 * Hinglish form the translation table knows (Hinglish has no fixed spelling: "pesaab", "bukhaar",
 * "khaansi"), which {@link analyzeText} then translates; else keeps it.
 */
export function correctTypo(word: string): string {
  const { vocabulary, vocabularyByLength, translationWordsByLength, translations } = loadTables();
  if (word.length < 4 || /\d/.test(word) || vocabulary.has(word) || translations.has(word)) return word;
  const cached = corrections.get(word);
  if (cached !== undefined) return cached;
  let best = word;
  if (!isEnglishWord(word)) {
    const maxDistance = word.length >= 7 ? 2 : 1;
    let bestDistance = maxDistance + 1;
    // English vocabulary first: a Hinglish form wins only when it is strictly closer.
    // Same length first: a slipped vowel ("fevar", "stomuch") is likelier than a dropped letter, so
    // "fevar" is fever, not fear.
    const lengths = [0, -1, 1, -2, 2].filter((offset) => Math.abs(offset) <= maxDistance).map((o) => word.length + o);
    for (const byLength of [vocabularyByLength, translationWordsByLength])
      for (const length of lengths) {
        for (const candidate of byLength.get(length) ?? []) {
          // A slip rarely hits the first letter; an unknown Hindi word often differs from a clinic
          // word only there ("kala" is black, not gala; "kharab" is bad, not sharab).
          if (candidate[0] !== word[0]) continue;
          const distance = editDistance(word, candidate, bestDistance);
          if (distance < bestDistance) {
            bestDistance = distance;
            best = candidate;
          }
        }
      }
  }
  if (corrections.size > 50_000) corrections.clear();
  corrections.set(word, best);
  return best;
}

/** Damerau-Levenshtein (optimal string alignment) distance, giving up above `limit`. */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) >= limit) return limit;
  let previousPrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        value = Math.min(value, previousPrevious[j - 2]! + 1);
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin >= limit) return limit;
    previousPrevious = previous;
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * Walks `words` left to right taking the longest phrase (up to `longest` words) that `table` has:
 * `onPhrase` gets its value; a word that starts no phrase goes to `onWord`.
 */
function forEachLongestPhrase<Value>(
  words: readonly string[],
  table: ReadonlyMap<string, Value>,
  longest: number,
  onPhrase: (value: Value) => void,
  onWord: (word: string) => void,
): void {
  for (let index = 0; index < words.length;) {
    let length = Math.min(longest, words.length - index);
    for (; length >= 1; length--) {
      const value = table.get(words.slice(index, index + length).join(" "));
      if (value !== undefined) {
        onPhrase(value);
        break;
      }
    }
    if (length >= 1) index += length;
    else onWord(words[index++]!);
  }
}

function translate(words: readonly string[], tablesInUse: Tables): string[] {
  const out: string[] = [];
  forEachLongestPhrase(
    words,
    tablesInUse.translations,
    tablesInUse.longestTranslation,
    (target) => out.push(...target),
    (word) => out.push(word),
  );
  return out;
}

const analyzed = new Map<string, AnalyzedText>();

/** Analyses a question or a fact: see {@link AnalyzedText}. Results are cached by text. */
export function analyzeText(text: string): AnalyzedText {
  const cached = analyzed.get(text);
  if (cached) return cached;
  const t = loadTables();
  const raw = translate(splitWords(text), t).map(correctTypo);
  // Translation may produce a phrase the typo step should see again ("loose motion" -> words).
  const words = translate(raw, t).map(stemWord);
  const concepts: string[] = [];
  const tokens: string[] = [];
  forEachLongestPhrase(
    words,
    t.phrases,
    t.longestPhrase,
    (found) => {
      concepts.push(...found);
      tokens.push(...found);
    },
    (word) => {
      const prefix = word.length > 5 ? t.prefixes.find(([key]) => word.startsWith(key)) : undefined;
      if (prefix) {
        concepts.push(...prefix[1]);
        tokens.push(...prefix[1]);
      } else tokens.push(word);
    },
  );
  const result = { words, concepts, tokens };
  if (analyzed.size > 100_000) analyzed.clear();
  analyzed.set(text, result);
  return result;
}
