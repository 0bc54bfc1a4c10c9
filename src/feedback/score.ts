import type { CaseFact, DialogueTurn, FactTopic, PatientCase } from "../domain/index.js";
import { listCaseFacts } from "../domain/index.js";
import { detectDisclosedFacts } from "../simulator/disclosure.js";
import { analyzeUtterance, type SentenceAnalysis, type UtteranceAnalysis } from "./classify.js";
import { ITEM_DEFINITIONS } from "./definitions.js";
import { judgeImpression } from "./impression.js";
import type { InquiryTopic } from "./lexicon.js";
import { chooseTips } from "./tips.js";
import {
  COMMUNICATION_ITEM_IDS,
  HISTORY_ITEM_IDS,
  type CommunicationItemId,
  type EncounterFeedback,
  type Evidence,
  type FeedbackItem,
  type HistoryItemId,
} from "./types.js";

export interface FeedbackOptions {
  /**
   * Names of diseases other than the case's (e.g. the knowledge base's names and aliases), so that a
   * wrong working diagnosis is recognised as one; the case's differentials are always included.
   */
  otherDiagnoses?: readonly string[];
}

interface DoctorTurn {
  index: number;
  analysis: UtteranceAnalysis;
  /** The patient's answer, when the next turn is one. */
  answer?: { index: number; text: string };
}

const MAX_QUOTE = 240;

/**
 * Scores a finished interview item by item with the deterministic utterance classifier: every
 * student turn is split into sentences, each classed as an open or closed question, a request or a
 * statement (introduction, empathy, summary, understanding check, closing), with the history topics
 * it asks about; items are then met or missed from those classes, each with the turns that show it.
 */
export function scoreEncounter(
  patientCase: PatientCase,
  turns: readonly DialogueTurn[],
  options: FeedbackOptions = {},
): EncounterFeedback {
  const doctorTurns: DoctorTurn[] = [];
  turns.forEach((turn, index) => {
    if (turn.role !== "doctor") return;
    const next = turns[index + 1];
    doctorTurns.push({
      index,
      analysis: analyzeUtterance(turn.content),
      ...(next?.role === "patient" ? { answer: { index: index + 1, text: next.content } } : {}),
    });
  });
  const facts = listCaseFacts(patientCase);
  const history = scoreHistory(patientCase, facts, doctorTurns);
  const communication = scoreCommunication(doctorTurns, turns);
  const items = [...history, ...communication];
  const impression = judgeImpression(patientCase, doctorTurns, options.otherDiagnoses ?? []);
  return {
    caseId: patientCase.id,
    mode: "deterministic",
    items,
    impression,
    totals: totalsOf(items),
    tips: chooseTips(items, impression),
  };
}

/** Totals per category: met, applicable (met + missed), and all items. */
export function totalsOf(items: readonly FeedbackItem[]): EncounterFeedback["totals"] {
  const total = (category: FeedbackItem["category"]) => {
    const inCategory = items.filter((item) => item.category === category);
    return {
      met: inCategory.filter((item) => item.met).length,
      applicable: inCategory.filter((item) => item.applicable).length,
      total: inCategory.length,
    };
  };
  return { history: total("history"), communication: total("communication") };
}

function quote(text: string): string {
  const clean = text.replace(/\s+/g, " ").trim();
  return clean.length <= MAX_QUOTE ? clean : `${clean.slice(0, MAX_QUOTE - 1)}…`;
}

// ---- history -------------------------------------------------------------------------------

const FACT_TOPIC_ITEM: Partial<Record<FactTopic, HistoryItemId>> = {
  chief_complaint: "presenting_complaint",
  onset: "onset",
  duration: "duration",
  location: "location",
  character: "character",
  severity: "severity",
  timing: "timing",
  aggravating: "aggravating_relieving",
  relieving: "aggravating_relieving",
  associated: "associated_symptoms",
  negatives: "pertinent_negatives",
  past_history: "past_history",
  medications: "medications",
  allergies: "allergies",
  family_history: "family_history",
  tobacco: "tobacco",
  alcohol: "alcohol",
  occupation: "occupation",
  living: "living_situation",
  ideas: "ideas",
  concerns: "concerns",
  expectations: "expectations",
};

function applicableHistory(patientCase: PatientCase): Set<HistoryItemId> {
  const hpi = patientCase.historyOfPresentIllness;
  const present: Record<HistoryItemId, boolean> = {
    presenting_complaint: true,
    onset: true,
    duration: true,
    location: hpi.location !== undefined,
    character: hpi.character !== undefined,
    severity: true,
    timing: hpi.timing !== undefined,
    aggravating_relieving: hpi.aggravating.length + hpi.relieving.length > 0,
    associated_symptoms: hpi.associated.length > 0,
    pertinent_negatives: hpi.negatives.length > 0,
    past_history: patientCase.pastMedicalHistory.length > 0,
    medications: patientCase.medications.length > 0,
    allergies: patientCase.allergies.length > 0,
    family_history: patientCase.familyHistory.length > 0,
    tobacco: true,
    alcohol: true,
    occupation: true,
    living_situation: patientCase.socialHistory.living !== undefined,
    ideas: true,
    concerns: true,
    expectations: true,
  };
  return new Set(HISTORY_ITEM_IDS.filter((id) => present[id]));
}

function scoreHistory(
  patientCase: PatientCase,
  facts: readonly CaseFact[],
  doctorTurns: readonly DoctorTurn[],
): FeedbackItem[] {
  const applicable = applicableHistory(patientCase);
  const evidence = new Map<HistoryItemId, Evidence[]>();
  const credit = (item: HistoryItemId, turn: DoctorTurn, sentence: SentenceAnalysis) => {
    if (evidence.has(item)) return;
    evidence.set(item, [
      { turn: turn.index, quote: quote(sentence.text) },
      ...(turn.answer ? [{ turn: turn.answer.index, quote: quote(turn.answer.text) }] : []),
    ]);
  };
  const complaintWords = new Set(contentWords(`${patientCase.chiefComplaint} ${patientCase.openingStatement}`));
  const told = new Set<string>();

  for (const turn of doctorTurns) {
    const inquiries = turn.analysis.sentences.filter((sentence) => sentence.form !== "statement");
    let recognised = false;
    for (const sentence of inquiries) {
      for (const topic of sentence.topics) {
        recognised = true;
        if (topic === "symptom_check") {
          const item = resolveSymptomCheck(patientCase, sentence, turn.answer?.text, complaintWords);
          if (item) credit(item, turn, sentence);
        } else credit(topic, turn, sentence);
      }
    }
    // The opening question of the interview asks for the presenting complaint.
    if (!evidence.has("presenting_complaint")) {
      const opening = inquiries.find(
        (sentence) => sentence.openness === "open" && !sentence.preliminary && sentence.topics.length === 0,
      );
      if (opening && doctorTurns.indexOf(turn) < 3) credit("presenting_complaint", turn, opening);
    }
    // An inquiry the patterns do not place ("Anything else about it?") is credited with the facts its
    // answer gave for the first time, unless the patient volunteers those anyway.
    if (
      !recognised &&
      turn.answer &&
      inquiries.some(
        (sentence) =>
          !sentence.preliminary &&
          !sentence.acts.includes("checks_understanding") &&
          !sentence.acts.includes("closing"),
      )
    ) {
      for (const id of detectDisclosedFacts(turn.answer.text, facts as CaseFact[])) {
        const fact = facts.find((candidate) => candidate.id === id);
        if (!fact || fact.volunteer || told.has(id)) continue;
        const item = FACT_TOPIC_ITEM[fact.topic];
        const sentence = inquiries.find((candidate) => !candidate.preliminary);
        if (item && sentence && item !== "presenting_complaint") credit(item, turn, sentence);
      }
    }
    if (turn.answer) for (const id of detectDisclosedFacts(turn.answer.text, facts as CaseFact[])) told.add(id);
  }

  return HISTORY_ITEM_IDS.map((id): FeedbackItem => {
    const definition = ITEM_DEFINITIONS[id];
    if (!applicable.has(id))
      return {
        id,
        category: "history",
        met: false,
        applicable: false,
        status: "not_applicable",
        evidence: [],
        note: `Not applicable: the case has nothing for ${definition.label.toLowerCase()}.`,
      };
    const found = evidence.get(id);
    return {
      id,
      category: "history",
      met: found !== undefined,
      applicable: true,
      status: found ? "met" : "missed",
      evidence: found ?? [],
      note: found ? `Asked about ${definition.label.toLowerCase()}.` : `Not asked: ${definition.missed}`,
    };
  });
}

const NEGATIVE_ANSWER =
  /^(\W*(um+|uh+|oh|well|hmm+|doctor|no,? doctor)\W*)*(no\b|nope|not\b|never|none|nothing|i (do not|don't|have not|haven't|did not|didn't|am not|'m not)|nah|na\b|nahi)/i;

/**
 * A question about one symptom ("Any vomiting?") is about an associated symptom when the case lists
 * it as one, a pertinent negative when the case lists it as absent; otherwise the answer decides
 * (a "no" makes it a negative). A question only about the presenting complaint's own words counts
 * for neither.
 */
function resolveSymptomCheck(
  patientCase: PatientCase,
  sentence: SentenceAnalysis,
  answer: string | undefined,
  complaintWords: ReadonlySet<string>,
): HistoryItemId | undefined {
  const isComplaint = (word: string) => [...complaintWords].some((other) => stem(other) === stem(word));
  const words = sentence.symptoms.flatMap(contentWords);
  const stems = words.filter((word) => !isComplaint(word)).map(stem);
  // A question only about the presenting complaint's own words ("Any fever now?") is neither.
  if (words.length > 0 && stems.length === 0) return undefined;
  const mentions = (facts: readonly { text: string }[]) =>
    facts.some((fact) => contentWords(fact.text).some((word) => stems.includes(stem(word))));
  const hpi = patientCase.historyOfPresentIllness;
  if (mentions(hpi.negatives)) return "pertinent_negatives";
  if (mentions(hpi.associated)) return "associated_symptoms";
  if (answer === undefined) return "associated_symptoms";
  return NEGATIVE_ANSWER.test(answer.trim()) ? "pertinent_negatives" : "associated_symptoms";
}

const STOP_WORDS = new Set(
  "a an the and or of in on at to for with from my your i you it is are was were be been have has had do does did no not any some this that there since about very much more less than into over just".split(
    " ",
  ),
);

function contentWords(text: string): string[] {
  return (text.toLowerCase().match(/[a-z]+/g) ?? []).filter((word) => word.length > 2 && !STOP_WORDS.has(word));
}

function stem(word: string): string {
  return word.replace(/(ing|ed|es|s|ness|y)$/, "").slice(0, 6);
}

// ---- communication ---------------------------------------------------------------------------

function scoreCommunication(doctorTurns: readonly DoctorTurn[], turns: readonly DialogueTurn[]): FeedbackItem[] {
  const results = new Map<CommunicationItemId, { met: boolean; evidence: Evidence[]; note: string }>();
  const firstWith = (act: SentenceAnalysis["acts"][number], from = 0, to = doctorTurns.length) => {
    for (const turn of doctorTurns.slice(from, to)) {
      const sentence = turn.analysis.sentences.find((candidate) => candidate.acts.includes(act));
      if (sentence) return { turn, sentence };
    }
    return undefined;
  };
  const lastWith = (act: SentenceAnalysis["acts"][number], from: number) => {
    for (const turn of doctorTurns.slice(from).reverse()) {
      const sentence = turn.analysis.sentences.find((candidate) => candidate.acts.includes(act));
      if (sentence) return { turn, sentence };
    }
    return undefined;
  };
  const evidenceOf = (found: { turn: DoctorTurn; sentence: SentenceAnalysis }) => [
    { turn: found.turn.index, quote: quote(found.sentence.text) },
  ];

  // Introduction: name and role, in the first few turns.
  const name = firstWith("introduction_name", 0, 3);
  const role = firstWith("introduction_role", 0, 3);
  const introEvidence = [name, role]
    .filter((found) => found !== undefined)
    .filter((found, index, all) => all.findIndex((other) => other.turn === found.turn) === index)
    .flatMap(evidenceOf);
  results.set("introduction", {
    met: Boolean(name && role),
    evidence: introEvidence,
    note:
      name && role
        ? "Gave name and role."
        : name
          ? "Gave a name but not a role (student, doctor)."
          : role
            ? "Gave a role but not a name."
            : "Did not introduce themself by name and role.",
  });

  // Open opening question: the first question that takes history is open.
  let opening: { turn: DoctorTurn; sentence: SentenceAnalysis } | undefined;
  for (const turn of doctorTurns) {
    const sentence = turn.analysis.sentences.find(
      (candidate) =>
        candidate.form !== "statement" && !candidate.preliminary && !candidate.acts.includes("tag_question"),
    );
    if (sentence) {
      opening = { turn, sentence };
      break;
    }
  }
  const openingIsOpen = opening?.sentence.openness === "open";
  results.set("open_opening_question", {
    met: openingIsOpen,
    evidence: opening ? evidenceOf(opening) : [],
    note: !opening
      ? "Asked no questions."
      : openingIsOpen
        ? "Opened with an open question."
        : 'The first question was closed; start with an open one ("What brings you in today?").',
  });

  const simple = (
    id: CommunicationItemId,
    act: SentenceAnalysis["acts"][number],
    metNote: string,
    missedNote: string,
  ) => {
    const found = firstWith(act);
    results.set(id, {
      met: Boolean(found),
      evidence: found ? evidenceOf(found) : [],
      note: found ? metNote : missedNote,
    });
  };
  simple(
    "empathy",
    "empathy",
    "Acknowledged the patient's feelings.",
    "Did not acknowledge the patient's emotion or concern.",
  );
  simple(
    "summarising",
    "summary",
    "Summarised what the patient said.",
    "Did not summarise the history back to the patient.",
  );
  simple(
    "checks_understanding",
    "checks_understanding",
    "Checked understanding or invited questions.",
    "Did not check the patient's understanding or invite questions.",
  );

  // Jargon: met unless an unexplained term was used; the evidence quotes it.
  const jargonTurns = doctorTurns.flatMap((turn) =>
    turn.analysis.sentences.filter((sentence) => sentence.jargon.length > 0).map((sentence) => ({ turn, sentence })),
  );
  results.set("avoids_jargon", {
    met: jargonTurns.length === 0,
    evidence: jargonTurns.flatMap(evidenceOf),
    note:
      jargonTurns.length === 0
        ? "No unexplained medical jargon."
        : `Unexplained jargon: ${[...new Set(jargonTurns.flatMap((found) => found.sentence.jargon))].join(", ")}.`,
  });

  // One question at a time: met unless questions were stacked.
  const stacked = doctorTurns.filter((turn) => turn.analysis.stacked);
  results.set("one_question_at_a_time", {
    met: stacked.length === 0,
    evidence: stacked.map((turn) => ({ turn: turn.index, quote: quote(turns[turn.index]!.content) })),
    note: stacked.length === 0 ? "Asked one question at a time." : `Stacked questions in ${stacked.length} turn(s).`,
  });

  // Closing: next steps or a close in the last three student turns.
  const closing = lastWith("closing", Math.max(0, doctorTurns.length - 3));
  results.set("closing", {
    met: Boolean(closing),
    evidence: closing ? evidenceOf(closing) : [],
    note: closing
      ? "Closed the encounter or explained next steps."
      : "Did not explain next steps or close the encounter.",
  });

  return COMMUNICATION_ITEM_IDS.map((id): FeedbackItem => {
    const result = results.get(id)!;
    return {
      id,
      category: "communication",
      met: result.met,
      applicable: true,
      status: result.met ? "met" : "missed",
      evidence: result.evidence,
      note: result.note,
    };
  });
}

export type { DoctorTurn };
export type { InquiryTopic };
