/** Small text helpers shared by the generators (deterministic, no locale dependence). */

const NUMBER_WORDS = [
  "zero",
  "one",
  "two",
  "three",
  "four",
  "five",
  "six",
  "seven",
  "eight",
  "nine",
  "ten",
  "eleven",
  "twelve",
];

export function numberWord(value: number): string {
  return NUMBER_WORDS[value] ?? String(value);
}

/** A duration in days as a patient says it: "about six hours", "three days", "two weeks", "four months". */
export function durationText(days: number): string {
  const unit = (count: number, name: string) => `${numberWord(count)} ${name}${count === 1 ? "" : "s"}`;
  if (days < 1) return `about ${unit(Math.max(1, Math.round(days * 24)), "hour")}`;
  if (days < 14) return unit(Math.round(days), "day");
  if (days < 60) return unit(Math.round(days / 7), "week");
  if (days < 365) return unit(Math.round(days / 30), "month");
  return unit(Math.round(days / 365), "year");
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Drops a leading article: "a high fever" → "high fever" (for "No high fever."). */
export function withoutArticle(phrase: string): string {
  return phrase.replace(/^(a|an|the)\s+/i, "");
}

/** "a, b and c" */
export function joinList(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

export function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? capitalize(trimmed) : `${capitalize(trimmed)}.`;
}

/** Picks one item with a seeded random source. */
export function choose<T>(random: () => number, items: readonly T[]): T {
  if (items.length === 0) throw new Error("choose: empty list");
  return items[Math.floor(random() * items.length)]!;
}

/** A seeded Fisher-Yates shuffle (returns a copy). */
export function shuffle<T>(random: () => number, items: readonly T[]): T[] {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [copy[index], copy[other]] = [copy[other]!, copy[index]!];
  }
  return copy;
}

export function uniform(random: () => number, [low, high]: readonly [number, number]): number {
  return low + random() * (high - low);
}

/** Lowercase content words of a text, for overlap tests. */
export function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}
