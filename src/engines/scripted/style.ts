import type { Persona } from "../../domain/index.js";
import { pick } from "../../util/random.js";
import { splitSentences } from "../../util/sentences.js";
import type { AnswerPart, AnswerSentence } from "./answer.js";
import type { SessionMemory } from "./memory.js";

/**
 * The persona's voice: openers and closers from pools large enough that none dominates (one used
 * in this session is not used again until the pool runs out), "As I said" and "Again?" only for
 * facts really told before, no "Yes" before a denial, simpler words for low literacy, and the
 * persona's sentence limit with the facts first. Known personalities have a profile; a user's own
 * personality falls back to `plain` plus the phrases in its file.
 */
interface StyleProfile {
  openerChance: number;
  closerChance: number;
  simplify?: boolean;
  openers: readonly string[];
  closers: readonly string[];
  /** Every reply (but a pleasantry) gets an opener or a closer. */
  alwaysMarked?: boolean;
  /** Said before an answer that only repeats facts already told. */
  repeatOpeners: readonly string[];
}

const PROFILES: Record<string, StyleProfile> = {
  plain: {
    openerChance: 0.35,
    closerChance: 0.2,
    openers: [
      "Well,",
      "Let me think.",
      "Yes, doctor.",
      "I see.",
      "Certainly,",
      "Of course, doctor.",
      "So,",
      "Well, doctor,",
    ],
    closers: [
      "That's about it.",
      "Is there anything else you need to know?",
      "That's all I can think of.",
      "I hope that is useful, doctor.",
      "Let me know if you need more detail.",
      "I think that covers it.",
    ],
    repeatOpeners: ["As I said,", "Like I mentioned,", "As I told you,"],
  },
  anxious: {
    alwaysMarked: true,
    openerChance: 0.85,
    closerChance: 0.8,
    openers: [
      "Oh doctor,",
      "Honestly, I'm so worried...",
      "Um, okay, so...",
      "Oh God,",
      "Doctor, please listen,",
      "It's been terrible, doctor!",
      "I don't know, I'm so nervous,",
      "Okay, okay,",
      "Oh, it's awful,",
      "Sorry, I'm a bit shaky,",
      "Please, doctor,",
      "I've been so scared,",
    ],
    closers: [
      "Is that bad? Is it something serious?",
      "Please tell me it's nothing dangerous.",
      "I'm really scared, doctor.",
      "Could it be something serious?",
      "Should I be worried?",
      "I haven't slept properly worrying about it.",
      "What if it gets worse?",
      "Is it going to be okay?",
      "I keep reading terrible things online.",
      "My family is so worried too.",
      "Will I need to be admitted?",
      "Please be honest with me.",
    ],
    repeatOpeners: ["Like I said, doctor,", "I told you, I'm so worried,", "As I said,"],
  },
  rude: {
    alwaysMarked: true,
    openerChance: 0.7,
    closerChance: 0.5,
    openers: [
      "Ugh.",
      "Look,",
      "Fine.",
      "Seriously?",
      "Okay, okay.",
      "Listen,",
      "What now?",
      "Right.",
      "Whatever.",
      "Hmm.",
    ],
    closers: [
      "Can we hurry this up?",
      "Just give me the medicine.",
      "I've been waiting for two hours.",
      "How long is this going to take?",
      "Are we done?",
      "I don't have all day.",
      "Write something and let me go.",
      "Is that enough?",
    ],
    repeatOpeners: ["Again?", "Are you even listening?", "I already told you,", "I told the nurse already,"],
  },
  overly_patient: {
    alwaysMarked: true,
    openerChance: 0.9,
    closerChance: 0.8,
    openers: [
      "Oh, thank you for asking, doctor.",
      "Please take your time, doctor, there is no hurry at all.",
      "Sorry to trouble you with this, doctor.",
      "Well, let me think,",
      "Ah, yes, you see,",
      "Oh, where do I start,",
      "You are very kind to ask.",
      "Let me tell you properly,",
      "Oh, bless you, doctor,",
      "Well, you know how it is,",
      "If I remember correctly,",
      "Now, let me see,",
    ],
    closers: [
      "But I don't want to take up too much of your time, there are so many people waiting.",
      "My daughter says I talk too much, forgive me.",
      "Anyway, whatever you think is best, doctor.",
      "But please, see the others first if they are worse off.",
      "Forgive me for going on.",
      "I hope that is useful, doctor.",
      "But listen to me chattering away!",
      "You young doctors work so hard.",
      "God bless you for listening.",
      "Anyway, I'm sure it's nothing much.",
    ],
    repeatOpeners: ["As I was saying, doctor,", "Like I mentioned earlier,", "As I told you before, forgive me,"],
  },
  distrustful: {
    alwaysMarked: true,
    openerChance: 0.65,
    closerChance: 0.55,
    openers: [
      "Why do you ask?",
      "Hmm.",
      "If you must know,",
      "I suppose,",
      "Fine, if it helps,",
      "Okay,",
      "Well,",
      "As far as I can tell,",
      "You're writing all this down?",
    ],
    closers: [
      "The last doctor didn't help at all.",
      "I hope this is not another waste of money.",
      "Why does that matter?",
      "Will you actually do something this time?",
      "Nobody ever explains anything.",
      "I've heard that before.",
      "Just tell me what you're writing.",
    ],
    repeatOpeners: ["I already said,", "As I told you,", "Like I said,"],
  },
  self_diagnosing: {
    alwaysMarked: true,
    openerChance: 0.65,
    closerChance: 0.6,
    openers: [
      "Actually, I read about this online.",
      "So, according to what I found on Google,",
      "Right, so,",
      "As I suspected,",
      "Okay, so this fits,",
      "Interesting you ask,",
      "I've been tracking this,",
      "Well, as I understand it,",
    ],
    closers: [
      "I read online it could be something rare, can we test for everything?",
      "My WhatsApp group says I need antibiotics.",
      "Shouldn't we do a full body check-up?",
      "I've made a list of all my symptoms, by the way.",
      "I think a scan would settle it.",
      "I already know what I need, honestly.",
      "Can you check my vitamin D too?",
    ],
    repeatOpeners: ["As I said,", "Like I explained,", "I mentioned this already,"],
  },
  pleasing: {
    alwaysMarked: true,
    openerChance: 0.8,
    closerChance: 0.6,
    openers: [
      "Oh, it's nothing much, but",
      "Yes, doctor,",
      "It's not too bad, but",
      "Sorry, doctor,",
      "I don't want to bother you, but",
      "It's fine really, just",
      "Okay, doctor,",
      "Of course, doctor,",
    ],
    closers: [
      "But really, I can manage.",
      "I don't want to make a fuss.",
      "Whatever you think is right, doctor.",
      "I'm sure it's nothing.",
      "Sorry for the trouble.",
      "You must be very busy.",
      "I'll do whatever you say.",
    ],
    repeatOpeners: ["Like I said, doctor,", "As I mentioned,", "Sorry, as I said,"],
  },
  low_literacy: {
    alwaysMarked: true,
    openerChance: 0.6,
    closerChance: 0.4,
    simplify: true,
    openers: ["Sir,", "Madam,", "Ji,", "Haan ji,", "Doctor sahab,", "Ji doctor,", "Hmm, ji,", "Sir ji,"],
    closers: [
      "I don't know more.",
      "You tell me, sir.",
      "You know better, doctor.",
      "I am not educated, sir.",
      "Please give good medicine.",
      "Ji, that's all.",
    ],
    repeatOpeners: ["I told, sir,", "Same thing, ji,", "I said already,"],
  },
};

const REPEAT_WORDS = /\b(again|as i said|already|like i said|told you)\b/i;
const CONFUSED_OPENERS = ["Hmm, sorry, what was the question, oh yes,", "Sorry, I got lost, yes,", "Wait, oh, yes,"];
const AFFIRMATIVE = /\b(yes|haan|of course|sure|okay|ok|certainly)\b/i;

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
  parts: AnswerPart[];
  /** Sentences after the answer (tangent, theory): said only when the limit leaves room. */
  extra: string[];
  memory: SessionMemory;
}

export interface StyledReply {
  speech: string;
  /** Whether a sentence of the answer made it into the speech (the sentence limit may cut some). */
  includes(sentence: AnswerSentence): boolean;
}

/** Delivers the answer in the persona's voice, within its sentence limit. */
export function styleReply(context: StyleContext): StyledReply {
  const { persona, random, memory, parts } = context;
  const profile = PROFILES[persona.axes.personality] ?? PROFILES.plain!;
  // A persona file's "Again?" or "As I said" is kept for real repeats.
  const ownOpeners = persona.phrases?.openers ?? [];
  const openers = unique([...ownOpeners.filter((phrase) => !REPEAT_WORDS.test(phrase)), ...profile.openers]);
  const repeatOpeners = unique([...ownOpeners.filter((phrase) => REPEAT_WORDS.test(phrase)), ...profile.repeatOpeners]);
  const closers = unique([...(persona.phrases?.closers ?? []), ...profile.closers]);
  const simplify = profile.simplify || persona.axes.languageProficiency === "A";
  const limit = persona.sentenceLimit;

  const factSentences = parts.flatMap((part) => part.sentences.filter((sentence) => sentence.factId));
  const allRepeated = factSentences.length > 0 && factSentences.every((sentence) => sentence.repeated);
  const pleasantry = parts.every((part) => part.pleasantry);
  const denialFirst = parts[0]?.denial === true;
  const hasNews = factSentences.some((sentence) => !sentence.repeated);

  const confusionEvery = persona.axes.confusion === "high" ? 3 : persona.axes.confusion === "moderate" ? 5 : 0;
  let opener: string | undefined;
  if (confusionEvery > 0 && context.turnNumber % confusionEvery === 0) opener = pick(random, CONFUSED_OPENERS);
  else if (allRepeated) opener = freshPick(random, repeatOpeners, memory.patientTurns);
  else if (!pleasantry && random() < profile.openerChance)
    opener = freshPick(
      random,
      openers.filter((candidate) => !denialFirst || !AFFIRMATIVE.test(candidate)),
      memory.patientTurns,
    );
  // The answer's sentences in order; a repeated fact gets "As I said" once (not when the opener does it).
  const kept = new Set<AnswerSentence>();
  const answeredParts = new Set<AnswerPart>();
  const body: string[] = [];
  let markedRepeat = allRepeated && opener !== undefined && repeatOpeners.includes(opener);
  for (const part of parts)
    for (const sentence of part.sentences) {
      let text = simplify ? simplifySentence(sentence.text) : sentence.text;
      if (!text) continue;
      // Two parts of one question may find the same fact ("a net, and mosquitoes?"): say it once.
      if (
        [...kept].some(
          (earlier) => earlier.text === sentence.text || (sentence.factId && earlier.factId === sentence.factId),
        )
      ) {
        kept.add(sentence);
        continue;
      }
      if (sentence.repeated && !markedRepeat) {
        text = `${pick(random, ["As I said,", "Like I mentioned,", "As I told you,"])} ${lowerFirst(text)}`;
        markedRepeat = true;
      }
      // A breathless "I can't breathe properly... since last night... my chest" is one sentence
      // with pauses, not three: cutting it at the limit would drop what it says.
      if (splitSentences(text).length > limit) text = text.replace(/(\.\.\.|…)\s+(?=[a-z])/g, ", ");
      const count = splitSentences(text).length;
      if (body.length === 0 && count > limit) text = splitSentences(text).slice(0, limit).join(" ");
      else if (countOf(body) + count > limit) {
        // Out of sentences, but this one answers a part of the question nothing kept answers
        // ("Any fever or back pain?"): its first clause joins the last sentence.
        // So does the first fact of a part asked on its own ("Sugar BP? Dawai regular?"): the
        // tablets answer the second question though the first answer named the same illnesses.
        const covered = new Set([...kept].flatMap((earlier) => earlier.covers ?? []));
        const last = body.at(-1);
        const partUnanswered = sentence.factId !== undefined && !answeredParts.has(part);
        if (
          last === undefined ||
          (!partUnanswered && !(sentence.covers ?? []).some((concept) => !covered.has(concept)))
        )
          continue;
        // A part's only answer keeps its whole first sentence, so what it says is really said.
        const joined = partUnanswered
          ? `${(splitSentences(text)[0] ?? text).replace(/[.!?]+$/, "")}.`
          : firstClause(text);
        body[body.length - 1] = `${last.replace(/[.!?]+$/, "")}; ${lowerFirst(joined)}`;
        kept.add(sentence);
        answeredParts.add(part);
        continue;
      }
      body.push(text);
      kept.add(sentence);
      answeredParts.add(part);
    }

  // A marked personality always shows itself: with no opener, a closer.
  const wantCloser = random() < profile.closerChance || (profile.alwaysMarked === true && opener === undefined);
  const closer =
    (hasNews || opener === undefined) && !pleasantry && wantCloser
      ? freshPick(random, closers, memory.patientTurns)
      : undefined;

  // Within the limit (counted the way the simulator counts) the facts come first, then the opener,
  // the tangent or theory, then the closer.
  const assemble = (withOpener: boolean, extras: readonly string[], withCloser: boolean) =>
    [
      ...(withOpener && opener ? [joinOpener(opener, body)] : body),
      ...extras,
      ...(withCloser && closer ? [closer] : []),
    ]
      .join(" ")
      .replace(/\s+/g, " ")
      .trim();
  const fits = (text: string) => splitSentences(text).length <= limit;
  const withOpener = opener !== undefined && fits(assemble(true, [], false));
  const extras: string[] = [];
  for (const sentence of context.extra)
    if (fits(assemble(withOpener, [...extras, sentence], false))) extras.push(sentence);
  const withCloser = closer !== undefined && fits(assemble(withOpener, extras, true));
  const speech = assemble(withOpener, extras, withCloser);
  return { speech, includes: (sentence) => kept.has(sentence) };
}

function countOf(sentences: readonly string[]): number {
  return sentences.reduce((sum, sentence) => sum + splitSentences(sentence).length, 0);
}

function unique(items: readonly string[]): string[] {
  return [...new Set(items.filter((item) => item.trim().length > 0))];
}

/**
 * A phrase not yet used in this session when the pool allows; a phrase the session has used
 * already is allowed only when every phrase has been used (then the least used one).
 */
function freshPick(random: () => number, pool: readonly string[], earlier: readonly string[]): string | undefined {
  if (pool.length === 0) return undefined;
  const uses = pool.map((phrase) => earlier.filter((turn) => turn.includes(phrase)).length);
  const least = Math.min(...uses);
  return pick(
    random,
    pool.filter((_, index) => uses[index] === least),
  );
}

/** An opener that ends in a comma, "but" or "..." runs into the first sentence, which loses its capital. */
function joinOpener(opener: string, body: string[]): string {
  const [first, ...rest] = body;
  if (first === undefined) return opener;
  if (/(,|\bbut|\.\.\.)$/i.test(opener)) return [`${opener} ${lowerFirst(first)}`, ...rest].join(" ");
  return [opener, first, ...rest].join(" ");
}

function lowerFirst(sentence: string): string {
  return /^(I\b|I'|[A-Z]{2,})/.test(sentence) ? sentence : sentence.charAt(0).toLowerCase() + sentence.slice(1);
}

/** The first clause of a sentence, ending in a full stop ("No vomiting, no stomach pain." -> "No vomiting."). */
function firstClause(sentence: string): string {
  const first = splitSentences(sentence)[0] ?? sentence;
  const cut = first.search(/[;,](?=\s)/);
  const clause = cut > 10 ? first.slice(0, cut) : first;
  return `${clause.replace(/[.!?]+$/, "").trim()}.`;
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
