import { describe, expect, it } from "vitest";
import type { ConversationSetup, PatientEngine } from "../engines/types.js";
import { cases, personas } from "../library/index.js";
import { answeredLanguage, PatientSimulator } from "./index.js";

/** An engine that records the system prompt it was given and answers in Hindi. */
function recordingEngine(setups: ConversationSetup[]): PatientEngine {
  return {
    name: "openai",
    modelName: "recording",
    async openConversation(setup) {
      setups.push(setup);
      return {
        async *reply() {
          yield "मुझे तीन दिन से बुखार है।";
        },
        async dispose() {},
      };
    },
    async dispose() {},
  };
}

describe("the patient's language", () => {
  it("tells a model engine to answer in Hindi or Hinglish, and English needs no instruction", async () => {
    const patientCase = await cases.get("dengue-fever");
    const persona = await personas.get("calm");
    const setups: ConversationSetup[] = [];
    for (const language of ["hi", "hi-Latn", "en"] as const)
      await PatientSimulator.create({ patientCase, persona, engine: recordingEngine(setups), language });
    expect(setups[0]!.systemPrompt).toMatch(/answer in Hindi, written in Devanagari/);
    expect(setups[1]!.systemPrompt).toMatch(/Hinglish/);
    expect(setups[2]!.systemPrompt).not.toMatch(/Always answer in/);
    const simulator = await PatientSimulator.create({
      patientCase,
      persona,
      engine: recordingEngine([]),
      language: "hi",
    });
    expect((await simulator.respond("Kya hua?")).text).toBe("मुझे तीन दिन से बुखार है।");
  });

  it("says the scripted engine answers in English whatever was asked", () => {
    expect(answeredLanguage("scripted", "hi")).toBe("en");
    expect(answeredLanguage("llama", "hi-Latn")).toBe("hi-Latn");
  });
});
