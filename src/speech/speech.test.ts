import { describe, expect, it } from "vitest";
import { personas } from "../library/index.js";
import { buildVisemeTimeline, decodeWav, phonemeToViseme, synthesizeSpeech, voiceFor } from "./index.js";

const REPLY =
  "Doctor, I have had a very high fever for three days and my whole body is aching. It started suddenly in the evening with chills, and paracetamol only helps for a few hours.";

function rms(samples: Int16Array): number {
  let sum = 0;
  for (const sample of samples) sum += sample * sample;
  return Math.sqrt(sum / samples.length);
}

describe("speech", () => {
  it("speaks a reply as a WAV that decodes, is long enough and not silent, with visemes covering it", async () => {
    const speech = await synthesizeSpeech(REPLY, { persona: await personas.get("calm"), sex: "male" });
    const { sampleRate, samples } = decodeWav(speech.wav);
    expect(sampleRate).toBe(speech.sampleRate);
    expect(samples.length / sampleRate).toBeCloseTo(speech.durationSeconds, 6);
    expect(speech.durationSeconds).toBeGreaterThan(3);
    expect(rms(samples)).toBeGreaterThan(500);

    const cues = speech.visemes;
    expect(cues[0]!.start).toBe(0);
    expect(cues.at(-1)!.end).toBeCloseTo(speech.durationSeconds, 5);
    for (let index = 0; index < cues.length; index++) {
      expect(cues[index]!.end).toBeGreaterThan(cues[index]!.start);
      if (index > 0) expect(cues[index]!.start).toBeCloseTo(cues[index - 1]!.end, 6);
    }
    const shapes = new Set(cues.map((cue) => cue.viseme));
    for (const viseme of ["PP", "FF", "aa", "sil"]) expect(shapes).toContain(viseme);
  });

  it("gives each persona and language its own voice", async () => {
    const anxious = voiceFor({ persona: await personas.get("anxious") });
    const patient = voiceFor({ persona: await personas.get("overly_patient") });
    const calm = voiceFor({ persona: await personas.get("calm") });
    expect(anxious.rate).toBeGreaterThan(calm.rate);
    expect(anxious.pitch).toBeGreaterThan(calm.pitch);
    expect(patient.rate).toBeLessThan(calm.rate);
    expect(voiceFor({ language: "hi", sex: "female" }).voice).toBe("hi+f3");
    expect(voiceFor({ language: "hi-Latn" }).voice).toBe("hi");

    // The anxious voice really is faster: the same words take less time.
    const fast = await synthesizeSpeech("I have had a fever for three days now.", { voice: anxious });
    const slow = await synthesizeSpeech("I have had a fever for three days now.", { voice: patient });
    expect(fast.durationSeconds).toBeLessThan(slow.durationSeconds * 0.85);

    const hindi = await synthesizeSpeech("मुझे तीन दिन से बुखार है।", { language: "hi" });
    expect(hindi.durationSeconds).toBeGreaterThan(0.5);
    expect(rms(decodeWav(hindi.wav).samples)).toBeGreaterThan(500);
  });

  it("refuses an unknown voice with a clear error", async () => {
    await expect(synthesizeSpeech("hello", { language: "xx-nonexistent" })).rejects.toThrow(
      /no voice "xx-nonexistent"/,
    );
  });

  it("maps phonemes to visemes and fills gaps with silence", () => {
    expect(phonemeToViseme("ˈɑː")).toBe("aa");
    expect(phonemeToViseme("tʃ")).toBe("CH");
    expect(phonemeToViseme("m")).toBe("PP");
    expect(phonemeToViseme("(en)")).toBe("sil");
    const cues = buildVisemeTimeline(
      [
        { phoneme: "h", startMs: 100 },
        { phoneme: "ə", startMs: 150 },
        { phoneme: "l", startMs: 200 },
        { phoneme: "oʊ", startMs: 260 },
      ],
      0.5,
    );
    expect(cues).toEqual([
      { viseme: "sil", start: 0, end: 0.15 },
      { viseme: "E", start: 0.15, end: 0.2, phoneme: "ə" },
      { viseme: "nn", start: 0.2, end: 0.26, phoneme: "l" },
      { viseme: "oh", start: 0.26, end: 0.5, phoneme: "oʊ" },
    ]);
  });
});
