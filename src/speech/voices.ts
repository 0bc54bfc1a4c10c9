import type { Persona } from "../domain/index.js";

/** Languages a session's patient may speak: English, Hindi, and Hinglish (Hindi in Latin script). */
export const SESSION_LANGUAGES = ["en", "hi", "hi-Latn"] as const;
export type SessionLanguage = (typeof SESSION_LANGUAGES)[number];

/** eSpeak NG settings for one voice. */
export interface VoiceSettings {
  /** eSpeak NG voice name with an optional variant, e.g. `en+f3`, `hi+m3`. */
  voice: string;
  /** Words a minute (eSpeak default 175). */
  rate: number;
  /** Base pitch 0-100 (eSpeak default 50). */
  pitch: number;
  /** Pitch range 0-100 (eSpeak default 50): how much the voice rises and falls. */
  range: number;
}

/**
 * eSpeak NG voices by language. Hinglish is read by the Hindi voice: eSpeak switches to its English
 * rules for Latin-script words, so "mujhe bukhar hai" comes out with Hindi prosody and English letters.
 * Other eSpeak languages (Tamil `ta`, Bengali `bn`, Telugu `te`, Marathi `mr`, ...) may be named directly.
 */
const LANGUAGE_VOICES: Record<string, string> = { en: "en", hi: "hi", "hi-Latn": "hi" };

/**
 * How each personality sounds: anxious faster and higher with a wider range, overly patient slower,
 * rude clipped and low, low literacy slow. Unknown personalities use the plain voice.
 */
const PERSONALITY_PROSODY: Record<string, Omit<VoiceSettings, "voice">> = {
  plain: { rate: 165, pitch: 50, range: 50 },
  calm: { rate: 160, pitch: 48, range: 40 },
  anxious: { rate: 200, pitch: 68, range: 80 },
  rude: { rate: 185, pitch: 38, range: 30 },
  overly_patient: { rate: 135, pitch: 48, range: 45 },
  distrustful: { rate: 160, pitch: 42, range: 35 },
  self_diagnosing: { rate: 180, pitch: 55, range: 60 },
  pleasing: { rate: 170, pitch: 58, range: 65 },
  low_literacy: { rate: 145, pitch: 50, range: 45 },
};

export interface VoiceRequest {
  persona?: Pick<Persona, "id" | "axes">;
  /** Default `en`. Any eSpeak NG language code is accepted too (`ta`, `bn`, ...). */
  language?: string;
  /** Picks a male or female variant. */
  sex?: "male" | "female" | "other";
}

/** The voice for a patient: the language picks the eSpeak voice, the persona the prosody, the sex the variant. */
export function voiceFor(request: VoiceRequest = {}): VoiceSettings {
  const language = request.language ?? "en";
  const base = LANGUAGE_VOICES[language] ?? language;
  const variant = request.sex === "female" ? "+f3" : request.sex === "male" ? "+m3" : "";
  const personality = request.persona?.axes.personality ?? request.persona?.id ?? "plain";
  const prosody =
    PERSONALITY_PROSODY[personality] ?? PERSONALITY_PROSODY[request.persona?.id ?? ""] ?? PERSONALITY_PROSODY.plain!;
  return { voice: `${base}${variant}`, ...prosody };
}
