import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OpenAIEngine, ScriptedEngine } from "../../engines/index.js";
import {
  openAIChatHandler,
  startStandInServer,
  type StandInServer,
} from "../../engines/stand-in-servers.test-utils.js";
import { cases, personas } from "../../library/index.js";
import { evaluatePatient, FIDELITY_JSON_SCHEMA } from "./index.js";

// A real HTTP peer on loopback that speaks the OpenAI protocol. It plays a judge whose answers
// depend on what it is shown, so the test checks the plumbing: the rubric and transcript are
// sent, the JSON Schema goes out as response_format, valid JSON is read, and an invalid reply is
// asked again and then counted as failed rather than guessed.
let server: StandInServer;
beforeAll(async () => {
  server = await startStandInServer(
    openAIChatHandler((request) => {
      const transcript = request.body.messages.at(-1)?.content ?? "";
      if (/Personality: rude;/.test(request.body.messages[0]?.content ?? "")) return "I cannot rate this, sorry."; // not JSON
      // Scores what it was shown: 4 when the transcript has student and patient lines, else 1.
      const personality = /Student: [\s\S]*Patient: /.test(transcript) ? 4 : 1;
      return JSON.stringify({ personality, language_level: 3, recall: 4, confusion: 4, realism: 3, reason: "ok" });
    }),
  );
});
afterAll(async () => {
  await server.close();
});

describe("judge mode", () => {
  it("sends the rubric with the JSON Schema, reads valid scores and counts unusable replies as failed", async () => {
    const judge = new OpenAIEngine({ baseUrl: `${server.url}/v1`, model: "judge" });
    const result = await evaluatePatient({
      engine: new ScriptedEngine(),
      cases: [await cases.get("dengue-fever")],
      personas: [await personas.get("anxious"), await personas.get("rude")],
      judge,
      maxQuestions: 10,
      adversarial: 0,
    });
    expect(result.fidelity).toMatchObject({ judged: 1, failed: 1 });
    expect(result.fidelity!.means).toEqual({ personality: 4, language_level: 3, recall: 4, confusion: 4, realism: 3 });
    // one request for the anxious interview, two (a retry) for the rude one
    expect(server.requests).toHaveLength(3);
    const first = server.requests[0]!.body;
    expect(first.response_format).toMatchObject({ type: "json_schema", json_schema: { schema: FIDELITY_JSON_SCHEMA } });
    expect(first.messages[0]!.content).toMatch(/Rate each dimension from 1 to 4/);
    expect(first.messages.at(-1)!.content).toMatch(/^Transcript:\nStudent: /);
  });
});
