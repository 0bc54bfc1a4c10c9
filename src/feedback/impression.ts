import type { PatientCase } from "../domain/index.js";
import { normalizeUtterance } from "./classify.js";
import { GENERIC_DISEASE } from "./lexicon.js";
import type { DoctorTurn } from "./score.js";
import type { Impression } from "./types.js";

// Wording that states a working diagnosis ("I think this is ...", "most likely ...").
const STRONG_CUE =
  /\b(i think|i suspect|i believe|i feel (that|it|this|you)|i am (thinking|worried|concerned|suspecting)|my (working |main |provisional |leading |first )?(diagnosis|impression|suspicion|guess)|most likely|likely|probably|possibly|perhaps|could (be|have)|might (be|have)|may (be|have)|looks? like|sounds? like|seems? (like|to be)|consistent with|suggestive of|suggests?|points? (to|towards)|in favou?r of|you (have|have got|are suffering from|suffer from|are having)|this is|it is|(i am|we are) (worried|concerned) (about|that|it)|diagnos\w*)\b/;
// Wording that names a disease only as something to test for.
const WEAK_CUE =
  /\b(rule out|ruling out|exclude|test(ing)? (you )?for|check(ing)? (you )?for|screen(ing)? for|look(ing)? for)\b/;
const OWN_VIEW =
  /\b(i think|i suspect|i believe|my (working |main |provisional )?(diagnosis|impression)|most likely|probably|i am (worried|concerned|thinking))\b/;
const NEGATED = /\b(not|unlikely|doubt|no sign of|rule[sd]? out|ruled out|excluded)\b[^,.;]{0,25}$/;

/** Prepares a disease name for matching: lower case, hyphens as spaces. */
function normalizeTerm(term: string): string {
  return normalizeUtterance(term).replace(/[-_/]/g, " ").replace(/\s+/g, " ").trim();
}

function mentions(sentence: string, term: string): boolean {
  const normalized = normalizeTerm(term);
  if (normalized.length < 2) return false;
  const escaped = normalized.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const match = new RegExp(`\\b${escaped}\\b`).exec(sentence);
  return match !== null && !NEGATED.test(sentence.slice(0, match.index));
}

/**
 * The student's working diagnosis: the last sentence that states one (a disease name with wording
 * such as "I think", "most likely", "you have"; "we will test for ..." counts only when nothing
 * stronger was said), compared with the hidden diagnosis and its aliases.
 */
export function judgeImpression(
  patientCase: PatientCase,
  doctorTurns: readonly DoctorTurn[],
  otherDiagnoses: readonly string[],
): Impression {
  const correctTerms = [patientCase.diagnosis.primary, ...patientCase.diagnosis.aliases];
  const otherTerms = [...patientCase.diagnosis.differentials, ...otherDiagnoses].filter(
    (term) => !correctTerms.some((correct) => normalizeTerm(correct) === normalizeTerm(term)),
  );
  const found: { turn: number; text: string; correct: boolean; strong: boolean }[] = [];
  for (const turn of doctorTurns) {
    for (const sentence of turn.analysis.sentences) {
      const text = sentence.normalized.replace(/[-_/]/g, " ");
      // A question ("Do you have diabetes?") states nothing unless the student says what they think.
      if (sentence.form === "question" && !OWN_VIEW.test(text)) continue;
      const strong = STRONG_CUE.test(text);
      if (!strong && !WEAK_CUE.test(text)) continue;
      const correct = correctTerms.some((term) => mentions(text, term));
      const other = otherTerms.some((term) => mentions(text, term)) || (strong && GENERIC_DISEASE.test(text));
      if (correct || other) found.push({ turn: turn.index, text: sentence.text, correct, strong });
    }
  }
  const diagnosis = patientCase.diagnosis.primary;
  const strongOnes = found.filter((candidate) => candidate.strong);
  const chosen = (strongOnes.length > 0 ? strongOnes : found).at(-1);
  if (!chosen)
    return {
      verdict: "not_stated",
      evidence: [],
      diagnosis,
      note: `No working diagnosis was stated. The diagnosis was ${diagnosis}.`,
    };
  return {
    verdict: chosen.correct ? "correct" : "incorrect",
    stated: chosen.text,
    evidence: [{ turn: chosen.turn, quote: chosen.text }],
    diagnosis,
    note: chosen.correct
      ? `The working diagnosis matches: ${diagnosis}.`
      : `The working diagnosis does not match; the diagnosis was ${diagnosis}.`,
  };
}
