import type { CaseFact } from "../domain/index.js";
import { findFactsSaid } from "../engines/scripted/memory.js";

/**
 * Which facts a reply discloses: a fact counts as disclosed when most of the content words of one
 * of its forms (the case text, the case's patient words, or the scripted engine's lay rewrite)
 * appear in the reply: at least 60%, and at least three of them, or all when it has fewer. A fact
 * is disclosed only when its content was said. Engine-independent, so the same rule applies to
 * the scripted engine and to any language model, and the evaluation can use it.
 */
export function detectDisclosedFacts(reply: string, facts: readonly CaseFact[]): string[] {
  return findFactsSaid(reply, facts);
}
