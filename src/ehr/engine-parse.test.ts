import { afterEach, describe, expect, it } from "vitest";
import { createEngine } from "../engines/index.js";
import { openAIChatHandler, startStandInServer, type StandInServer } from "../engines/stand-in-servers.test-utils.js";
import { loadEhrCatalog } from "./catalog.js";
import { parseRequestWithEngine } from "./engine-parse.js";
import { EhrRequestError } from "./errors.js";
import { CohortSpecSchema } from "./spec.js";

let server: StandInServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** The openai engine against a real HTTP peer on loopback that answers with `reply`. */
async function engineAnswering(reply: string) {
  server = await startStandInServer(openAIChatHandler(() => reply));
  return createEngine({ engine: "openai", baseUrl: `${server.url}/v1`, model: "stand-in", apiKey: "x" });
}

describe("parseRequestWithEngine", () => {
  it("sends the cohort JSON schema to the model and checks its answer like the rule-based parser", async () => {
    const catalog = await loadEhrCatalog();
    const engine = await engineAnswering(
      JSON.stringify({
        count: 300,
        conditions: ["asthma"],
        population: { country: "india", state: "Kerala", setting: "urban" },
        age: { min: 20, max: 40 },
      }),
    );
    const parsed = await parseRequestWithEngine("three hundred young urban asthmatics in Kerala", engine, catalog);
    expect(parsed.spec).toEqual(
      CohortSpecSchema.parse({
        count: 300,
        conditions: ["asthma"],
        population: { country: "india", state: "Kerala", setting: "urban" },
        age: { min: 20, max: 40 },
      }),
    );
    const body = server!.requests[0]!.body;
    expect(JSON.stringify(body.response_format)).toContain("conditions");
    expect(body.messages.at(-1)?.content).toBe("three hundred young urban asthmatics in Kerala");
    await engine.dispose();
  });

  it("turns a model's impossible or malformed answer into the same clear error", async () => {
    const catalog = await loadEhrCatalog();
    let engine = await engineAnswering(
      JSON.stringify({ count: 10, conditions: ["lupus"], population: { country: "us" } }),
    );
    await expect(parseRequestWithEngine("ten lupus patients", engine, catalog)).rejects.toThrow(
      /unknown condition "lupus"/,
    );
    await engine.dispose();
    await server!.close();
    engine = await engineAnswering("Sure! Here are your patients.");
    const error = await parseRequestWithEngine("ten patients", engine, catalog).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EhrRequestError);
    expect((error as Error).message).toMatch(/did not answer with a JSON specification/);
    await engine.dispose();
  });
});
