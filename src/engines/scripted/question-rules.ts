import type { AnalyzedText } from "./lexicon.js";
import type { QuestionLabel } from "./paraphrases.js";

/**
 * Second looks at the classifier's label where its bag of words is known to mislead: the words
 * are right, but how they relate decides the question. Each rule reads a frame (a verb, a
 * pronoun, a relation between two concepts), never a listed question.
 */

/** Food named as what brings a symptom on: "after oily food", "khane ke baad", "comes after meals". */
const AFTER_FOOD = new RegExp(
  [
    "\\b(after|baad|ke baad|se|with|on|when)\\b[^?.!]*\\b(eat|eating|ate|food|foods|meal|meals|khana|khane|khaana|khaake|khake|oily|fatty|fried|spicy|heavy)\\b",
    "\\b(eat|eating|food|foods|meal|meals|khana|khane|khaana|khaane)\\b[^?.!]*\\b(ke baad|baad|after)\\b",
    "\\b(oily|fatty|fried|spicy|heavy|rich)\\s+(food|foods|meal|meals|khana|khaana|diet)\\b[^?.!]*\\b(comes?|came|starts?|started|begins?|happens?|brings?|causes?|triggers?|aata|aati|hota|hoti|shuru|badhta|badhti)\\b",
  ].join("|"),
  "i",
);

/** Verbs whose subject is the complaint ("comes", "starts", "aata hai"): with food, food is a trigger. */
const COMPLAINT_VERB =
  /\b(comes?|came|starts?|started|begins?|began|happens?|occurs?|gets? worse|worse|increases?|aata|aati|aate|hota|hoti|hote|shuru|badhta|badhti|uthta|uthti)\b/i;

/** Concepts of the diet itself, not of a complaint food might bring on. */
const DIET_CONCEPTS = new Set(["food", "appetite", "fluid_intake", "salt", "alcohol", "tobacco", "water_source"]);

const ICE_LABELS = new Set<QuestionLabel>(["ideas", "concerns", "expectations"]);

/** Question words that ask what: "Sasural wale kuch bolte? Kya darr lagta hai?" asks what the fear is. */
const WHAT = /\b(what|what's|whats|kya|kay|enna|emiti|ki|kon)\b/i;

/** Concepts that say only who or roughly what: a part with no other asks nothing clinical. */
const PLAIN = new Set(["family_members", "home", "occupation", "past", "pain"]);

function namesNothing(concepts: readonly string[]): boolean {
  return concepts.every((concept) => concept.startsWith("cue_") || PLAIN.has(concept));
}

/** Water named: "drink" with it is no alcohol. */
const WATER = /\b(water|paani|pani|neer|thanni|jal)\b/i;
const ALCOHOL_NAMED =
  /\b(alcohol\w*|beer|daru|daaru|sharab|sharaab|whisk\w*|rum|wine|liquor|toddy|peg|pegs|booze|mahua|hadia|handia|raksi)\b/i;

/** "You (just) want ...", "you don't want ...": the patient's expectations put back as a question. */
const EXPECTATION_FRAME =
  /^\s*(?:so\s+|and\s+|ok\s+|okay\s+)?(?:you|u|aap|tum)\s+(?:just\s+|only\s+|really\s+|also\s+)?(?:do\s+not\s+|don'?t\s+|dont\s+|did\s+not\s+)?(?:want|wish|hope|expect|prefer|would like|chahte|chahti)\b/i;

/** Things a patient "wants to" do as a symptom. */
const URGE_CONCEPTS = new Set([
  "urine",
  "stool",
  "vomit",
  "nausea",
  "cough",
  "sleep",
  "urgency",
  "appetite",
  "suicide",
]);

/** "You think it's ...", "u feel it is ...": the patient's idea put back as a question. */
const IDEA_FRAME =
  /^\s*(?:so\s+|and\s+|ok\s+|okay\s+)?(?:you|u|aap|tum)\s+(?:also\s+|really\s+)?(?:think|thought|believe|suspect|guess)\s+(?:(?:it|this|that)(?:'?s| is| was)?|its|it'?s)\b/i;

/**
 * The label a part should get when a frame of its words overrides the classifier's bag of words:
 * food as the trigger of a symptom ("Pain after oily food?", "Comes after khana?") is the
 * aggravating factor, not the diet; "You just want a tablet?" asks the expectations, "You think
 * it's gas?" the ideas. Otherwise the classifier's label.
 */
export function reconsiderLabel(label: QuestionLabel, analysis: AnalyzedText, part: string): QuestionLabel {
  const concepts = analysis.concepts;
  if (label === "diet" && concepts.includes("food")) {
    const complaint = concepts.some((concept) => !concept.startsWith("cue_") && !DIET_CONCEPTS.has(concept));
    if (concepts.includes("cue_worse")) return "aggravating";
    if (concepts.includes("cue_better") && complaint) return "relieving";
    if (AFTER_FOOD.test(part) && (complaint || COMPLAINT_VERB.test(part))) return "aggravating";
  }
  // "Paani kitna peete ho?": drinking water is no alcohol history.
  if (label === "alcohol" && WATER.test(part) && !ALCOHOL_NAMED.test(part))
    return /\b(where|kahan|kaha|kidhar|source|from|boil\w*|filter\w*|ubal\w*)\b/i.test(part) ? "water_source" : "diet";
  // "What's the fear?", "So what's your worry?": the open question's frame around a belief word.
  // "What's bothering you?" stays the open question: only the belief's own word moves it.
  if (label === "open_question" || (!ICE_LABELS.has(label) && namesNothing(concepts) && WHAT.test(part))) {
    if (
      /\b(fear|fears|afraid|scared|frightened|worr\w*|tension|concern\w*|darr?|chinta|fikar|kalji|bhoy|bhay)\b/i.test(
        part,
      )
    )
      return "concerns";
    if (/\b(expect\w*|hoping)\b/i.test(part)) return "expectations";
    if (/\b(think|believe|suspect|idea)\b/i.test(part)) return "ideas";
  }
  // "U want to pass urine often?" is the urge, not an expectation.
  if (
    label !== "expectations" &&
    EXPECTATION_FRAME.test(part) &&
    !concepts.some((concept) => URGE_CONCEPTS.has(concept))
  )
    return "expectations";
  if (label !== "ideas" && label !== "concerns" && IDEA_FRAME.test(part)) return "ideas";
  return label;
}
