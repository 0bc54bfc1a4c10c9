import type { FactTopic } from "../../domain/index.js";

/**
 * What a student's utterance asks for. Most intents are fact topics; the rest are conversational
 * moves (greeting, closing, empathy) or attempts to get the patient out of role.
 */
export type Intent =
  | { kind: "topic"; topic: FactTopic }
  | { kind: "symptom_check"; keywords: string[] }
  | { kind: "examine"; target?: string }
  | { kind: "order_test"; target?: string }
  | { kind: "greeting" }
  | { kind: "open_question" }
  | { kind: "closing" }
  | { kind: "empathy" }
  | { kind: "out_of_role" };

const TOPIC_PATTERNS: readonly (readonly [FactTopic, RegExp])[] = [
  ["identity", /\b(your (full )?name|who are you|what (should|can) i call you|how old|your age|age\b)/],
  [
    "onset",
    /\b(when (did|does|was) (it|this|that|the \w+|they|all this|your \w+) (start|begin|first)|since when|how did (it|this) (start|begin)|onset|started (suddenly|gradually)|sudden(ly)? or gradual(ly)?|first (start|notice))/,
  ],
  ["duration", /\b(how long|how many (days|weeks|months)|for how (long|many)|duration|since when)\b/],
  [
    "location",
    /\b(where (exactly |is |does |do )?(is )?(it|the pain|you feel|does it hurt|it hurt|the ache)|which (part|side|area)|point to|location|spread|radiat|move (anywhere|to))/,
  ],
  [
    "character",
    /\b(what (kind|type|sort) of|describe (the|your|it)|what does it feel like|feel like|sharp|dull|burning|stabbing|crushing|throbbing|character)\b/,
  ],
  [
    "severity",
    /\b(how (bad|severe|strong|intense|much does it hurt|painful)|scale|out of (10|ten)|severity|rate (the|your|it))\b/,
  ],
  [
    "timing",
    /\b(constant|come and go|comes and goes|all the time|time of (the )?day|at night|in the morning|pattern|timing|how often|frequency|continuous)\b/,
  ],
  ["aggravating", /\b(worse|aggravat|trigger|bring(s)? it on|make(s)? it (bad|worse))/],
  [
    "relieving",
    /\b(better|reliev|relief|ease|eases|anything help|helps?\b|tried anything|what have you tried|home remed)/,
  ],
  [
    "associated",
    /\b(any (other|more|further) (symptoms?|problems?|complaints?)|anything else|other symptoms|associated|along with|apart from)/,
  ],
  [
    "past_history",
    /\b(past|previous(ly)?|before|ever had|ever been|medical (history|problems?|conditions?)|illness(es)?|admitted|hospital|operation|surgery|chronic|long[- ]term)/,
  ],
  [
    "medications",
    /\b(medic(ine|ation)s?|tablets?|pills?|drugs?|taking anything|take anything|treatment|prescri|injection)/,
  ],
  ["allergies", /\ballerg/],
  [
    "family_history",
    /\b(family|parents?|father|mother|siblings?|brothers?|sisters?|relatives|runs in|children|wife|husband)\b/,
  ],
  ["tobacco", /\b(smok|tobacco|cigarette|bidi|beedi|gutka|khaini|paan|chew)/],
  ["alcohol", /\b(alcohol|drink(s|ing)?\b|beer|whisk(e)?y|daru|liquor|toddy|arrack)/],
  ["diet", /\b(diet|eat|eating|food|meals?|vegetarian|appetite)\b/],
  ["living", /\b(live with|live alone|living|home|house|stay with|who (else )?lives)\b/],
  ["occupation", /\b(work|job|occupation|for a living|profession|employ)/],
  [
    "social_other",
    /\b(travel|trip|been anywhere|outside|contact|anyone (else|around|at home)|sexual|partner|pets?|animals?|water|mosquito|village|neighbou?r)/,
  ],
  [
    "ideas",
    /\b(what do you think|any idea|your idea|think (it|this) (is|might|could)|what might be|why do you think|cause)/,
  ],
  ["concerns", /\b(worr|concern|afraid|scared|fear|anxious about)/],
  ["expectations", /\b(expect|hoping|hope|what would you like|want (from|me to)|how can i help)/],
];

/** Symptom words a student asks about directly ("Do you have a cough?"), with lay synonyms. */
const SYMPTOM_WORDS: readonly (readonly [RegExp, string[]])[] = [
  [/\bfever|temperature|hot\b/, ["fever", "temperature", "hot", "chills"]],
  [/\bchills?|shiver|rigou?r/, ["chill", "shiver", "rigor", "shaking"]],
  [/\bcough/, ["cough"]],
  [/\bsputum|phlegm|mucus/, ["sputum", "phlegm", "mucus"]],
  [/\bblood\b|bleed/, ["blood", "bleed"]],
  [/\bbreath|breathless|wheez/, ["breath", "wheez"]],
  [/\bchest pain|chest/, ["chest"]],
  [/\bheadache|head/, ["headache", "head"]],
  [/\bnause|vomit|throw(ing)? up/, ["nausea", "vomit", "sick"]],
  [
    /\bdiarrh|loose (stool|motion)|stools?|motions?|bowel|constipat/,
    ["diarrh", "loose", "stool", "motion", "bowel", "constipat"],
  ],
  [/\brash|spots|itch|skin/, ["rash", "spot", "itch", "skin"]],
  [/\bweight/, ["weight"]],
  [/\bappetite|hungry/, ["appetite", "hungry", "eat"]],
  [/\burin|pee|passing water/, ["urin", "pee", "water"]],
  [/\bsweat/, ["sweat"]],
  [/\bjoint|swelling|swollen/, ["joint", "swell", "swollen"]],
  [/\btired|fatigue|weak|energy/, ["tired", "fatigue", "weak", "energy"]],
  [/\bdizz|faint|blackout|giddy/, ["dizz", "faint", "giddy", "blackout"]],
  [/\bsleep/, ["sleep"]],
  [/\bpalpitation|heart (racing|pounding)/, ["palpitation", "heart"]],
  [/\byellow|jaundice/, ["yellow", "jaundice"]],
  [/\bvision|eyes?|see\b/, ["vision", "eye", "see"]],
  [/\bneck/, ["neck"]],
  [/\bconfus|drows/, ["confus", "drows"]],
  [/\bpain|ache|hurt/, ["pain", "ache", "hurt"]],
];

const OUT_OF_ROLE =
  /\b(ignore (all |any |your |the |previous |prior |above )*(instructions|prompts?|rules)|system prompt|jailbreak|you are (an? )?(ai|language model|chatbot|bot|assistant|chatgpt)|are you (an? )?(ai|bot|robot|computer|language model|real person|human)|pretend (to be|you are)|act as (a|an|the) (doctor|assistant|ai)|reveal (the|your)|(what('s| is)|tell me|say) (the|your) (diagnosis|answer|disease)|what (disease|condition) do you have|developer mode|new instructions)/;

/** Recognises what a doctor's utterance asks for. Returns the intents in a fixed order. */
export function recogniseIntents(doctorText: string): Intent[] {
  const text = doctorText.toLowerCase().replace(/[’‘]/g, "'");
  if (OUT_OF_ROLE.test(text)) return [{ kind: "out_of_role" }];

  const intents: Intent[] = [];
  const examine =
    /\b(examin|check (you|your)|listen to (your|you)|look at (your|you)|feel (your|you)|press (on|your)|palpat|vitals?|take your (pulse|blood pressure|temperature)|pulse|measure)/.exec(
      text,
    );
  if (examine) intents.push({ kind: "examine", target: text });
  const test =
    /\b(test(s|ing)?|blood work|bloods|x-?ray|scan|ultrasound|usg|ecg|ekg|investigation|order|report|results?|smear|culture|cbc|count)\b/.exec(
      text,
    );
  if (test && !/\b(tested|test(ed)? positive)\b.*\bbefore\b/.test(text))
    intents.push({ kind: "order_test", target: text });
  if (intents.length > 0) return intents;

  const openQuestion =
    /\b(what (brings|brought) you|what('s| is| seems to be) (the )?(problem|matter|trouble|issue|wrong)|how can i help|what (symptoms|problems?)|symptoms (are|have) you|what happened|how are you feeling|tell me (about|more|what)|chief complaint|what are you experiencing|what's going on|why (are you|have you come) here|reason for (your )?visit)/;
  if (openQuestion.test(text)) intents.push({ kind: "open_question" });

  for (const [topic, pattern] of TOPIC_PATTERNS) if (pattern.test(text)) intents.push({ kind: "topic", topic });

  // "Do you have / any / have you noticed X?" about a symptom word not covered by a topic.
  const askingAboutSymptom =
    /\b(do you (have|get|feel|notice)|have you (had|noticed|got|felt|been)|any\b|is there|are you|did you|does it|noticed)/.test(
      text,
    );
  if (askingAboutSymptom) {
    const keywords = SYMPTOM_WORDS.filter(([pattern]) => pattern.test(text)).flatMap(([, words]) => words);
    const symptomTopicAsked = intents.some(
      (intent) => intent.kind === "topic" && ["associated", "severity", "location", "character"].includes(intent.topic),
    );
    if (keywords.length > 0 && !symptomTopicAsked) intents.push({ kind: "symptom_check", keywords });
  }

  if (intents.length === 0) {
    if (
      /\b(hello|hi|hey|good (morning|afternoon|evening)|namaste|namaskar|welcome|my name is|i am (dr|doctor)|i'm (dr|doctor)|i'm a (medical )?student)\b/.test(
        text,
      )
    )
      intents.push({ kind: "greeting" });
    else if (/\b(thank|that's all|that is all|bye|take care|we're done|finish|see you)\b/.test(text))
      intents.push({ kind: "closing" });
    else if (
      /\b(sorry to hear|must be (hard|difficult|tough|awful)|i understand|i can see|that sounds|don't worry|we will help|we'll help)\b/.test(
        text,
      )
    )
      intents.push({ kind: "empathy" });
  }
  return intents;
}
