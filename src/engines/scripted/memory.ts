import type { CaseFact, DialogueTurn } from "../../domain/index.js";
import { speakFact, vagueAboutNumbers } from "./voice.js";

const STOP_WORDS = new Set(
  "a an the and or but of to in on at for with from by is are was were be been it its this that i my me we our you your he she they them his her have has had do does did not no so very just some any all about like than then there when what which who since after before also only more most much many into out up down over as if i've i'm it's doctor".split(
    " ",
  ),
);

function contentWords(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter(
    // Numbers count whatever their length: "8 out of 10" is said when "8" and "10" are.
    (word) => (word.length > 2 || /^\d+$/.test(word)) && !STOP_WORDS.has(word),
  );
}

const formsCache = new WeakMap<CaseFact, string[][]>();

/** The ways a fact may be said: the case text, the case's patient words, the lay rewrite. */
function factForms(fact: CaseFact): string[][] {
  let forms = formsCache.get(fact);
  if (!forms) {
    const spoken = fact.revealedBy === "ask" ? speakFact(fact) : "";
    // A simple speaker says the first clause only ("The cough started six weeks ago.").
    const firstClause = spoken.split(/[;,:]/)[0] ?? "";
    forms = [
      ...new Set([
        fact.text,
        fact.patientWords ?? "",
        spoken,
        contentWords(vagueAboutNumbers(spoken)).length >= 3 ? vagueAboutNumbers(spoken) : "",
        contentWords(vagueAboutNumbers(firstClause)).length >= 3 ? vagueAboutNumbers(firstClause) : "",
      ]),
    ]
      .filter(Boolean)
      .map((form) => [...new Set(contentWords(form))])
      .filter((words) => words.length > 0);
    formsCache.set(fact, forms);
  }
  return forms;
}

interface FormIndex {
  /** Per fact, per form: how many distinct content words it has. */
  sizes: number[][];
  /** Content word -> the (fact, form) pairs that contain it. */
  postings: Map<string, [number, number][]>;
  /** Where each fact's forms start in a flat array of counters. */
  offsets: number[];
  total: number;
}

const formIndexes = new WeakMap<readonly CaseFact[], FormIndex>();

function formIndexOf(facts: readonly CaseFact[]): FormIndex {
  let index = formIndexes.get(facts);
  if (index) return index;
  const sizes: number[][] = [];
  const postings = new Map<string, [number, number][]>();
  facts.forEach((fact, factIndex) => {
    const forms = fact.id === "identity" ? [] : factForms(fact);
    sizes.push(forms.map((form) => form.length));
    forms.forEach((form, formIndex) => {
      for (const word of form) {
        const list = postings.get(word) ?? [];
        list.push([factIndex, formIndex]);
        postings.set(word, list);
      }
    });
  });
  const offsets: number[] = [];
  let total = 0;
  for (const forms of sizes) {
    offsets.push(total);
    total += forms.length;
  }
  index = { sizes, postings, offsets, total };
  formIndexes.set(facts, index);
  return index;
}

/**
 * Which facts a text says: a fact counts when, for one of its forms, at least 60% of its content
 * words (and at least three of them, or all when it has fewer) appear in the text.
 */
export function findFactsSaid(text: string, facts: readonly CaseFact[]): string[] {
  const { sizes, postings, offsets, total } = formIndexOf(facts);
  const hits = new Int32Array(total);
  for (const word of new Set(contentWords(text)))
    for (const [factIndex, formIndex] of postings.get(word) ?? []) hits[offsets[factIndex]! + formIndex]!++;
  const said: string[] = [];
  facts.forEach((fact, factIndex) => {
    const found = sizes[factIndex]!.some((size, formIndex) => {
      const count = hits[offsets[factIndex]! + formIndex]!;
      return count / size >= 0.6 && count >= Math.min(3, size);
    });
    if (found) said.push(fact.id);
  });
  return said;
}

/** What the session so far tells the patient: facts already said, and how the student has been. */
export interface SessionMemory {
  saidFactIds: Set<string>;
  /** The student explained why they ask or showed empathy earlier (a distrustful patient opens up). */
  rapport: boolean;
  /** The patient's earlier replies, for varying openers and closers. */
  patientTurns: string[];
  /** Doctor turns before the current one. */
  doctorTurns: string[];
}

const turnCache = new WeakMap<readonly CaseFact[], Map<string, string[]>>();

/** Reads the session memory off the transcript (all but its last, current, doctor turn). */
export function readSessionMemory(
  transcript: readonly DialogueTurn[],
  facts: readonly CaseFact[],
  isRapport: (doctorText: string) => boolean,
): SessionMemory {
  let cache = turnCache.get(facts);
  if (!cache) turnCache.set(facts, (cache = new Map()));
  const saidFactIds = new Set<string>();
  const patientTurns: string[] = [];
  const doctorTurns: string[] = [];
  let rapport = false;
  for (const turn of transcript.slice(0, -1)) {
    if (turn.role === "doctor") {
      doctorTurns.push(turn.content);
      rapport ||= isRapport(turn.content);
      continue;
    }
    patientTurns.push(turn.content);
    let ids = cache.get(turn.content);
    if (!ids) {
      ids = findFactsSaid(turn.content.replace(/\[[^\]]*\]/g, ""), facts);
      if (cache.size > 5000) cache.clear();
      cache.set(turn.content, ids);
    }
    for (const id of ids) saidFactIds.add(id);
  }
  return { saidFactIds, rapport, patientTurns, doctorTurns };
}
