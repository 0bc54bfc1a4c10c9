import { afterEach, describe, expect, it } from "vitest";
import { cases, personas } from "../../library/index.js";
import { PatientSimulator } from "../../simulator/index.js";
import { EngineError } from "../../util/errors.js";
import { openAIChatHandler, startStandInServer, type StandInServer } from "../stand-in-servers.test-utils.js";
import { OpenAIEngine } from "./openai-engine.js";

let server: StandInServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function simulatorFor(url: string, options: { apiKey?: string } = {}) {
  const engine = new OpenAIEngine({ baseUrl: `${url}/v1`, model: "patient-model", ...options });
  return PatientSimulator.create({
    patientCase: await cases.get("dengue-fever"),
    persona: await personas.get("anxious"),
    engine,
  });
}

describe("openai engine (against an OpenAI-compatible stand-in on loopback)", () => {
  it("streams the reply and sends the case, persona and history as chat messages", async () => {
    server = await startStandInServer(
      openAIChatHandler((request) =>
        request.body.messages.length <= 2
          ? "Oh doctor, I have a high fever. It started three days ago."
          : "No, I don't smoke.",
      ),
    );
    const simulator = await simulatorFor(server.url, { apiKey: "secret-key" });
    const chunks: string[] = [];
    const stream = simulator.respondStream("What brings you in?");
    for await (const chunk of stream.textStream) chunks.push(chunk);
    const reply = await stream.reply;
    expect(reply.text).toBe("Oh doctor, I have a high fever. It started three days ago.");
    expect(chunks.length).toBe(2); // one per sentence
    const second = await simulator.respond("Do you smoke?");
    expect(second.text).toBe("No, I don't smoke.");

    const [first, next] = server.requests;
    expect(first?.headers.authorization).toBe("Bearer secret-key");
    expect(first?.body).toMatchObject({ model: "patient-model", stream: true });
    const system = first?.body.messages[0];
    expect(system?.role).toBe("system");
    expect(system?.content).toContain("Rahul Verma");
    expect(system?.content).toContain("Paracetamol 500 mg");
    expect(system?.content).not.toMatch(/dengue/i);
    expect(next?.body.messages.map((message) => message.role)).toEqual(["system", "user", "assistant", "user"]);
    expect(next?.body.messages[2]?.content).toBe(reply.text);
  });

  it("withholds a sentence that names the diagnosis and answers from the script instead", async () => {
    server = await startStandInServer(openAIChatHandler(() => "I think I have dengue fever, doctor."));
    const simulator = await simulatorFor(server.url);
    const reply = await simulator.respond("What do you think is wrong?");
    expect(reply.text).not.toMatch(/dengue/i);
    expect(reply.guarded).toEqual({ kind: "diagnosis_leak", term: "Dengue fever" });
    expect(reply.text).toContain("viral fever");
  });

  it("cuts the reply where the model starts writing the doctor's lines", async () => {
    server = await startStandInServer(
      openAIChatHandler(() => "Three days now.\nDoctor: And do you smoke?\nPatient: No."),
    );
    const simulator = await simulatorFor(server.url);
    const reply = await simulator.respond("How long have you had the fever?");
    expect(reply.text).toBe("Three days now.");
  });

  it("reports HTTP errors with the server's message", async () => {
    server = await startStandInServer((_request, response) => {
      response
        .writeHead(401, { "content-type": "application/json" })
        .end(JSON.stringify({ error: { message: "invalid api key" } }));
    });
    const simulator = await simulatorFor(server.url);
    await expect(simulator.respond("Hello")).rejects.toThrow(/openai engine: .*answered HTTP 401: invalid api key/);
  });

  it("says so when no server is listening", async () => {
    server = await startStandInServer(openAIChatHandler(() => ""));
    const url = server.url;
    await server.close();
    server = undefined;
    const simulator = await simulatorFor(url);
    const error = await simulator.respond("Hello").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EngineError);
    expect((error as Error).message).toMatch(/cannot reach .*ECONNREFUSED.*is the server running/);
  });

  it("stops when cancelled and keeps what was said", async () => {
    server = await startStandInServer(async (_request, response) => {
      response.writeHead(200, { "content-type": "text/event-stream" });
      response.write(
        `data: ${JSON.stringify({ choices: [{ delta: { content: "It started three days ago. " } }] })}\n\n`,
      );
      // Never finishes on its own: only cancellation ends this reply.
    });
    const simulator = await simulatorFor(server.url);
    const controller = new AbortController();
    const stream = simulator.respondStream("When did it start?", { signal: controller.signal });
    for await (const chunk of stream.textStream) {
      expect(chunk).toBe("It started three days ago.");
      controller.abort();
    }
    expect((await stream.reply).text).toBe("It started three days ago.");
    expect(simulator.transcript).toHaveLength(2);
  });
});
