import type { PatientCase } from "../domain/index.js";
import { findDiagnosisLeak, listCaseFacts } from "../domain/index.js";

export { findDiagnosisLeak };
import { splitSentences } from "../util/sentences.js";

/** Why a piece of a reply was withheld. */
export type GuardViolation = { kind: "diagnosis_leak"; term: string } | { kind: "role_break"; pattern: string };

const ROLE_BREAK_PATTERNS: readonly RegExp[] = [
  /\bas an? (ai|artificial intelligence|language model|llm|assistant|chatbot|virtual assistant)\b/i,
  /\b(i am|i'm|i’m) (just |only )?(an? )?(ai|artificial intelligence|large language model|language model|llm|chatbot|virtual assistant|ai assistant|bot)\b/i,
  /\b(i am|i'm|i’m) (a |your )?(doctor|physician|medical professional)\b/i,
  /\b(my|the|your) (system prompt|instructions)\b/i,
  /\b(the|my|a) (likely |probable |most likely |differential )?diagnosis (is|would be|could be)\b/i,
  /\bi (would )?(recommend|prescribe|suggest) (that you|you|a|an|some)\b/i,
  /\b(openai|chatgpt|qwen|llama)\b/i,
];

/** Labels a model sometimes uses when it starts writing the other side of the conversation. */
const OTHER_SPEAKER = /(^|\n)\s*(doctor|dr\.?|student|user|physician|interviewer)\s*:/i;
const OWN_LABEL = /^\s*(patient|assistant|[a-z]+ \(patient\))\s*:\s*/i;

/** Checks a sentence for a leak of the diagnosis or a break of the patient role. */
export function checkSentence(text: string, patientCase: PatientCase): GuardViolation | undefined {
  const term = findDiagnosisLeak(text, patientCase);
  if (term) return { kind: "diagnosis_leak", term };
  for (const pattern of ROLE_BREAK_PATTERNS)
    if (pattern.test(text)) return { kind: "role_break", pattern: pattern.source };
  return undefined;
}

/** The fallback a guard falls back to when everything in the speech is withheld. */
const SAFE_LINE = "I'm not sure, doctor.";

/**
 * Speech with every sentence that fails {@link checkSentence} left out, within `limit` sentences:
 * the scripted fallback passes the same guard as any engine's reply.
 */
export function guardedSpeech(speech: string, patientCase: PatientCase, limit: number): string {
  const kept = splitSentences(speech)
    .filter((sentence) => checkSentence(sentence, patientCase) === undefined)
    .slice(0, limit);
  return kept.length > 0 ? kept.join(" ") : SAFE_LINE;
}

/** A patient-spoken field of a case that names the diagnosis or one of its aliases. */
export interface CaseLeak {
  field: string;
  term: string;
}

/**
 * Every field a patient may say (opening statement, chief complaint, every fact told when asked,
 * and its patient words) that names the diagnosis or an alias: `cases validate` fails on these.
 */
export function findCaseLeaks(patientCase: PatientCase): CaseLeak[] {
  const leaks: CaseLeak[] = [];
  const check = (field: string, text: string | undefined) => {
    const term = text === undefined ? undefined : findDiagnosisLeak(text, patientCase);
    if (term) leaks.push({ field, term });
  };
  check("openingStatement", patientCase.openingStatement);
  check("chiefComplaint", patientCase.chiefComplaint);
  for (const fact of listCaseFacts(patientCase)) {
    if (fact.revealedBy !== "ask" || fact.id === "chief_complaint") continue;
    check(fact.field, fact.text);
    if (fact.patientWords) check(`${fact.field}.patientWords`, fact.patientWords);
  }
  return leaks;
}

/**
 * Cleans raw model text: drops a leading "Patient:" label and cuts the text where the model starts
 * writing the doctor's lines. Returns the kept text and whether a cut happened.
 */
export function cleanSpeakerLabels(text: string): { text: string; cut: boolean } {
  const withoutOwnLabel = text.replace(OWN_LABEL, "");
  const match = OTHER_SPEAKER.exec(withoutOwnLabel);
  if (!match) return { text: withoutOwnLabel, cut: false };
  return { text: withoutOwnLabel.slice(0, match.index), cut: true };
}
