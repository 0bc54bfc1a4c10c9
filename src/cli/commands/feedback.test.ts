import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  openAIChatHandler,
  startStandInServer,
  type StandInServer,
} from "../../engines/stand-in-servers.test-utils.js";
import { EncounterFeedbackSchema } from "../../feedback/index.js";
import { runCliInProcess as run, runCommand } from "../run-in-process.test-utils.js";

const fixtures = join(import.meta.dirname, "../../feedback/fixtures");

describe("medsim feedback", () => {
  let judge: StandInServer;
  beforeAll(async () => {
    // A judge on loopback that speaks the OpenAI protocol and answers with the feedback JSON.
    judge = await startStandInServer(
      openAIChatHandler((request) => {
        const prompt = request.body.messages.map((message) => message.content).join("\n");
        const asked = prompt.includes("[2] Student: How long have you had it");
        return JSON.stringify({
          items: [
            { id: "duration", met: asked, turns: asked ? [2, 3] : [], note: "Asked how long." },
            { id: "allergies", met: true, turns: [99], note: "A turn that does not exist." },
          ],
          impression: { verdict: "not_stated" },
          tips: ["Introduce yourself.", "Ask an open question first.", "Screen for warning signs."],
        });
      }),
    );
  });
  afterAll(() => judge.close());

  it("prints items grouped with evidence, and --json the schema", async () => {
    const text = await run("feedback", join(fixtures, "right-diagnosis.json"));
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("✓ Introduction");
    expect(text.stdout).toContain('[turn 18] "From what you have told me, I think this is most likely tuberculosis');
    expect(text.stdout).toContain("Impression: correct.");

    const json = await run("feedback", join(fixtures, "poor.json"), "--json");
    expect(json.code).toBe(0);
    const feedback = EncounterFeedbackSchema.parse(JSON.parse(json.stdout));
    expect(feedback.mode).toBe("deterministic");
    expect(feedback.items.find((item) => item.id === "avoids_jargon")!.evidence[0]!.turn).toBe(4);
  });

  it("with --engine, a judge model fills the same schema and the result says so", async () => {
    const result = await run(
      "feedback",
      join(fixtures, "poor.json"),
      "--json",
      "--engine",
      "openai",
      "--base-url",
      `${judge.url}/v1`,
      "--model",
      "judge-model",
    );
    expect(result.stderr).toBe("");
    const feedback = EncounterFeedbackSchema.parse(JSON.parse(result.stdout));
    expect(feedback.mode).toBe("judge");
    expect(feedback.judge).toBe("openai:judge-model");
    const duration = feedback.items.find((item) => item.id === "duration")!;
    expect(duration).toMatchObject({ met: true, evidence: [{ turn: 2 }, { turn: 3 }] });
    expect(duration.evidence[0]!.quote).toContain("How long have you had it");
    // A turn the transcript does not have is dropped rather than quoted.
    expect(feedback.items.find((item) => item.id === "allergies")!.evidence).toEqual([]);
    expect(feedback.tips).toEqual(["Introduce yourself.", "Ask an open question first.", "Screen for warning signs."]);
    // The request asked for JSON under the schema.
    expect(JSON.stringify(judge.requests.at(-1)!.body.response_format)).toContain("impression");
  });

  it("names the file and field of a bad session, and refuses the scripted engine as a judge", async () => {
    const missing = await runCommand("feedback no-such-session.json");
    expect(missing).toMatchObject({ code: 1, stdout: "" });
    expect(missing.stderr).toBe("medsim: no-such-session.json: file not found\n");
    const scripted = await run("feedback", join(fixtures, "poor.json"), "--engine", "scripted");
    expect(scripted.code).toBe(1);
    expect(scripted.stderr).toMatch(/scripted engine cannot judge/);
  });
});
