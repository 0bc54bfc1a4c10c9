import { describe, expect, it } from "vitest";
import type { DialogueTurn } from "../domain/index.js";
import type { EngineConversation, GenerationOptions, PatientEngine } from "../engines/index.js";
import { ScriptedEngine } from "../engines/index.js";
import { cases, personas } from "../library/index.js";
import { ValidationError } from "../util/errors.js";
import { checkSentence, cleanSpeakerLabels, findDiagnosisLeak } from "./guard.js";
import { PatientSimulator } from "./simulator.js";

/** An engine that streams fixed text in small pieces: it implements the real interface. */
class FixedTextEngine implements PatientEngine {
  readonly name = "openai" as const;
  readonly modelName = "fixed";
  readonly seen: DialogueTurn[][] = [];
  readonly prepared: DialogueTurn[][] = [];
  constructor(private readonly text: string) {}
  async openConversation(): Promise<EngineConversation> {
    const text = this.text;
    const seen = this.seen;
    const prepared = this.prepared;
    return {
      async *reply(transcript: readonly DialogueTurn[], options?: GenerationOptions) {
        seen.push([...transcript]);
        for (const piece of text.match(/.{1,3}/gs) ?? []) {
          if (options?.signal?.aborted) return;
          yield piece;
        }
      },
      prepare: async (transcript: readonly DialogueTurn[]) => {
        prepared.push([...transcript]);
      },
      dispose: async () => {},
    };
  }
  async dispose(): Promise<void> {}
}

async function simulator(engine: PatientEngine, personaId = "calm", caseId = "dengue-fever") {
  return PatientSimulator.create({
    patientCase: await cases.get(caseId),
    persona: await personas.get(personaId),
    engine,
  });
}

describe("PatientSimulator", () => {
  it("keeps the transcript and the facts disclosed so far", async () => {
    const sim = await simulator(new ScriptedEngine());
    await sim.respond("Are you taking any medicines?");
    await sim.respond("Do you smoke?");
    expect(sim.transcript.map((turn) => turn.role)).toEqual(["doctor", "patient", "doctor", "patient"]);
    expect(sim.disclosedFacts.map((fact) => fact.id)).toEqual(["medications.0", "social.tobacco"]);
    const record = sim.toRecord();
    expect(record).toMatchObject({
      caseId: "dengue-fever",
      personaId: "calm",
      engine: "scripted:scripted",
      disclosedFactIds: ["medications.0", "social.tobacco"],
    });
  });

  it("lets the engine prepare the next turn from the transcript as kept, not as generated", async () => {
    const engine = new FixedTextEngine("One. Two. Three. Four. Five.");
    const rude = await simulator(engine, "rude");
    await rude.respond("Hello");
    await rude.respond("Again");
    // Each reply is followed by one preparation with the cut reply as the last turn.
    expect(engine.prepared.map((turns) => turns.length)).toEqual([2, 4]);
    expect(engine.prepared[1]).toEqual(rude.transcript);
    expect(engine.prepared[0]!.at(-1)).toEqual({ role: "patient", content: "One. Two." });
  });

  it("enforces the persona's sentence limit whatever the engine writes", async () => {
    const engine = new FixedTextEngine("One. Two. Three. Four. Five.");
    const rude = await simulator(engine, "rude");
    expect((await rude.respond("Hello")).text).toBe("One. Two.");
  });

  it("withholds a leak in a later sentence but keeps what came before", async () => {
    const sim = await simulator(
      new FixedTextEngine("I have a fever. My cousin said it is dengue. It hurts."),
      "anxious",
    );
    const reply = await sim.respond("What do you think it is?");
    expect(reply.text).toBe("I have a fever.");
    expect(reply.guarded).toEqual({ kind: "diagnosis_leak", term: "dengue" });
  });

  it("replaces a reply that breaks role with an in-character answer", async () => {
    const sim = await simulator(new FixedTextEngine("As an AI language model, I cannot have symptoms."));
    const reply = await sim.respond("Do you smoke?");
    expect(reply.guarded?.kind).toBe("role_break");
    expect(reply.text).toContain("I do not smoke");
  });

  it("answers from the script when the engine says nothing", async () => {
    const reply = await (await simulator(new FixedTextEngine(""))).respond("Do you have any allergies?");
    expect(reply.text).toContain("No allergies");
  });

  it("passes the whole conversation to the engine each turn", async () => {
    const engine = new FixedTextEngine("Okay.");
    const sim = await simulator(engine);
    await sim.respond("First question?");
    await sim.respond("Second question?");
    expect(engine.seen[1]).toEqual([
      { role: "doctor", content: "First question?" },
      { role: "patient", content: "Okay." },
      { role: "doctor", content: "Second question?" },
    ]);
  });

  it("rejects empty doctor text with a clear error", async () => {
    const sim = await simulator(new ScriptedEngine());
    expect(() => sim.respondStream("   ")).toThrow(ValidationError);
    expect(() => sim.respondStream("   ")).toThrow("doctor text: (root): must not be empty");
  });

  it("refuses a second question while the first is being answered", async () => {
    const sim = await simulator(new ScriptedEngine());
    const first = sim.respondStream("What brings you in?");
    const iterator = first.textStream[Symbol.asyncIterator]();
    await iterator.next();
    expect(() => sim.respondStream("Another?")).toThrow(/still answering/);
    while (!(await iterator.next()).done) {
      // drain
    }
    await expect(sim.respond("Do you smoke?")).resolves.toBeDefined();
  });
});

describe("leak paths", () => {
  it("guards the fallback: a user's case whose ideas name the diagnosis never has them said", async () => {
    const dengue = await cases.get("dengue-fever");
    const leaky = {
      ...dengue,
      ideasConcernsExpectations: {
        ...dengue.ideasConcernsExpectations,
        ideas: { text: "I think I also have dengue.", volunteer: false },
      },
    };
    for (const engine of [new ScriptedEngine(), new FixedTextEngine("My cousin says it is dengue fever.")]) {
      const sim = await PatientSimulator.create({ patientCase: leaky, persona: await personas.get("calm"), engine });
      for (const question of [
        "What do you think is causing this?",
        "Any idea what it might be?",
        "What do you think it is?",
        "So what's your own theory?",
        "Aapko kya lagta hai?",
        "What do you think?",
      ]) {
        const reply = await sim.respond(question);
        expect(findDiagnosisLeak(reply.text, leaky), reply.text).toBeUndefined();
        expect(reply.text.trim().length).toBeGreaterThan(0);
      }
    }
  });

  it("shows results narration even when it points to the diagnosis, on every engine", async () => {
    for (const engine of [new ScriptedEngine(), new FixedTextEngine("Okay, doctor.")]) {
      const sim = await simulator(engine, "calm", "malaria-vivax");
      const reply = await sim.respond("We'll do a malaria rapid test.");
      expect(reply.text).toMatch(/\[Result \(malaria rapid diagnostic test\): .+\]/);
      expect(reply.newlyDisclosedFactIds).toContain("tests.malaria_rapid_diagnostic_test");
    }
  });

  it("never lets a model's own bracketed text through as narration", async () => {
    const sim = await simulator(new FixedTextEngine("[Result (NS1 antigen): dengue positive.] I feel hot."));
    const reply = await sim.respond("How are you?");
    expect(findDiagnosisLeak(reply.text, await cases.get("dengue-fever"))).toBeUndefined();
  });
});

describe("guard", () => {
  it("matches the diagnosis as a whole word, across hyphens and case", async () => {
    const patientCase = await cases.get("dengue-fever");
    expect(checkSentence("Could it be DENGUE?", patientCase)).toEqual({ kind: "diagnosis_leak", term: "dengue" });
    expect(checkSentence("I have a high fever and aches.", patientCase)).toBeUndefined();
    expect(checkSentence("I'm an AI assistant.", patientCase)?.kind).toBe("role_break");
    expect(checkSentence("The most likely diagnosis is a viral illness.", patientCase)?.kind).toBe("role_break");
  });

  it("drops the patient's own label and cuts at the doctor's", () => {
    expect(cleanSpeakerLabels("Patient: It hurts.\nDoctor: Where?")).toEqual({ text: "It hurts.", cut: true });
    expect(cleanSpeakerLabels("It hurts here.")).toEqual({ text: "It hurts here.", cut: false });
  });
});
