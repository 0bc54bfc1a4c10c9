import type { FactTopic } from "../../domain/index.js";
import { pick } from "../../util/random.js";
import type { AnswerContext } from "./answer.js";

/** What the patient says when a topic has no fact in the script: a plain, safe answer. */
export const NOTHING_TO_REPORT: Partial<Record<string, string>> = {
  onset: "I don't remember exactly when it started.",
  duration: "I'm not sure how long exactly.",
  location: "It's hard to say exactly where.",
  character: "I don't know how to describe it.",
  timing: "It's about the same all the time.",
  aggravating: "Nothing in particular makes it worse.",
  relieving: "Nothing has really helped so far.",
  associated: "No, nothing else that I have noticed.",
  negatives: "No, I haven't noticed anything like that.",
  past_history: "I haven't had any serious illness before.",
  medications: "I'm not taking any regular medicines.",
  allergies: "No allergies that I know of.",
  family_history: "Nobody in my family has had anything like this, as far as I know.",
  tobacco: "No, I don't smoke or chew tobacco.",
  alcohol: "No, I don't drink.",
  diet: "I eat normal home food.",
  living: "I live with my family.",
  occupation: "Nothing special about my work.",
  social_other: "No, nothing like that.",
  ideas: "I don't know what it is, doctor. That's why I came.",
  concerns: "I just want to know what is wrong.",
  expectations: "I want to feel better, doctor.",
  mood: "My mood is alright, just worried about this illness.",
  sleep: "My sleep is okay, apart from this problem.",
  self_harm: "No, never. I have not had any thoughts like that.",
  menstrual: "My periods are regular, nothing unusual.",
  obstetric: "No, I'm not pregnant as far as I know.",
  contraception: "We don't use anything special.",
  sexual_history: "Nothing unusual there, doctor.",
  weight_change: "I haven't noticed any change in my weight.",
  fever_pattern: "I haven't had a fever.",
  travel: "No, I haven't travelled anywhere recently.",
  contacts: "No, nobody around me has been ill like this.",
  vaccination: "I had the usual vaccines as a child, I think; nothing recently.",
  water_source: "We drink the normal tap water at home.",
  exercise: "Not much exercise, just my daily work.",
} satisfies Partial<Record<FactTopic | string, string>>;

/** How a concept is named in a plain "No, I haven't had any ..." reply. */
const CONCEPT_NAMES: Readonly<Record<string, string>> = {
  fever: "fever",
  chills: "chills",
  sweat: "sweating",
  cough: "cough",
  sputum: "phlegm",
  blood: "blood",
  breathless: "breathlessness",
  wheeze: "wheezing",
  chest: "chest trouble",
  heart: "palpitations",
  pain: "pain",
  headache: "headache",
  abdomen: "belly trouble",
  nausea: "nausea",
  vomit: "vomiting",
  diarrhoea: "loose motions",
  constipation: "constipation",
  stool: "problem with my motions",
  urine: "urine problem",
  burning: "burning",
  rash: "rash",
  itch: "itching",
  weight: "change in weight",
  appetite: "change in appetite",
  thirst: "extra thirst",
  sleep: "sleep problem",
  tired: "tiredness",
  dizzy: "dizziness",
  jaundice: "yellowness",
  eye: "eye trouble",
  neck: "neck swelling",
  throat: "throat trouble",
  cold: "cold or runny nose",
  back: "back pain",
  joint: "joint pain",
  swelling: "swelling",
  muscle: "body ache",
  numb: "numbness",
  bleed_gum: "bleeding",
  confusion: "confusion",
  discharge: "discharge",
  acidity: "acidity",
  travel: "travel",
  contact: "contact with anyone sick",
};

export function nameOfConcept(concept: string): string | undefined {
  return CONCEPT_NAMES[concept];
}

const LINES: Record<string, readonly string[]> = {
  greeting: ["Hello, doctor.", "Namaste, doctor.", "Good day, doctor.", "Hello.", "Namaste."],
  closing: ["Thank you, doctor.", "Okay, thank you, doctor.", "Thank you so much.", "Alright, doctor, thank you."],
  empathy: [
    "Thank you, doctor. It has been difficult.",
    "Yes, it has not been easy.",
    "Thank you for understanding.",
    "It's been hard, yes.",
  ],
  out_of_role: [
    "I don't understand what you mean, doctor. I only came because I am unwell.",
    "I don't know about all that, doctor. I just want to know why I feel like this.",
  ],
  unclear: ["Sorry, doctor, I didn't understand. Can you ask it another way?", "I'm not sure what you mean, doctor."],
  plan: ["Okay, doctor.", "Alright, if you think so.", "Okay, what happens next?"],
  examine: ["Okay, doctor, go ahead.", "Yes, you can check.", "Alright.", "Okay."],
  order_test: ["Okay, if you think it is needed.", "Alright, doctor.", "Okay.", "Will it take long?"],
};

/** A conversational line (greeting, thanks, empathy acknowledged, ...), before the persona's voice. */
export function conversationalLine(kind: string, context: AnswerContext): string {
  return pick(context.random, LINES[kind] ?? LINES.unclear!)!;
}
