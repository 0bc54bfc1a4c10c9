/**
 * Mouth shapes for lip-sync, in the 15-viseme set that Oculus/Meta's OVRLipSync and many avatar
 * rigs use: `sil`, `PP` (p b m), `FF` (f v), `TH`, `DD` (t d), `kk` (k g), `CH` (tʃ dʒ ʃ ʒ), `SS`
 * (s z), `nn` (n l), `RR` (r), `aa`, `E`, `ih`, `oh`, `ou`.
 */
export const VISEMES = [
  "sil",
  "PP",
  "FF",
  "TH",
  "DD",
  "kk",
  "CH",
  "SS",
  "nn",
  "RR",
  "aa",
  "E",
  "ih",
  "oh",
  "ou",
] as const;
export type Viseme = (typeof VISEMES)[number];

/** One mouth shape from `start` to `end`, in seconds. */
export interface VisemeCue {
  viseme: Viseme;
  start: number;
  end: number;
  /** The eSpeak NG phoneme (IPA) that produced it; absent for silence. */
  phoneme?: string;
}

// Checked in order: multi-letter affricates before their parts.
const PHONEME_RULES: readonly (readonly [RegExp, Viseme])[] = [
  [/^(tʃ|dʒ|ʃ|ʒ|ɕ|ʑ|c|ɟ|ç)/, "CH"],
  [/^(p|b|m|ɓ)/, "PP"],
  [/^(f|v|ʋ|ɸ|β)/, "FF"],
  [/^(θ|ð)/, "TH"],
  [/^(t|d|ʈ|ɖ|ɗ)/, "DD"],
  [/^(k|g|ɡ|ŋ|x|ɣ|q|ɢ|ʔ)/, "kk"],
  [/^(s|z|ʂ|ʐ)/, "SS"],
  [/^(n|l|ɲ|ɳ|ɭ|ʎ|ɬ)/, "nn"],
  [/^(r|ɹ|ɾ|ɽ|ʀ|ʁ|ɻ|ɚ|ɝ)/, "RR"],
  [/^(w|u|ʊ|ɯ|ʉ|y)/, "ou"],
  [/^(o|ɔ|ɒ|ø|œ)/, "oh"],
  [/^(i|ɪ|j|ɨ)/, "ih"],
  [/^(e|ɛ|ə|ɜ|æ|ɐ)/, "E"],
  [/^(a|ɑ|ʌ|ɶ)/, "aa"],
  [/^(h|ɦ)/, "sil"],
];

/** The viseme for one eSpeak NG phoneme; stress and length marks are ignored, unknown phonemes are silence. */
export function phonemeToViseme(phoneme: string): Viseme {
  const bare = phoneme.replace(/ˈ|ˌ|ː|ˑ|\u0303|ʰ|ʲ|ʷ|\u032A|\u0329|\u032F|\d/gu, "").trim();
  if (bare === "" || bare.startsWith("(")) return "sil";
  for (const [pattern, viseme] of PHONEME_RULES) if (pattern.test(bare)) return viseme;
  return "sil";
}

/**
 * Builds a timeline from phoneme start times (milliseconds, as eSpeak reports them): each cue lasts
 * until the next one starts, the last until the end of the audio, and silence fills the start. The
 * result covers [0, duration] exactly, in order, without overlaps; neighbouring cues with the same
 * viseme are merged.
 */
export function buildVisemeTimeline(
  phonemes: readonly { phoneme: string; startMs: number }[],
  durationSeconds: number,
): VisemeCue[] {
  const duration = Math.max(0, durationSeconds);
  const points = phonemes
    .map((entry) => ({ phoneme: entry.phoneme, start: Math.min(Math.max(0, entry.startMs / 1000), duration) }))
    .sort((a, b) => a.start - b.start);
  const cues: VisemeCue[] = [];
  const push = (viseme: Viseme, start: number, end: number, phoneme?: string) => {
    if (end <= start) return;
    const last = cues.at(-1);
    if (last && last.viseme === viseme) {
      last.end = end;
      return;
    }
    cues.push({ viseme, start, end, ...(phoneme && viseme !== "sil" ? { phoneme } : {}) });
  };
  let cursor = 0;
  points.forEach((point, index) => {
    if (point.start > cursor && index === 0) push("sil", cursor, point.start);
    const end = points[index + 1]?.start ?? duration;
    const start = Math.max(cursor, point.start);
    push(phonemeToViseme(point.phoneme), start, end, point.phoneme);
    cursor = Math.max(cursor, end);
  });
  if (cursor < duration) push("sil", cursor, duration);
  if (cues.length === 0 && duration > 0) cues.push({ viseme: "sil", start: 0, end: duration });
  return cues.map((cue) => ({ ...cue, start: round(cue.start), end: round(cue.end) }));
}

function round(seconds: number): number {
  return Math.round(seconds * 1e6) / 1e6;
}
