/**
 * Clean-up of a doctor's utterance before it is split and classified: the words that say how it is
 * asked, not what. A form of address ("Didi, ...", "bhai fever kab se?") is not a relative; a tag
 * ("..., no?", "... hai na?", "..., right?") turns a statement into a question without changing
 * what it asks; and in a sequence ("pehle ... phir ...") "pehle" is "at first", not "before" (a
 * past illness).
 */

/** Forms of address in Indian clinics (Hindi, Bengali, Marathi, Gujarati, Tamil, Telugu, Malayalam, Nepali). */
const ADDRESS_WORDS =
  "uncle|uncleji|aunty|auntie|auntyji|bhaiya|bhaiyya|bhai|didi|dada|dadi|nana|nani|amma|appa|anna|akka|sir|madam|ma'?am|mam|beta|babu|behen|behenji|mataji|pitaji|chacha|chachi|mausi|sahab|saheb|ji|sister|brother|boss|ben|bhabhi|tai|aaji|kaka|kaki|mama|mami|chetta|chettan|chechi|thambi|garu|boudi|mashi|mashima|kaku|dai|bhauju|aunty ji|uncle ji";

/** Words right after a kin word that make it the subject ("bhai ko bhi fever?", "didi has it too?"), not an address. */
const SUBJECT_MARKERS =
  "ko|ke|ki|ka|kaa|ne|bhi|se|la|lo|ku|kku|has|have|had|is|was|also|and|or|aur|ya|did|does|do|got|gets|too|s|ever|never|smoke|smokes|drink|drinks|with|died|passed|suffer\\w*|diagnosed|takes|taking|on|wala|wali|waale|log|logon|sab|dard|mein|me|pe|par|ghum\\w*|ghoom\\w*|bhari|bhaari|blocker\\w*";

/**
 * A form of address at the start or end ("Uncle, what's the trouble?", "..., didi?") says who is
 * asked, not what: "uncle" there is no relative, "sister" no sibling.
 */
const ADDRESS = new RegExp(
  `^(\\s*(?:(?:hi|hello|hey|namaste|namaskar|namaskaram|vanakkam|salaam|good (?:morning|afternoon|evening)|ok|okay|achha|acha|so|and)\\s+)?)(?:${ADDRESS_WORDS})(?:ji)?\\s*[,:]\\s*|\\s*,\\s*(?:${ADDRESS_WORDS})(?:ji)?\\s*(?=[?.!]*\\s*$)`,
  "gi",
);

/**
 * The same forms of address without a comma ("What do you do for a living amma?", "Amma what
 * happened?"), taken as address only next to a question word or a "you": "Amma ko bhi sugar?"
 * asks about the mother.
 */
const BARE_ADDRESS =
  /\s+(?:uncle|uncleji|aunty|auntie|auntyji|bhaiya|didi|amma|appa|anna|akka|sir|madam|ma'?am|mam|beta|babu|behenji|mataji|sahab|saheb|ji)(?:ji)?(?=\s*[?.!]*\s*$)(?<=\b(?:you|your|u|ur|aap|aapko|aapka|aapki|tum|tumhe|tumko|tumhara|tumhari)\b.*)|^(\s*)(?:uncle|uncleji|aunty|auntie|bhaiya|didi|amma|appa|anna|akka|sir|madam|ma'?am|mam|beta|babu|behenji|mataji|sahab|saheb)(?:ji)?\s+(?=(?:what|how|when|where|why|which|tell|do|does|did|are|is|have|has|kya|kaise|kab|kahan|kitna|kitne|kitni|batao|bataiye|aap|aapko|tum)\b)/gi;

/**
 * A kin word that opens the utterance and is not followed by a case marker or a verb of its own
 * ("Didi raat se kitni baar?", "Bhai fever kab se hai?") is how a hurried student addresses the
 * patient: "Bhai ko bhi fever?" and "Didi has the same?" keep theirs.
 */
const LEADING_ADDRESS = new RegExp(
  `^(\\s*)(?:${ADDRESS_WORDS})(?:ji)?\\s+(?!(?:${SUBJECT_MARKERS})\\b)(?=[\\p{L}\\p{N}])`,
  "iu",
);

/**
 * A kin word inside the utterance set off by a comma after it ("bukhaar kab se hai bhaiya, aur
 * ..."): a vocative. One after "your", "aapke" or another kin word is a person asked about.
 */
const INNER_ADDRESS = new RegExp(
  `(?<![,/&-]|\\b(?:your|ur|my|his|her|their|aapke|aapki|aapka|tumhare|tumhari|tumhara|mere|meri|unke|unki|ke|ki|ka|and|or|aur|ya|${ADDRESS_WORDS}))\\s+(?:${ADDRESS_WORDS})(?:ji)?\\s*(?=,(?!\\s*(?:${ADDRESS_WORDS})\\b))`,
  "giu",
);

/**
 * A tag at the end that asks for agreement ("..., no?", "... na?", "..., is it?", "..., right?",
 * "aisa hota hai na?", "... hai ki nahi?"): the question is the statement before it.
 */
const TAG_QUESTION = new RegExp(
  [
    // Hindi and South Indian tags need no comma: "... hota hai na?", "... alle?"
    "\\s+(?:(?:aisa|waisa|aise|vaisa)\\s+(?:hi\\s+)?(?:hota|hoti|hote|hua|hai|tha|thi)(?:\\s+(?:hai|tha|thi))?\\s+(?:na|naa|nahi|ki nahi)|(?:hai|hain|tha|thi|hota hai|hoti hai)\\s+(?:na|naa|ki nahi|ya nahi)|haina|hai na|na|naa|ya nahi|ki nahi|or not|alle|illa|ledha|ante|hoina)",
    // English tags only after a comma or dash: "Which side, left or right?" keeps its "right".
    "\\s*[,–—-]\\s*(?:yes or no|no|nope|right|correct|true|is it|isn't it|isnt it|is that so|innit|ok|okay|eh|na|naa)",
  ]
    .map((alternative) => `(?:${alternative})`)
    .join("|")
    .replace(/^/, "(?:")
    .concat(")\\s*[?!.]*\\s*$"),
  "i",
);

/**
 * "pehle ... phir ..." (first ... then ...): in a sequence "pehle" is "at first" of this illness,
 * not a past illness. "Pehle bhi" and "pehle kabhi" (ever before) keep their meaning.
 */
const SEQUENCE_FIRST =
  /\b(?:pehle|pahle|pehley|pahile)\b(?!\s+(?:bhi|kabhi|kbhi)\b)(?=[^?.!]*\b(?:phir|fir|then|uske baad|baad mein|later)\b)/gi;

/**
 * "Is it going to the left arm?", "goes to your back?": a complaint that goes to a body part
 * spreads there (the location), not a plan ("going to") or travel.
 */
const RADIATION =
  /\b(?:go|goes|going|went|gone|travel(?:s|ling|led)?|move(?:s|d)?|moving|shoot(?:s|ing)?|pass(?:es|ing)?)\s+(?:up\s+|down\s+)?(?:to|into|towards|till|upto)\s+(?=(?:the\s+|your\s+|ur\s+|his\s+|her\s+|left\s+|right\s+|other\s+|both\s+|lower\s+|upper\s+)*(?:arms?|jaw|back|shoulders?|neck|legs?|groin|chest|hands?|side|stomach|belly|tummy|thighs?|head|eyes?|teeth|left|right|fingers?|elbows?|knees?|testis|testicles?|flank|loin|abdomen)\b)/gi;

/** Strips forms of address and agreement tags, and reads a "pehle ... phir" sequence as "at first ... then". */
export function normalizeUtterance(original: string): string {
  const text = original
    .replace(ADDRESS, (_match, greeting?: string) => (greeting?.trim() ? `${greeting.trim()}, ` : ""))
    .replace(BARE_ADDRESS, (_match, lead?: string) => lead ?? "")
    .replace(LEADING_ADDRESS, (_match, lead?: string) => lead ?? "")
    .replace(INNER_ADDRESS, "")
    .split(/(?<=[?!])\s+/)
    .map((sentence) => withoutTag(sentence))
    .join(" ")
    .replace(SEQUENCE_FIRST, "at first")
    .replace(RADIATION, "spreads to ")
    .trim();
  return text || original;
}

/** One sentence without its agreement tag, keeping its question mark; a sentence that is only a tag stays. */
function withoutTag(sentence: string): string {
  const stripped = sentence.replace(TAG_QUESTION, "");
  if (stripped === sentence || !/[\p{L}\p{N}]{2,}/u.test(stripped)) return sentence;
  return `${stripped.replace(/[\s,;:–—-]+$/, "")}?`;
}
