import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DialogueTurn } from "../domain/index.js";
import { createEngine } from "../engines/index.js";
import { answerFromScript } from "../engines/scripted/answer.js";
import { loadKnowledgeBase } from "../knowledge/index.js";
import { cases, personas } from "../library/index.js";
import {
  checkPatientTurn,
  createTeacherParaphraser,
  createTeacherResponder,
  generateQaPairs,
  PARAPHRASE_JSON_SCHEMA,
  synthesizeDialogues,
  TEACHER_JSON_SCHEMA,
} from "./index.js";

/**
 * A stand-in OpenAI-compatible server on 127.0.0.1: streams `/v1/chat/completions` as server-sent
 * events, the way the OpenAIEngine reads them. What it answers is set per test (`reply`).
 */
let server: Server;
let baseUrl: string;
const requests: Record<string, unknown>[] = [];
let reply: (transcript: DialogueTurn[], call: number) => string = () => "{}";

beforeAll(async () => {
  server = createServer(async (request, response) => {
    if (request.method !== "POST" || request.url !== "/v1/chat/completions") {
      response.writeHead(404).end(JSON.stringify({ error: { message: "not found" } }));
      return;
    }
    const body = JSON.parse(await readBody(request)) as { messages: { role: string; content: string }[] };
    requests.push(body);
    const transcript = body.messages
      .filter((message) => message.role !== "system")
      .map((message): DialogueTurn => ({
        role: message.role === "user" ? "doctor" : "patient",
        content: message.content,
      }));
    const content = reply(transcript, requests.length);
    response.writeHead(200, { "content-type": "text/event-stream" });
    // Stream the JSON in three pieces, as a model would.
    const third = Math.ceil(content.length / 3);
    for (let start = 0; start < content.length; start += third)
      response.write(
        `data: ${JSON.stringify({ choices: [{ delta: { content: content.slice(start, start + third) } }] })}\n\n`,
      );
    response.end("data: [DONE]\n\n");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

async function readBody(request: IncomingMessage): Promise<string> {
  let text = "";
  for await (const chunk of request) text += String(chunk);
  return text;
}

async function setup() {
  const patientCase = await cases.get("dengue-fever");
  const persona = await personas.get("calm");
  const engine = await createEngine({ engine: "openai", baseUrl, model: "teacher-test" });
  const teacher = createTeacherResponder({ engine, knowledgeBase: await loadKnowledgeBase(), attempts: 2 });
  return { patientCase, persona, teacher, item: { patientCase, diseaseId: "dengue" } };
}

describe("teacher-model generator over a real OpenAI-compatible server", () => {
  it("writes every patient turn with the engine, under the JSON schema", async () => {
    const { patientCase, persona, teacher, item } = await setup();
    requests.length = 0;
    reply = (transcript) => JSON.stringify({ reply: answerFromScript(patientCase, persona, transcript).text });
    const result = await synthesizeDialogues({
      cases: [item],
      personas: [persona],
      count: 3,
      seed: 4,
      responder: teacher,
      minTurns: 6,
      maxTurns: 8,
    });
    expect(result.dialogues).toHaveLength(3);
    expect(result.rejected.count).toBe(0);
    const patientTurns = result.dialogues.flatMap((dialogue) =>
      dialogue.turns.filter((turn) => turn.role === "patient"),
    );
    expect(requests).toHaveLength(patientTurns.length);
    expect(teacher.stats.accepted).toBe(patientTurns.length);
    // Each turn is what the server sent for that transcript.
    for (const dialogue of result.dialogues) {
      dialogue.turns.forEach((turn, index) => {
        if (turn.role === "patient")
          expect(turn.content).toBe(answerFromScript(patientCase, persona, dialogue.turns.slice(0, index)).text);
      });
    }
    const first = requests[0] as {
      stream: boolean;
      model: string;
      response_format: { type: string; json_schema: { schema: unknown; strict: boolean } };
      messages: { role: string; content: string }[];
    };
    expect(first).toMatchObject({
      stream: true,
      model: "teacher-test",
      response_format: { type: "json_schema", json_schema: { strict: true } },
    });
    expect(first.response_format.json_schema.schema).toEqual(TEACHER_JSON_SCHEMA);
    expect(TEACHER_JSON_SCHEMA).toMatchObject({ type: "object", required: ["reply"], additionalProperties: false });
    expect(first.messages[0]!.role).toBe("system");
    expect(first.messages[0]!.content).toContain("Rahul Verma");
    expect(first.messages[0]!.content).not.toContain("Dengue");
    await teacher.dispose();
  });

  it("rejects a reply that names the diagnosis", async () => {
    const { persona, teacher, item } = await setup();
    reply = () => JSON.stringify({ reply: "I think I have dengue, doctor." });
    const result = await synthesizeDialogues({
      cases: [item],
      personas: [persona],
      count: 2,
      seed: 1,
      responder: teacher,
      maxAttempts: 2,
    });
    expect(result.dialogues).toEqual([]);
    expect(result.unfilled).toBe(2);
    expect(result.rejected).toEqual({ count: 4, reasons: { diagnosis_leak: 4 } });
    expect(teacher.stats.rejected.diagnosis_leak).toBe(8);
  });

  it("rejects replies that contradict the case facts: a denied symptom, a wrong duration", async () => {
    const { persona, teacher, patientCase } = await setup();
    const transcript: DialogueTurn[] = [{ role: "doctor", content: "Do you have a cough?" }];
    reply = () => JSON.stringify({ reply: "Yes, I have a bad cough." });
    await expect(teacher.answer(patientCase, persona, transcript, 1)).rejects.toThrow(
      "contradiction: claims cough, which the facts deny",
    );
    reply = () => JSON.stringify({ reply: "It started two weeks ago." });
    await expect(teacher.answer(patientCase, persona, transcript, 1)).rejects.toThrow(
      'contradiction: says "2 week(s)", which no fact states',
    );
    reply = () => JSON.stringify({ reply: "No, I don't have any headache." });
    await expect(teacher.answer(patientCase, persona, transcript, 1)).rejects.toThrow(
      "contradiction: denies headache, which the facts state",
    );
    reply = () => "Sure! Here is the patient's answer: no cough.";
    await expect(teacher.answer(patientCase, persona, transcript, 1)).rejects.toThrow(/^invalid_json/);
  });

  it("asks again after a rejected reply and keeps the good one", async () => {
    const { persona, teacher, patientCase } = await setup();
    requests.length = 0;
    reply = (_transcript, call) =>
      JSON.stringify({ reply: call === 1 ? "As an AI language model, I cannot say." : "No, I have not had a cough." });
    const text = await teacher.answer(patientCase, persona, [{ role: "doctor", content: "Do you have a cough?" }], 7);
    expect(text).toBe("No, I have not had a cough.");
    expect(requests.map((request) => request.seed)).toEqual([7, 8]);
    expect(teacher.stats).toMatchObject({ accepted: 1, rejected: { role_break: 1 } });
  });
});

describe("teacher paraphraser for the Q&A set", () => {
  async function paraphraser() {
    const engine = await createEngine({ engine: "openai", baseUrl, model: "teacher-test" });
    return createTeacherParaphraser({
      engine,
      context: { patientCase: await cases.get("dengue-fever"), persona: await personas.get("calm") },
    });
  }

  it("paraphrases each query through the engine under the JSON schema", async () => {
    requests.length = 0;
    reply = (transcript) => JSON.stringify({ paraphrase: `Please help me. ${transcript.at(-1)!.content}` });
    const samples = await generateQaPairs(await loadKnowledgeBase(), {
      diseases: ["malaria"],
      perDisease: 2,
      seed: 3,
      paraphrase: await paraphraser(),
    });
    expect(samples.map((sample) => sample.meta.variant)).toEqual(["original", "paraphrase", "original", "paraphrase"]);
    expect(samples[1]!.input_text).toBe(`Please help me. ${samples[0]!.input_text}`);
    expect(samples[1]!.output_text).toBe(samples[0]!.output_text);
    expect(requests).toHaveLength(2);
    const first = requests[0] as {
      response_format: { json_schema: { schema: unknown } };
      messages: { role: string; content: string }[];
    };
    expect(first.response_format.json_schema.schema).toEqual(PARAPHRASE_JSON_SCHEMA);
    expect(first.messages.map((message) => message.role)).toEqual(["system", "user"]);
    expect(first.messages[1]!.content).toBe(samples[0]!.input_text);
  });

  it("rejects paraphrases that drop the duration or name the disease", async () => {
    for (const bad of [() => "I feel unwell.", (query: string) => `${query} Could it be malaria?`]) {
      requests.length = 0;
      reply = (transcript) => JSON.stringify({ paraphrase: bad(transcript.at(-1)!.content) });
      const samples = await generateQaPairs(await loadKnowledgeBase(), {
        diseases: ["malaria"],
        perDisease: 2,
        seed: 3,
        paraphrase: await paraphraser(),
        paraphraseAttempts: 3,
      });
      expect(samples.map((sample) => sample.meta.variant)).toEqual(["original", "original"]);
      expect(requests).toHaveLength(6);
    }
  });
});

describe("checkPatientTurn", () => {
  it("compares durations in days, so other words for the same time pass", async () => {
    const kb = await loadKnowledgeBase();
    const patientCase = await cases.get("dengue-fever");
    // The script says "three days".
    expect(checkPatientTurn("It has been 3 days.", patientCase, kb)).toBeUndefined();
    expect(checkPatientTurn("Since about seventy-two hours.", patientCase, kb)).toBeUndefined();
    expect(checkPatientTurn("Maybe 72 hours now.", patientCase, kb)).toBeUndefined();
    expect(checkPatientTurn("For a week now.", patientCase, kb)).toMatchObject({
      kind: "contradiction",
      detail: 'says "1 week(s)", which no fact states',
    });
    expect(checkPatientTurn("I am 24 years old.", patientCase, kb)).toBeUndefined();
    // A rate is not a duration.
    expect(checkPatientTurn("I smoke ten cigarettes a day, once a week I rest.", patientCase, kb)).toBeUndefined();
    expect(checkPatientTurn("It started a week ago.", patientCase, kb)).toMatchObject({ kind: "contradiction" });
    expect(checkPatientTurn("I am 30 years old.", patientCase, kb)).toMatchObject({ kind: "contradiction" });
    expect(checkPatientTurn("I would say 7 out of 10.", patientCase, kb)).toBeUndefined();
    expect(checkPatientTurn("I would say 4 out of 10.", patientCase, kb)).toMatchObject({
      detail: "rates severity 4, the facts say 7",
    });
  });
});

describe("teacher in whole-dialogue mode", () => {
  /** The stand-in answers every numbered question in turn, from the script. */
  const scriptReplies =
    (patientCase: Awaited<ReturnType<typeof cases.get>>, persona: Awaited<ReturnType<typeof personas.get>>) =>
    (transcript: DialogueTurn[]) => {
      const questions = transcript
        .at(-1)!
        .content.split("\n")
        .map((line) => line.replace(/^\d+\. /, ""));
      const turns: DialogueTurn[] = [];
      for (const question of questions) {
        turns.push({ role: "doctor", content: question });
        turns.push({ role: "patient", content: answerFromScript(patientCase, persona, turns).text });
      }
      return JSON.stringify({ replies: turns.filter((turn) => turn.role === "patient").map((turn) => turn.content) });
    };

  it("asks once per dialogue for all replies, under a schema with one reply per question", async () => {
    const patientCase = await cases.get("dengue-fever");
    const persona = await personas.get("rude");
    const engine = await createEngine({ engine: "openai", baseUrl, model: "teacher-test" });
    const teacher = createTeacherResponder({ engine, knowledgeBase: await loadKnowledgeBase(), mode: "dialogue" });
    requests.length = 0;
    reply = scriptReplies(patientCase, persona);
    const result = await synthesizeDialogues({
      cases: [{ patientCase, diseaseId: "dengue" }],
      personas: [persona],
      count: 3,
      seed: 9,
      responder: teacher,
      minTurns: 6,
      maxTurns: 10,
    });
    expect(result.dialogues).toHaveLength(3);
    // One request per dialogue, two (the attempts) per rejected one: the script's two-sentence facts
    // can run past the rude persona's limit of two sentences.
    expect(result.duplicatesRemoved).toEqual({ exact: 0, near: 0 });
    expect(Object.keys(result.rejected.reasons)).toEqual(result.rejected.count ? ["persona"] : []);
    expect(requests).toHaveLength(3 + 2 * result.rejected.count);
    for (const dialogue of result.dialogues) {
      const questions = dialogue.turns.filter((turn) => turn.role === "doctor").map((turn) => turn.content);
      const request = requests.find(
        (item) =>
          (item as { messages: { content: string }[] }).messages[1]!.content ===
          questions.map((question, index) => `${index + 1}. ${question}`).join("\n"),
      );
      const schema = (request as { response_format: { json_schema: { schema: { properties: { replies: unknown } } } } })
        .response_format.json_schema.schema;
      expect(schema.properties.replies).toMatchObject({ minItems: questions.length, maxItems: questions.length });
      dialogue.turns.forEach((turn, at) => {
        if (turn.role === "patient")
          expect(turn.content).toBe(answerFromScript(patientCase, persona, dialogue.turns.slice(0, at)).text);
      });
    }
  });

  it("rejects the whole answer when one reply names the diagnosis, or the count is wrong", async () => {
    const patientCase = await cases.get("dengue-fever");
    const persona = await personas.get("calm");
    const engine = await createEngine({ engine: "openai", baseUrl, model: "teacher-test" });
    const teacher = createTeacherResponder({
      engine,
      knowledgeBase: await loadKnowledgeBase(),
      mode: "dialogue",
      attempts: 1,
    });
    const good = scriptReplies(patientCase, persona);
    reply = (transcript) => {
      const replies = JSON.parse(good(transcript)).replies as string[];
      replies[1] = "It must be dengue.";
      return JSON.stringify({ replies });
    };
    await expect(
      teacher.answerAll!(patientCase, persona, ["What brings you in today?", "How long has this been going on?"], 1),
    ).rejects.toThrow(/^diagnosis_leak: names the diagnosis/);
    reply = () => JSON.stringify({ replies: ["Only one."] });
    await expect(
      teacher.answerAll!(patientCase, persona, ["What brings you in today?", "How long has this been going on?"], 1),
    ).rejects.toThrow(/did not return 2 replies/);
  });
});
