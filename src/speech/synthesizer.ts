import { MedsimError } from "../util/errors.js";
import { buildVisemeTimeline, type VisemeCue } from "./visemes.js";
import { voiceFor, type VoiceRequest, type VoiceSettings } from "./voices.js";
import { encodeWav } from "./wav.js";

/** A synthesized reply: the WAV file and the mouth shapes over its duration. */
export interface Speech {
  wav: Uint8Array;
  sampleRate: number;
  durationSeconds: number;
  visemes: VisemeCue[];
  voice: VoiceSettings;
}

export interface SynthesizeOptions extends VoiceRequest {
  /** Overrides the voice chosen from persona, language and sex. */
  voice?: VoiceSettings;
  /** Default true: reuse one of the last 64 results for the same text and voice. */
  cache?: boolean;
}

/** The longest text synthesized in one call, in characters (a reply is far shorter). */
export const MAX_SPEECH_TEXT_LENGTH = 5000;

interface EspeakEvent {
  type: string;
  audio_position: number;
  id?: string | number;
}
interface EspeakWorker {
  set_voice(name: string): number;
  set_rate(value: number): number;
  set_pitch(value: number): number;
  set_range(value: number): number;
  get_samplerate(): number;
  synthesize(text: string, callback: (samples: Int16Array, events: EspeakEvent[]) => number | boolean): void;
}

// eSpeak NG compiled to WebAssembly (no system install, offline). The package ships no types;
// the variable specifier keeps TypeScript from asking for them.
const ESPEAK_MODULE = "@echogarden/espeak-ng-emscripten";
let worker: Promise<EspeakWorker> | undefined;
let queue: Promise<unknown> = Promise.resolve();

function loadWorker(): Promise<EspeakWorker> {
  worker ??= (async () => {
    try {
      const { default: createModule } = (await import(ESPEAK_MODULE)) as {
        default: () => Promise<{ eSpeakNGWorker: new () => EspeakWorker }>;
      };
      const module = await createModule();
      return new module.eSpeakNGWorker();
    } catch (error) {
      worker = undefined;
      throw new MedsimError(
        "unavailable",
        `eSpeak NG could not be loaded (${error instanceof Error ? error.message.split("\n")[0] : String(error)})`,
      );
    }
  })();
  return worker;
}

const cache = new Map<string, Speech>();
const CACHE_SIZE = 64;

/**
 * Speaks `text` with eSpeak NG (WebAssembly, in-process): a 16-bit mono WAV and a viseme timeline
 * built from eSpeak's own phoneme events. Calls are serialised (the WebAssembly module is one
 * instance) and the last 64 results are cached, so the WAV and the visemes of one reply cost one
 * synthesis.
 */
export function synthesizeSpeech(text: string, options: SynthesizeOptions = {}): Promise<Speech> {
  const clean = text
    .replace(/\[[^\]]*\]/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  if (clean.length > MAX_SPEECH_TEXT_LENGTH)
    return Promise.reject(
      new MedsimError(
        "invalid_input",
        `text to speak must be at most ${MAX_SPEECH_TEXT_LENGTH} characters, found ${clean.length}`,
      ),
    );
  const voice = options.voice ?? voiceFor(options);
  const key = JSON.stringify([clean, voice]);
  const cached = options.cache === false ? undefined : cache.get(key);
  if (cached) return Promise.resolve(cached);
  const run = queue.then(async () => {
    const espeak = await loadWorker();
    if (espeak.set_voice(voice.voice) !== 0 && espeak.set_voice(voice.voice.replace(/\+.*$/, "")) !== 0)
      throw new MedsimError("invalid_input", `eSpeak NG has no voice "${voice.voice}"`);
    espeak.set_rate(voice.rate);
    espeak.set_pitch(voice.pitch);
    espeak.set_range(voice.range);
    const chunks: Int16Array[] = [];
    const phonemes: { phoneme: string; startMs: number }[] = [];
    espeak.synthesize(clean === "" ? " " : clean, (samples, events) => {
      if (samples && samples.length > 0) chunks.push(samples.slice());
      for (const event of events)
        if (event.type === "phoneme") phonemes.push({ phoneme: String(event.id ?? ""), startMs: event.audio_position });
      return 0;
    });
    const length = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
    const samples = new Int16Array(length);
    let offset = 0;
    for (const chunk of chunks) {
      samples.set(chunk, offset);
      offset += chunk.length;
    }
    const sampleRate = espeak.get_samplerate();
    const durationSeconds = length / sampleRate;
    const speech: Speech = {
      wav: encodeWav(samples, sampleRate),
      sampleRate,
      durationSeconds,
      visemes: buildVisemeTimeline(phonemes, durationSeconds),
      voice,
    };
    cache.set(key, speech);
    if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
    return speech;
  });
  queue = run.catch(() => undefined);
  return run;
}
