/**
 * Splits text into sentences the way a persona's sentence limit is counted everywhere (the
 * scripted engine, the simulator's guard, the synthetic-data checks): a sentence ends at . ! ? or
 * … (and any closing quote or bracket) followed by white space.
 */
export function splitSentences(text: string): string[] {
  return text
    .split(/(?<=[.!?…]["')\]]*)\s+/)
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}
