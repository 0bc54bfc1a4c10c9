import type { Persona } from "../../domain/index.js";
import { pick } from "../../util/random.js";
import { splitSentences } from "../../util/sentences.js";

/**
 * How a personality changes the delivery of an answer, never its facts. Known personalities have
 * a profile here; a user's own personality falls back to `plain` plus the phrases in its file.
 */
interface StyleProfile {
  openerChance: number;
  closerChance: number;
  /** At most this many sentences of the factual answer (before the persona's sentence limit). */
  maxBody?: number;
  simplify?: boolean;
  defaultOpeners: readonly string[];
  defaultClosers: readonly string[];
}

const PROFILES: Record<string, StyleProfile> = {
  plain: { openerChance: 0.3, closerChance: 0, defaultOpeners: ["Well,"], defaultClosers: [] },
  anxious: {
    openerChance: 0.85,
    closerChance: 0.85,
    defaultOpeners: ["Oh doctor,"],
    defaultClosers: ["Is it something serious?"],
  },
  rude: {
    openerChance: 0.75,
    closerChance: 0.5,
    maxBody: 1,
    defaultOpeners: ["Look,"],
    defaultClosers: ["Can we hurry up?"],
  },
  overly_patient: {
    openerChance: 1,
    closerChance: 0.9,
    defaultOpeners: ["Thank you for asking, doctor."],
    defaultClosers: ["But please, take your time."],
  },
  distrustful: {
    openerChance: 0.65,
    closerChance: 0.5,
    defaultOpeners: ["Why do you ask?"],
    defaultClosers: ["Why does that matter?"],
  },
  self_diagnosing: {
    openerChance: 0.5,
    closerChance: 0.65,
    defaultOpeners: ["I read about this online."],
    defaultClosers: ["Shouldn't we just do all the tests?"],
  },
  pleasing: {
    openerChance: 0.75,
    closerChance: 0.5,
    defaultOpeners: ["It's not too bad, but"],
    defaultClosers: ["But I can manage."],
  },
  low_literacy: {
    openerChance: 0.5,
    closerChance: 0.3,
    maxBody: 1,
    simplify: true,
    defaultOpeners: ["Sir,"],
    defaultClosers: ["I don't know more."],
  },
};

/** Everyday words for clinical ones, for low-literacy personas and language level A. */
const SIMPLER_WORDS: readonly (readonly [RegExp, string])[] = [
  [/\babdomen\b/gi, "stomach"],
  [/\bnausea\b/gi, "feeling like vomiting"],
  [/\burinat(e|ion|ing)\b/gi, "passing water"],
  [/\bmedications?\b/gi, "medicine"],
  [/\bfrequently\b/gi, "many times"],
  [/\bbreathlessness\b/gi, "breathing problem"],
  [/\bappetite\b/gi, "hunger"],
  [/\b\d+(\.\d+)?\s?(mg|mcg|g|ml|units?)\b/gi, ""],
];

export interface StyleContext {
  persona: Persona;
  random: () => number;
  /** 1 for the first doctor turn. */
  turnNumber: number;
  /** The factual sentences to deliver. */
  body: string[];
  /** Narration shown in brackets (examination findings, test results); not spoken, not limited. */
  narration: string[];
  /** Whether the body says something new (a plain "no" should not get a worried closer each time). */
  hasFacts: boolean;
  /** A greeting, thanks or goodbye: delivered without the persona's openers. */
  pleasantry: boolean;
}

/** Delivers the factual answer in the persona's voice, within its sentence limit. */
export function styleReply(context: StyleContext): string {
  const { persona, random } = context;
  const profile = PROFILES[persona.axes.personality] ?? PROFILES.plain!;
  const openers = persona.phrases?.openers.length ? persona.phrases.openers : profile.defaultOpeners;
  const closers = persona.phrases?.closers.length ? persona.phrases.closers : profile.defaultClosers;
  const hedges = persona.phrases?.hedges ?? [];
  const simplify = profile.simplify || persona.axes.languageProficiency === "A";

  let body = context.body
    .map((sentence) => (simplify ? simplifySentence(sentence) : sentence))
    .filter((s) => s.length > 0);
  if (profile.maxBody !== undefined) body = body.slice(0, profile.maxBody);
  if (persona.axes.recall === "low")
    body = body.map((sentence) =>
      hedgeNumbers(sentence, pick(random, hedges.length ? hedges : ["I think"]) ?? "I think"),
    );

  const parts: string[] = [];
  const confusionEvery = persona.axes.confusion === "high" ? 3 : persona.axes.confusion === "moderate" ? 5 : 0;
  const confused = confusionEvery > 0 && context.turnNumber % confusionEvery === 0;
  const opener = confused
    ? "Hmm, sorry, what was the question, oh yes,"
    : !context.pleasantry && random() < profile.openerChance
      ? pick(random, openers)
      : undefined;
  const closer = context.hasFacts && random() < profile.closerChance ? pick(random, closers) : undefined;

  // Within the sentence limit (counted the way the simulator counts) the facts come first, then
  // the opener, then the closer.
  const limit = persona.sentenceLimit;
  body = body.flatMap(splitSentences).slice(0, limit);
  const joinsFirstSentence = opener !== undefined && /(,|\bbut)$/i.test(opener);
  const openerCost = opener === undefined || joinsFirstSentence ? 0 : splitSentences(opener).length;
  const useOpener = opener !== undefined && body.length + openerCost <= limit;
  const used = body.length + (useOpener ? openerCost : 0);
  const useCloser = closer !== undefined && used + splitSentences(closer).length <= limit;
  if (useOpener && opener) parts.push(joinOpener(opener, body));
  else parts.push(...body);
  if (useCloser && closer) parts.push(closer);
  const spoken = parts.join(" ").replace(/\s+/g, " ").trim();
  return [spoken, ...context.narration.map((line) => `[${line}]`)].filter(Boolean).join("\n");
}

/** An opener that ends in a comma or "but" runs into the first sentence, which loses its capital. */
function joinOpener(opener: string, body: string[]): string {
  const [first, ...rest] = body;
  if (first === undefined) return opener;
  if (/(,|\bbut)$/i.test(opener)) return [`${opener} ${lowerFirst(first)}`, ...rest].join(" ");
  return [opener, first, ...rest].join(" ");
}

function lowerFirst(sentence: string): string {
  return /^I\b/.test(sentence) ? sentence : sentence.charAt(0).toLowerCase() + sentence.slice(1);
}

function simplifySentence(sentence: string): string {
  let result = sentence;
  for (const [pattern, replacement] of SIMPLER_WORDS) result = result.replace(pattern, replacement);
  // Keep the first clause of long sentences: simple speakers say one thing at a time.
  const words = result.split(/\s+/);
  if (words.length > 12) {
    const cut = result.search(/[;,](?=\s)/);
    if (cut > 20) result = `${result.slice(0, cut)}.`;
  }
  return result
    .replace(/\s+([.,;])/g, "$1")
    .replace(/\s+/g, " ")
    .trim();
}

function hedgeNumbers(sentence: string, hedge: string): string {
  if (!/\b(\d+|one|two|three|four|five|six|seven|eight|nine|ten|days?|weeks?|months?|years?)\b/i.test(sentence))
    return sentence;
  return `${hedge.charAt(0).toUpperCase()}${hedge.slice(1)}, ${lowerFirst(sentence)}`;
}
