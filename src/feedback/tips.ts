import { IMPRESSION_TIPS, ITEM_DEFINITIONS } from "./definitions.js";
import type { FeedbackItem, Impression } from "./types.js";

/**
 * The three most useful things to do next time: missed items by priority (introduction and the
 * opening first, then red flags and the patient's concerns), with the working diagnosis when it
 * was missing or wrong.
 */
export function chooseTips(items: readonly FeedbackItem[], impression: Impression): string[] {
  const candidates: { tip: string; priority: number }[] = items
    .filter((item) => item.applicable && !item.met)
    .map((item) => ({ tip: ITEM_DEFINITIONS[item.id].tip, priority: ITEM_DEFINITIONS[item.id].priority }));
  if (impression.verdict !== "correct") candidates.push({ tip: IMPRESSION_TIPS[impression.verdict], priority: 2.5 });
  // Stable sort keeps the item order among equal priorities.
  const tips = candidates.sort((a, b) => a.priority - b.priority).map((candidate) => candidate.tip);
  if (tips.length === 0) return ["Keep it up: every item was met. Try a harder persona or a shorter station time."];
  return [...new Set(tips)].slice(0, 3);
}
