import type { Intent } from "./intents.js";

/** Words that ask only a woman's history: periods, a pregnancy of her own, a woman's contraception. */
const WOMAN_ONLY: Partial<Record<string, RegExp>> = {
  obstetric:
    /\b(pregnan\w*|miscarr\w*|deliver\w*|abortion|caesar\w*|c[- ]?section|gravida|conceiv\w*|antenatal|breast ?feed\w*|stillbirth|garbh\w*|expecting|lmp|missed (a |your )?period)\b/i,
  contraception:
    /\b(copper ?t|iud|iucd|(the |oral |contraceptive )pills?|ocp|tubectomy|ligation|antara|mala ?[dn]|chhaya|injection for family planning|contraceptive injection|operation for family planning)\b/i,
};

/** Concepts that only a woman's history has. */
const WOMAN_ONLY_CONCEPTS = new Set(["periods"]);

/** Concepts that belong to the gynaecological label and say nothing else about what is asked. */
const GYNAE_CONCEPTS = new Set(["periods", "pregnancy", "contraception"]);

/** Concepts too broad to stand for a question on their own. */
const BROAD = new Set(["pain", "past", "medicine", "family_members", "home", "occupation", "food"]);

/**
 * How a man answers a question the classifier labelled menstrual, obstetric or contraception:
 * "refuse" ("That doesn't apply to me, I'm a man") only when the question names something of a
 * woman's own history (periods, a pregnancy, the pill or a copper T); "keep" for what a man has
 * too (condoms, a vasectomy); otherwise the question was misread from a stray word ("Wife
 * complains you snore?", "Face gone dark?", "Every winter this cough?") and is asked again as
 * what it names.
 */
export function readWomensHealthForMan(intent: Extract<Intent, { kind: "topic" }>): "refuse" | "keep" | Intent {
  const names = WOMAN_ONLY[intent.topic];
  if (intent.concepts.some((concept) => WOMAN_ONLY_CONCEPTS.has(concept)) || names?.test(intent.text)) return "refuse";
  if (intent.topic === "contraception" && intent.concepts.includes("contraception")) return "keep";
  // "How many children?" asks a father too: the household answers it.
  if (/\b(child|children|kids?|bach+[ae]|son|sons|daughters?|beta|beti)\b/i.test(intent.text))
    return { kind: "topic", topic: "living", concepts: intent.concepts, text: intent.text, confidence: 0.5 };
  const named = intent.concepts.filter((concept) => !GYNAE_CONCEPTS.has(concept));
  return named.some((concept) => !BROAD.has(concept))
    ? { kind: "symptom_check", concepts: named, text: intent.text, people: intent.people }
    : { kind: "unclear" };
}
