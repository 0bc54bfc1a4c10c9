/**
 * Who a question or a fact is about besides the patient: "your husband's job", "Father ko pet ki
 * koi bimari thi?", "Anyone else in the hostel with jaundice?". A question that names another
 * person is answered by the fact that names the same person ("My husband works as a truck
 * cleaner"), not by the patient's own fact on the topic ("I carry bricks on building sites").
 * Written as word lists because the lexicon's `family_members` concept merges every relative into
 * one, and here the particular relative decides the fact.
 */

/** A kind of person other than the patient, and the words (English and Hinglish) that name one. */
const PERSON_WORDS: Readonly<Record<string, RegExp>> = {
  spouse:
    /\b(husband|husbands|wife|wives|spouse|partner|pati|patni|gharwala|gharwali|mister|missus|mrs|hubby|bibi|biwi|begum|saheb ji)\b/,
  father: /\b(father|fathers|dad|daddy|papa|pappa|pitaji|pita|abba|abbu|baap|bapu)\b/,
  mother: /\b(mother|mothers|mom|mum|mummy|mommy|mama ji|mummyji|maa|mataji|mata|ammi|amma|aai)\b/,
  sibling: /\b(brother|brothers|sister|sisters|sibling|siblings|bhai|bhaiya|behen|bahen|didi)\b/,
  child:
    /\b(son|sons|daughter|daughters|child|children|kid|kids|bachcha|bachche|bachchon|beti|betiyan|grandson|granddaughter)\b/,
  grandparent: /\b(grandfather|grandmother|grandparents?|dada|dadi|nana|nani|grandpa|grandma)\b/,
  relative:
    /\b(uncle|uncles|aunt|aunts|aunty|auntie|cousin|cousins|chacha|chachi|mama|mami|mausi|bua|tau|tai|in[- ]laws?|relative|relatives|rishtedar)\b/,
  family: /\b(family|families|parivar|parivaar|ghar (mein|me|main) (kisi|koi|sab))\b/,
  others:
    /\b(anyone else|anybody else|someone else|somebody else|others|other people|people (?:in|at|from|around|near|nearby)|(?:jo|sab|aur|baaki|baki|dusre|doosre) log|kisi aur|koi aur|aur kisi|aur koi|neighbou?rs?|padosi|friends?|dost|colleagues?|co-?workers?|classmates?|roommates?|room ?mates?|hostel ?mates?|villagers?|guests?|men|woman|women|boys|girls|someone|somebody|several|many people)\b/,
};

/** A third person that a later part refers back to ("Husband kya kaam karte hain? *Unko* jalan?"). */
const PERSONAL_PRONOUN = /\b(he|him|his|she|her|hers|unko|unhe|unhein|unka|unki|unke)\b/;

/** The kinds of people other than the patient that a text names, in {@link PERSON_WORDS} order. */
export function peopleNamed(text: string): string[] {
  const lower = text
    .toLowerCase()
    .replace(/[’‘`]/g, "'")
    .replace(/[_]/g, " ")
    // "Do you feel cold more than others?" compares the patient with others: it is about the patient.
    // "Didi, since last night ...": a form of address names nobody the text is about.
    .replace(/(^|[.!?;,]\s*)(didi|bhaiya|bhai|behenji|sister|amma|aunty|uncle|beta|madam|sir)(ji)?\s*,/g, "$1")
    // "Sore throats as a child?" is the patient's own childhood.
    .replace(/\b(as a|when (you|u) (were|was) a|in|since)\s+(child|kid|childhood)\b/g, "")
    .replace(
      /\b(than|compared (to|with)|unlike|like)\s+(most\s+|other\s+|the\s+)?(others|other people|people|anyone else|everyone)\b/g,
      "",
    );
  return Object.entries(PERSON_WORDS)
    .filter(([, pattern]) => pattern.test(lower))
    .map(([kind]) => kind);
}

/**
 * The kinds of people a text has as the subject of one of its sentences ("*My husband* works as a
 * truck cleaner", "*Three boys* from my hostel got yellow eyes"), not only named in passing ("I
 * live with my husband"): such a fact is about them.
 */
export function peopleAsSubject(text: string): string[] {
  const openings = text.split(/[.;:!?]\s*|,\s*(?:and|but)\s+/).map((clause) =>
    clause
      .trim()
      .split(/\s+/)
      .filter(
        (word) =>
          !/^(my|our|his|her|their|the|a|an|two|three|four|several|many|some|younger|elder|older|both|and|also)$/i.test(
            word,
          ),
      )
      .slice(0, 2)
      .join(" "),
  );
  return [...new Set(openings.flatMap((opening) => peopleNamed(opening)))];
}

/**
 * Whether a question is about the other person alone ("Does your husband have burning in urine?",
 * "Mummy ko sugar hai?"), not about the patient with someone else in it ("Does your wife say *you*
 * snore?", "Do *you* live with your husband?").
 */
export function aboutOthersOnly(text: string): boolean {
  const withoutPossessives = text
    .toLowerCase()
    .replace(/[’‘`]/g, "'")
    .replace(/\b(your|ur|aapke|aapki|aapka|apke|apki|apka|tumhare|tumhari|tumhara|apne|apni|apna)\s+\S+/g, " ");
  return !/\b(you|u|aap|ap|tum|tumhe|tumko|aapko|apko|yourself)\b/.test(withoutPossessives);
}

/** Whether a question part points back to a person named before it. */
export function refersToPerson(text: string): boolean {
  return PERSONAL_PRONOUN.test(text.toLowerCase());
}

/**
 * Whether a fact that names `factPeople` is about a person the question names. A named relative
 * is one of the family; "anyone else" or "the family" is any other person.
 */
export function samePerson(questionPeople: readonly string[], factPeople: readonly string[]): boolean {
  if (factPeople.length === 0) return false;
  return questionPeople.some(
    (kind) =>
      factPeople.includes(kind) ||
      kind === "others" ||
      (kind === "family" && factPeople.some((other) => other !== "others")),
  );
}
