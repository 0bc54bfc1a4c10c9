import type { CaseFact, DialogueTurn } from "../../domain/index.js";
import { speakFact } from "./voice.js";

const STOP_WORDS = new Set(
  "a an the and or but of to in on at for with from by is are was were be been it its this that i my me we our you your he she they them his her have has had do does did not no so very just some any all about like than then there when what which who since after before also only more most much many into out up down over as if i've i'm it's doctor".split(
    " ",
  ),
);

function contentWords(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((word) => word.length > 2 && !STOP_WORDS.has(word));
}

const formsCache = new WeakMap<CaseFact, string[][]>();

/** The ways a fact may be said: the case text, the case's patient words, the lay rewrite. */
function factForms(fact: CaseFact): string[][] {
  let forms = formsCache.get(fact);
  if (!forms) {
    forms = [...new Set([fact.text, fact.patientWords ?? "", fact.revealedBy === "ask" ? speakFact(fact) : ""])]
      .filter(Boolean)
      .map((form) => [...new Set(contentWords(form))])
      .filter((words) => words.length > 0);
    formsCache.set(fact, forms);
  }
  return forms;
}

/**
 * Which facts a text says: a fact counts when, for one of its forms, at least 60% of its content
 * words (and at least three of them, or all when it has fewer) appear in the text.
 */
export function findFactsSaid(text: string, facts: readonly CaseFact[]): string[] {
  const words = new Set(contentWords(text));
  const said: string[] = [];
  for (const fact of facts) {
    if (fact.id === "identity") continue;
    const hit = factForms(fact).some((form) => {
      const hits = form.filter((word) => words.has(word)).length;
      return hits / form.length >= 0.6 && hits >= Math.min(3, form.length);
    });
    if (hit) said.push(fact.id);
  }
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
