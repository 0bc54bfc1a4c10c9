import { afterEach, describe, expect, it } from "vitest";
import { cases, personas } from "../../library/index.js";
import { PatientSimulator } from "../../simulator/index.js";
import { ollamaChatHandler, startStandInServer, type StandInServer } from "../stand-in-servers.test-utils.js";
import { OllamaEngine } from "./ollama-engine.js";

let server: StandInServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("ollama engine (against an Ollama stand-in on loopback)", () => {
  it("streams /api/chat replies with the system prompt and sampling options", async () => {
    server = await startStandInServer(ollamaChatHandler(() => "Ugh. Three days. Can we hurry up?"));
    const engine = new OllamaEngine({ host: server.url });
    const simulator = await PatientSimulator.create({
      patientCase: await cases.get("malaria-vivax"),
      persona: await personas.get("rude"),
      engine,
    });
    const reply = await simulator.respond("How long have you been unwell?", {
      seed: 42,
      temperature: 0.2,
      maxTokens: 50,
    });
    expect(reply.text).toBe("Ugh. Three days.");
    // The rude persona's sentence limit (2) is enforced whatever the model writes.
    const request = server.requests[0]!;
    expect(request.body).toMatchObject({
      model: "qwen2.5:0.5b",
      stream: true,
      options: { seed: 42, temperature: 0.2, num_predict: 50 },
    });
    expect(request.body.messages[0]?.content).toMatch(/Rude and impatient/);
    expect(request.body.messages.at(-1)).toEqual({ role: "user", content: "How long have you been unwell?" });
  });

  it("passes on Ollama's own error for a model that is not there", async () => {
    server = await startStandInServer(ollamaChatHandler(() => "hi"));
    const engine = new OllamaEngine({ host: server.url, model: "no-such-model" });
    const simulator = await PatientSimulator.create({
      patientCase: await cases.get("malaria-vivax"),
      persona: await personas.get("calm"),
      engine,
    });
    await expect(simulator.respond("Hello")).rejects.toThrow(
      /ollama engine: .*HTTP 404: model "no-such-model" not found/,
    );
  });

  it("accepts a host without a scheme, as OLLAMA_HOST often is", async () => {
    server = await startStandInServer(ollamaChatHandler(() => "Hello, doctor."));
    const engine = new OllamaEngine({ host: server.url.replace("http://", "") });
    const simulator = await PatientSimulator.create({
      patientCase: await cases.get("malaria-vivax"),
      persona: await personas.get("calm"),
      engine,
    });
    expect((await simulator.respond("Hello")).text).toBe("Hello, doctor.");
  });
});
