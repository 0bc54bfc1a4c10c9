import type { CaseFact } from "../domain/index.js";

const STOP_WORDS = new Set(
  "a an the and or but of to in on at for with from by is are was were be been it its this that i my me we our you your he she they them his her have has had do does did not no so very just some any all about like than then there when what which who since after before also only more most much many into out up down over as if".split(
    " ",
  ),
);

function contentWords(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((word) => word.length > 2 && !STOP_WORDS.has(word));
}

/**
 * Which facts a reply discloses: a fact counts as disclosed when most of its content words appear
 * in the reply (at least 60%, and at least three of them, or all when it has fewer). Engine-independent, so the
 * same rule applies to the scripted engine and to any language model, and the evaluation can use it.
 */
export function detectDisclosedFacts(reply: string, facts: readonly CaseFact[]): string[] {
  const replyWords = new Set(contentWords(reply));
  const disclosed: string[] = [];
  for (const fact of facts) {
    if (fact.id === "identity") continue;
    const words = [...new Set(contentWords(fact.label ? `${fact.text}` : fact.text))];
    if (words.length === 0) continue;
    const hits = words.filter((word) => replyWords.has(word)).length;
    if (hits / words.length >= 0.6 && hits >= Math.min(3, words.length)) disclosed.push(fact.id);
  }
  return disclosed;
}
