export { synthesizeSpeech, MAX_SPEECH_TEXT_LENGTH, type Speech, type SynthesizeOptions } from "./synthesizer.js";
export { voiceFor, SESSION_LANGUAGES, type SessionLanguage, type VoiceSettings, type VoiceRequest } from "./voices.js";
export { buildVisemeTimeline, phonemeToViseme, VISEMES, type Viseme, type VisemeCue } from "./visemes.js";
export { encodeWav, decodeWav } from "./wav.js";
