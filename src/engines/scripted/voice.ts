import type { CaseFact, FactTopic } from "../../domain/index.js";
import { hashString } from "../../util/random.js";

/**
 * How a patient says a fact: the case's `patientWords` when given, else a rewrite of the clinical
 * text into first-person lay speech ("Lives with wife and two sons" -> "I live with my wife and two
 * sons"; "Cough with sputum for six weeks" -> "I've had a cough with phlegm for six weeks").
 * Deterministic, so the simulator's disclosure check can compare a reply with it.
 */
export function speakFact(fact: CaseFact): string {
  if (fact.patientWords) return asSentence(fact.patientWords);
  return asSentence(rewrite(fact));
}

/** Clinical words a patient would not say, and what they say instead. */
const LAY_WORDS: readonly (readonly [RegExp, string])[] = [
  [/\babdomen\b/gi, "belly"],
  [/\babdominal\b/gi, "belly"],
  [/\bepigastri(um|c)\b/gi, "upper belly"],
  [/\bumbilicus\b/gi, "navel"],
  [/\bnausea\b/gi, "sickness"],
  [/\bdyspnoea|dyspnea\b/gi, "breathlessness"],
  [/\bhaemoptysis|hemoptysis\b/gi, "blood in my cough"],
  [/\bsputum\b/gi, "phlegm"],
  [/\bpyrexia\b/gi, "fever"],
  [/\bmicturition\b/gi, "passing urine"],
  [/\bdysuria\b/gi, "burning when passing urine"],
  [/\bpolyuria\b/gi, "passing a lot of urine"],
  [/\bpolydipsia\b/gi, "great thirst"],
  [/\bintermittent\b/gi, "on and off"],
  [/\bbilateral(ly)?\b/gi, "on both sides"],
  [/\bradiat(ing|es) to\b/gi, "going to"],
  [/\bassociated with\b/gi, "with"],
  [/\bepisodes?\b/gi, "times"],
  [/\bmalaise\b/gi, "feeling unwell"],
  [/\bpruritus\b/gi, "itching"],
  [/\bmyalgia\b/gi, "body aches"],
  [/\barthralgia\b/gi, "joint pains"],
  [/\bsyncope\b/gi, "fainting"],
  [/\bpalpitations\b/gi, "my heart racing"],
  [/\bhypertension\b/gi, "high BP"],
  [/\bdiabetes mellitus\b/gi, "sugar"],
  [/\bemesis\b/gi, "vomiting"],
  [/\bdiaphoresis\b/gi, "sweating"],
  [/\borthopnoea|orthopnea\b/gi, "breathlessness lying flat"],
  [/\banorexia\b/gi, "no appetite"],
  [/\bc\/o\b/gi, ""],
  [/\bh\/o\b/gi, ""],
  [/\bx ?(\d+) ?days\b/gi, "for $1 days"],
  [/\byrs\b/gi, "years"],
  [/\/day\b/gi, " a day"],
];

/** Fragments that are only a "no" in the case file, said as the patient would for each topic. */
const PLAIN_NO: Partial<Record<FactTopic, string>> = {
  tobacco: "No, I don't smoke or chew tobacco.",
  alcohol: "No, I don't drink.",
  allergies: "No allergies that I know of.",
  medications: "I'm not taking any medicines.",
  past_history: "No, nothing like that before.",
  family_history: "Nobody in my family, as far as I know.",
  vaccination: "I don't remember having any vaccines.",
  self_harm: "No, never anything like that.",
  travel: "No, I haven't gone anywhere.",
  contacts: "No, nobody around me has this.",
};

const SUBJECT_START =
  /^(i|i'm|i've|i'd|my|me|no|not|nothing|never|none|yes|it|it's|its|there|the|this|that|we|our|he|she|they|his|her|sometimes|only|once|since|about|after|before|when|if|usually|mostly|every|each|at|in|on|for|during|just|last|a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d|both|all|some|maybe|perhaps|earlier|recently|yesterday|today|now|most|with|without|even|also|but|because|so|and|then|still|everyone|nobody|mother|father|wife|husband|son|daughter|brother|sister|occasional|rarely|drinks?|smokes?)\b/i;

function rewrite(fact: CaseFact): string {
  let text = fact.text.trim().replace(/[.!]+$/, "");
  if (/^(no|none|nil|nothing|never|denies|nad)\.?$/i.test(text) || /^(non-?smoker|teetotal(l?er)?)$/i.test(text))
    return PLAIN_NO[fact.topic] ?? "No, nothing like that.";
  for (const [pattern, replacement] of LAY_WORDS) text = text.replace(pattern, replacement);
  text = text
    .replace(/^Lives\b/, "I live")
    .replace(/^Works\b/, "I work")
    .replace(/^Has\b/, "I have")
    .replace(/^Had\b/, "I had")
    .replace(/^Takes\b/, "I take")
    .replace(/^Drinks\b/, "I drink")
    .replace(/^Smokes\b/, "I smoke")
    .replace(/^Chews\b/, "I chew")
    .replace(/^Eats\b/, "I eat")
    .replace(/^Denies\b/, "No, no")
    .replace(/^Was\b/, "I was")
    .replace(/^Is\b/, "I am")
    .replace(/^Uses\b/, "I use")
    .replace(/^Married\b/, "I'm married")
    .replace(/^Non-?smoker\b/i, "I don't smoke")
    .replace(/\b(with|and) (wife|husband|son|daughter|sons|daughters|children|parents|mother|father)\b/g, "$1 my $2");
  if (SUBJECT_START.test(text) || /^(\S+\s){0,3}(I|my|I'm|I've)\b/.test(text)) return text;
  return `${frameFor(fact)}${lowerFirst(text)}`;
}

/** A subject for a verbless clinical fragment, by topic; the choice is fixed per fact. */
function frameFor(fact: CaseFact): string {
  const frames: Partial<Record<FactTopic, readonly string[]>> = {
    chief_complaint: ["I've had ", "I'm having "],
    duration: ["It's been ", "For about ", "It has been going on for "],
    associated: ["I've also had ", "There's also ", "Along with that, "],
    past_history: ["In the past, ", "Before this, "],
    medications: ["I've been taking ", "I take "],
    family_history: ["In my family, ", "At home, "],
    occupation: ["For work, ", "My work: "],
    living: ["At home, ", "I live with "],
    diet: ["I eat ", "My food is "],
    location: ["", "Mostly "],
    character: ["It feels like ", "It's "],
    timing: ["It's ", "It comes "],
  };
  const options = frames[fact.topic] ?? ["", "Well, "];
  return options[hashString(fact.id) % options.length]!;
}

function lowerFirst(text: string): string {
  return /^(I\b|[A-Z]{2,}|[A-Z][a-z]+ [A-Z])/.test(text) ? text : text.charAt(0).toLowerCase() + text.slice(1);
}

function asSentence(text: string): string {
  const trimmed = text.trim().replace(/\s+/g, " ");
  const capitalized = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capitalized) ? capitalized : `${capitalized}.`;
}

/**
 * The sentence as a patient with poor recall says it: doses dropped, counts of days and weeks
 * made vague, severity in words. Deterministic, so the session memory recognises it later.
 */
export function vagueAboutNumbers(sentence: string): string {
  return sentence
    .replace(/\b\d+(\.\d+)?\s?(mg|mcg|g|ml|units?)\b/gi, "")
    .replace(
      /\b(\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)( or \w+)? (day|week|month|year|hour)s?\b/gi,
      (_, _count, _alternative, unit: string) => `some ${unit.toLowerCase()}s`,
    )
    .replace(/\b\d+ out of 10\b/g, "quite bad")
    .replace(/\s+([.,;])/g, "$1")
    .replace(/\s+/g, " ")
    .trim();
}
