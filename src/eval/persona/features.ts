/**
 * Features of a patient reply that carry persona rather than case content: lexicons of emotion,
 * hostility, politeness, hedging, distrust, self-diagnosis, minimisation and tangents (general
 * vocabulary, in the spirit of LIWC's categories, not the scripted engine's phrases), punctuation
 * and length, plus stemmed words and word pairs so the model can also learn the data's own voice.
 */
import { porterStem } from "../text/porter.js";

/** Word lists per style category; each entry is a stem prefix or a multi-word phrase. */
const LEXICONS: Readonly<Record<string, readonly string[]>> = {
  fear: [
    "worri",
    "scare",
    "scari",
    "afraid",
    "fear",
    "frighten",
    "terrifi",
    "panic",
    "nervous",
    "anxious",
    "anxieti",
    "dread",
    "tens",
    "upset",
    "shake",
    "shaking",
    "trembl",
    "horribl",
    "terribl",
    "awful",
    "cri",
    "crying",
    "sleep",
    "what if",
    "something serious",
    "something bad",
    "going to die",
    "am i dying",
    "cancer",
    "dangerous",
    "deadli",
    "is it bad",
    "is that bad",
    "is it serious",
    "oh god",
    "oh no",
    "oh my",
    "please tell me",
    "help me",
    "keep thinking",
    "cannot stop",
    "can't stop",
    "what does it mean",
    "normal",
    "okay",
    "alright",
    "sure it",
    "die",
    "death",
  ],
  hostility: [
    "alreadi",
    "again",
    "hurri",
    "wait",
    "waiting",
    "hour",
    "wast",
    "pointless",
    "ridicul",
    "stupid",
    "whatev",
    "obvious",
    "annoi",
    "fed up",
    "sick of",
    "just give",
    "just tell",
    "get on with",
    "next question",
    "told you",
    "said that",
    "how mani time",
    "seriously",
    "come on",
    "ugh",
    "look,",
    "fine.",
    "fine,",
    "enough",
    "don't care",
    "do i",
    "why do you",
    "busi",
    "hurry",
    "quick",
    "quickli",
    "move on",
    "get this over",
    "my time",
    "all day",
    "useless",
    "damn",
    "bloodi",
    "hell",
    "shut",
    "bother me",
    "leav",
    "irrit",
    "can we",
  ],
  politeness: [
    "pleas",
    "thank",
    "sorri",
    "apolog",
    "forgiv",
    "excus",
    "kind",
    "grate",
    "appreci",
    "bless",
    "dear",
    "take your time",
    "no hurri",
    "no rush",
    "don't worri about me",
    "not to troubl",
    "troubl",
    "bother you",
    "if it's not",
    "if you don't mind",
    "your time",
    "so mani peopl",
    "whatever you think",
    "you know best",
    "i don't want to",
    "take up",
    "doctor sahib",
    "madam",
    "sir",
    "patient",
    "happi to wait",
    "of cours",
  ],
  tangent: [
    "by the way",
    "you know",
    "my daughter",
    "my son",
    "my husband",
    "my wife",
    "my late",
    "grandson",
    "granddaughter",
    "grandchildren",
    "neighbour",
    "neighbor",
    "famili",
    "sister",
    "brother",
    "mother",
    "father",
    "cousin",
    "garden",
    "temple",
    "church",
    "market",
    "cook",
    "wed",
    "festiv",
    "when i was",
    "years ago",
    "in my day",
    "anyway",
    "talk too much",
    "rambl",
    "story",
    "rememb when",
    "oh, and",
    "also,",
    "back in",
  ],
  hedging: [
    "mayb",
    "perhap",
    "i think",
    "i guess",
    "not sure",
    "i'm not sure",
    "probabl",
    "might",
    "sort of",
    "kind of",
    "i suppos",
    "possibl",
    "around",
    "about",
    "roughli",
    "don't rememb",
    "can't rememb",
    "not certain",
  ],
  distrust: [
    "why do you",
    "why doe",
    "why should",
    "trust",
    "sure about",
    "second opinion",
    "are you sure",
    "qualifi",
    "experienc",
    "last doctor",
    "other doctor",
    "suspici",
    "what for",
    "why is that",
    "prove",
    "money",
    "cost",
  ],
  self_diagnosis: [
    "read",
    "onlin",
    "internet",
    "googl",
    "articl",
    "websit",
    "video",
    "youtub",
    "think i have",
    "i'm sure it",
    "pretti sure",
    "it must be",
    "scan",
    "test",
    "antibiot",
    "prescrib",
    "symptom checker",
  ],
  minimisation: [
    "not too bad",
    "not that bad",
    "noth",
    "manag",
    "i can cope",
    "cope",
    "fine",
    "don't want to make a fuss",
    "fuss",
    "littl",
    "bit",
    "just a",
    "it's okai",
    "not a big deal",
    "i'm okai",
    "don't worri",
  ],
  plain: ["it start", "ye,", "no,", "well,", "okai.", "the pain", "about a", "out of ten", "i take", "i don't take"],
};

/** Lower case, curly quotes straightened, examination narration (in brackets) removed. */
export function normalizeReply(text: string): string {
  return text
    .replace(/\[[^\]]*\]/g, " ")
    .replace(/[’‘]/g, "'")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim();
}

function words(normalized: string): string[] {
  return normalized.match(/[a-z0-9]+(?:'[a-z]+)?/g) ?? [];
}

/** Stemmed text, word by word, used to match the lexicons' stem prefixes and phrases. */
function stemmedText(tokens: readonly string[]): string {
  return ` ${tokens.map((token) => porterStem(token.replace(/'/g, ""))).join(" ")} `;
}

function bucket(value: number, edges: readonly number[]): number {
  let index = 0;
  while (index < edges.length && value > edges[index]!) index++;
  return index;
}

/** Sparse features of a reply: name → value. */
export function replyFeatures(text: string): Map<string, number> {
  const normalized = normalizeReply(text);
  const tokens = words(normalized);
  const features = new Map<string, number>();
  const add = (name: string, value = 1) => features.set(name, (features.get(name) ?? 0) + value);

  const stems = tokens.map((token) => porterStem(token.replace(/'/g, "")));
  for (const stem of new Set(stems)) add(`w:${stem}`);
  for (let index = 0; index + 1 < stems.length; index++) add(`b:${stems[index]}_${stems[index + 1]}`, 1);
  if (stems[0]) add(`first:${stems[0]}`);

  // Lexicon hits: phrases are matched in the raw text and in the stemmed text, stems as word prefixes.
  const stemmed = stemmedText(tokens);
  const raw = ` ${normalized} `;
  for (const [category, entries] of Object.entries(LEXICONS)) {
    let hits = 0;
    for (const entry of entries) {
      if (entry.includes(" ") || /[,.']/.test(entry)) {
        if (raw.includes(entry) || stemmed.includes(` ${entry}`)) hits++;
      } else if (stemmed.includes(` ${entry}`) || raw.includes(` ${entry}`)) hits++;
    }
    if (hits > 0) {
      add(`lex:${category}`, Math.min(3, hits));
      add(`lex:${category}:any`);
    }
  }

  if (![...features.keys()].some((name) => name.startsWith("lex:") && !name.startsWith("lex:plain"))) add("lex:none");
  const sentenceCount = Math.max(1, (normalized.match(/[.!?]+(\s|$)/g) ?? []).length);
  const questionMarks = (normalized.match(/\?/g) ?? []).length;
  const exclamations = (normalized.match(/!/g) ?? []).length;
  add(`len:words:${bucket(tokens.length, [3, 6, 10, 16, 25, 40])}`);
  add(`len:sentences:${bucket(sentenceCount, [1, 2, 3, 4])}`);
  add(`len:per-sentence:${bucket(tokens.length / sentenceCount, [4, 8, 12, 18])}`);
  if (questionMarks > 0) add("punct:question", Math.min(2, questionMarks));
  if (exclamations > 0) add("punct:exclamation", Math.min(2, exclamations));
  if (/\.\.\.|…/.test(normalized)) add("punct:ellipsis");
  if (/\b(i|i'm|i've|my|me)\b/.test(normalized)) add("person:first");
  if (/\b(you|your)\b/.test(normalized)) add("person:second");
  if (/\b(no|not|never|don't|didn't|haven't)\b/.test(normalized)) add("negation");
  add("bias:length", Math.min(1, tokens.length / 40));
  return features;
}
