import { listCaseFacts, type PatientCase, type Persona } from "../domain/index.js";
import type { KnowledgeBase } from "../knowledge/index.js";
import { checkSentence } from "../simulator/guard.js";
import { NUMBER_WORDS } from "../util/number-words.js";
import { splitSentences } from "../util/sentences.js";

/** Why a patient turn was rejected. */
export interface TurnViolation {
  kind: "diagnosis_leak" | "role_break" | "contradiction" | "persona";
  detail: string;
}

const WORD = Object.keys(NUMBER_WORDS).join("|");
// A number (digits, a word, or "seventy-two") and a unit of time.
const QUANTITY = new RegExp(`\\b(\\d+|(?:${WORD})(?:[\\s-](?:${WORD}))?)[\\s-]+(hour|day|week|month|year)s?\\b`, "gi");

function numberValue(text: string): number {
  if (/^\d+$/.test(text)) return Number(text);
  return text
    .toLowerCase()
    .split(/[\s-]+/)
    .reduce((sum, word) => sum + (NUMBER_WORDS[word] ?? 0), 0);
}
const UNIT_DAYS: Readonly<Record<string, number>> = { hour: 1 / 24, day: 1, week: 7, month: 30, year: 365 };
const NEGATION = /\b(no|not|never|nothing|none|don't|do not|haven't|have not|hasn't|didn't|without|neither|nor)\b/i;

/** Durations said in a text, normalised ("three days" → "3 day"). */
export function quantitiesIn(text: string): string[] {
  return [...text.matchAll(QUANTITY)]
    .filter((match) => !/^an?$/i.test(match[1]!) || isDurationContext(text, match.index, match[0].length))
    .map((match) => `${numberValue(match[1]!)} ${match[2]!.toLowerCase()}`);
}

/** "for a week", "a month ago" are durations; "twice a day", "ten cigarettes a day" are rates. */
function isDurationContext(text: string, index: number, length: number): boolean {
  const before = /(\w+)\W*$/.exec(text.slice(0, index))?.[1]?.toLowerCase() ?? "";
  return (
    [
      "for",
      "about",
      "almost",
      "over",
      "nearly",
      "only",
      "just",
      "past",
      "last",
      "than",
      "within",
      "since",
      "around",
    ].includes(before) || /^\s+ago\b/i.test(text.slice(index + length))
  );
}

/** The knowledge base's symptoms a text mentions, by the lexicon's keywords. */
export function symptomsIn(text: string, kb: KnowledgeBase): string[] {
  const lower = text.toLowerCase();
  return symptomPatterns(kb)
    .filter(([, pattern]) => pattern.test(lower))
    .map(([id]) => id);
}

const patternCache = new WeakMap<KnowledgeBase, [string, RegExp][]>();

/** One compiled pattern per symptom (any of its keywords at a word start), cached per knowledge base. */
function symptomPatterns(kb: KnowledgeBase): [string, RegExp][] {
  let patterns = patternCache.get(kb);
  if (!patterns) {
    patterns = Object.entries(kb.symptoms).map(([id, entry]) => [
      id,
      new RegExp(
        `\\b(${(entry.keywords.length ? entry.keywords : [entry.lay]).map((keyword) => escape(keyword.toLowerCase())).join("|")})`,
      ),
    ]);
    patternCache.set(kb, patterns);
  }
  return patterns;
}

/** A normalised quantity ("3 week") in days. */
function inDays(quantity: string): number {
  const [count, unit] = quantity.split(" ");
  return Number(count) * (UNIT_DAYS[unit ?? ""] ?? 1);
}

/** What the facts of a case say the patient has and has not, by symptom, and which durations they state. */
export interface FactProfile {
  present: Set<string>;
  absent: Set<string>;
  quantities: Set<string>;
  severity: number;
}

/** What the facts allow; the persona's own phrases ("I've been waiting for two hours") may add durations. */
export function factProfile(patientCase: PatientCase, kb: KnowledgeBase, persona?: Persona): FactProfile {
  const present = new Set<string>();
  const absent = new Set<string>();
  const quantities = new Set<string>();
  const texts = [
    ...listCaseFacts(patientCase)
      .filter((fact) => fact.revealedBy === "ask")
      .map((fact) => fact.text),
    patientCase.openingStatement,
    patientCase.chiefComplaint,
  ];
  for (const text of texts) {
    for (const quantity of quantitiesIn(text)) quantities.add(quantity);
    // By clause, not by topic: "No weight loss; actually I have gained weight" denies one and states the other.
    for (const clause of clauses(text))
      for (const symptom of symptomsIn(clause, kb)) (NEGATION.test(clause) ? absent : present).add(symptom);
  }
  quantities.add(`${patientCase.demographics.age} year`);
  if (persona?.phrases)
    for (const phrase of [...persona.phrases.openers, ...persona.phrases.closers, ...persona.phrases.hedges])
      for (const quantity of quantitiesIn(phrase)) quantities.add(quantity);
  return { present, absent, quantities, severity: patientCase.historyOfPresentIllness.severity };
}

/**
 * Checks one patient turn against the case facts and the persona: it must not name the diagnosis,
 * break the patient role, state a duration or severity the facts do not, claim a symptom the facts
 * deny, deny one the facts state, or run past the persona's sentence limit. Returns the first
 * problem found, or undefined.
 */
export function checkPatientTurn(
  text: string,
  patientCase: PatientCase,
  kb: KnowledgeBase,
  options: { persona?: Persona; profile?: FactProfile } = {},
): TurnViolation | undefined {
  const spoken = text
    .split("\n")
    .filter((line) => !/^\s*\[/.test(line))
    .join(" ");
  const guard = checkSentence(spoken, patientCase);
  if (guard)
    return guard.kind === "diagnosis_leak"
      ? { kind: "diagnosis_leak", detail: `names the diagnosis ("${guard.term}")` }
      : { kind: "role_break", detail: `breaks the patient role (/${guard.pattern}/)` };
  const profile = options.profile ?? factProfile(patientCase, kb, options.persona);
  for (const quantity of quantitiesIn(spoken)) {
    // "a week" agrees with "seven days": durations compare in days, within 15%.
    const days = inDays(quantity);
    if (
      !profile.quantities.has(quantity) &&
      ![...profile.quantities].some(
        (stated) => Math.abs(inDays(stated) - days) <= 0.15 * Math.max(days, inDays(stated)),
      )
    )
      return { kind: "contradiction", detail: `says "${quantity}(s)", which no fact states` };
  }
  const severity = /\b(\d+|ten)\s*(out of|\/)\s*(10|ten)\b/i.exec(spoken);
  if (severity && Number(severity[1] === "ten" ? 10 : severity[1]) !== profile.severity)
    return { kind: "contradiction", detail: `rates severity ${severity[1]}, the facts say ${profile.severity}` };
  for (const clause of clauses(spoken)) {
    const negated = NEGATION.test(clause);
    for (const symptom of symptomsIn(clause, kb)) {
      if (!negated && profile.absent.has(symptom) && !profile.present.has(symptom))
        return { kind: "contradiction", detail: `claims ${symptom}, which the facts deny` };
      if (negated && profile.present.has(symptom) && !profile.absent.has(symptom))
        return { kind: "contradiction", detail: `denies ${symptom}, which the facts state` };
    }
  }
  if (options.persona) {
    const sentences = countSentences(spoken);
    if (sentences > options.persona.sentenceLimit)
      return { kind: "persona", detail: `${sentences} sentences, the persona allows ${options.persona.sentenceLimit}` };
  }
  return undefined;
}

/** Sentences of a reply, counted as the simulator and the scripted engine count them against the persona's limit. */
export function countSentences(spoken: string): number {
  return splitSentences(spoken).filter((part) => /[\p{L}\p{N}]/u.test(part)).length;
}

/** Hedges that contain a negation word but deny nothing ("not sure", "I don't know"). */
const HEDGES =
  /\b(not sure|(i )?(don't|do not) (know|remember|understand)( exactly)?|not exactly|not too bad|nothing (else|special|serious|much|in particular|dangerous))\b/gi;

/** Clauses: sentences, split again at "but" so "It's not bad, but I have a rash" keeps its polarity apart; hedges removed. */
function clauses(text: string): string[] {
  return text
    .replace(HEDGES, " ")
    .split(/[.!?;]+|,?\s*\bbut\b/i)
    .map((part) => part.trim())
    .filter(Boolean);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
