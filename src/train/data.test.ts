/** Reading the chat, medsim and qa formats for training, and the validation split. */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toChatRecord, toMedsimRecord } from "../datasets/index.js";
import { loadKnowledgeBase } from "../knowledge/index.js";
import { personas } from "../library/index.js";
import { generateCaseSet, synthesizeDialogues } from "../synth/index.js";
import { ValidationError } from "../util/errors.js";
import { resolveTrainConfig } from "./config.js";
import { readConversations } from "./data.js";
import { splitData } from "./run.js";
import { deriveSeed, permutation } from "../util/random.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "medsim-train-data-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const jsonl = async (name: string, records: readonly unknown[]): Promise<string> => {
  const path = join(dir, name);
  await writeFile(path, records.map((r) => JSON.stringify(r)).join("\n"));
  return path;
};

describe("training data", () => {
  it("qa pairs become a user question and an assistant answer", async () => {
    const path = await jsonl("qa.jsonl", [{ input_text: "What is fever?", output_text: "A raised body temperature." }]);
    expect(await readConversations(path, "qa")).toEqual([
      {
        messages: [
          { role: "user", content: "What is fever?" },
          { role: "assistant", content: "A raised body temperature." },
        ],
      },
    ]);
  });

  it("medsim records become chats with the persona's system prompt, ending on the patient", async () => {
    const kb = await loadKnowledgeBase();
    const persona = await personas.get("calm");
    const cases = generateCaseSet(kb, [persona], { perDisease: 1, diseases: [kb.diseases[0]?.id ?? ""] });
    const { dialogues } = await synthesizeDialogues({
      cases,
      personas: [persona],
      count: 2,
      seed: 1,
      minTurns: 2,
      maxTurns: 3,
    });
    const path = await jsonl(
      "medsim.jsonl",
      dialogues.map((d) => toMedsimRecord(d)),
    );
    const read = await readConversations(path, "medsim");
    expect(read).toHaveLength(2);
    expect(read[0]?.messages).toEqual(toChatRecord(dialogues[0] as (typeof dialogues)[0]).messages);
    expect(read.every((c) => c.messages.at(-1)?.role === "assistant" && c.messages[0]?.role === "system")).toBe(true);
  });

  it("an invalid line stops the read, naming the line", async () => {
    const path = await jsonl("bad.jsonl", [
      {
        messages: [
          { role: "user", content: "Hi" },
          { role: "assistant", content: "Hello" },
        ],
      },
      { messages: [{ role: "user", content: "only a question" }] },
    ]);
    await expect(readConversations(path, "chat")).rejects.toThrow(ValidationError);
    await expect(readConversations(path, "chat")).rejects.toThrow(/line 2/);
  });

  it("split labels choose the validation set; without labels a seeded fraction is held out", async () => {
    const chat = (i: number, split?: string) => ({
      messages: [
        { role: "user", content: `q${i}` },
        { role: "assistant", content: `a${i}` },
      ],
      ...(split === undefined ? {} : { meta: { split } }),
    });
    const labelled = await jsonl("labelled.jsonl", [chat(0, "train"), chat(1, "validation"), chat(2, "test"), chat(3)]);
    const a = await splitData(resolveTrainConfig({}, { base: "b", data: labelled, out: "o" }));
    expect(a.validation.map((c) => c.messages[0]?.content)).toEqual(["q1"]);
    expect(a.train.map((c) => c.messages[0]?.content)).toEqual(["q0", "q3"]);
    const plain = await jsonl(
      "plain.jsonl",
      Array.from({ length: 20 }, (_, i) => chat(i)),
    );
    const config = resolveTrainConfig({}, { base: "b", data: plain, out: "o", validationSplit: 0.25 });
    const b = await splitData(config);
    expect(b.validation).toHaveLength(5);
    expect(b.train).toHaveLength(15);
    expect((await splitData(config)).validation).toEqual(b.validation);
  });

  it("records labelled test are never trained or validated on, whichever way the validation set is chosen", async () => {
    const chat = (i: number, split?: string) => ({
      messages: [
        { role: "user", content: `q${i}` },
        { role: "assistant", content: `a${i}` },
      ],
      ...(split === undefined ? {} : { meta: { split } }),
    });
    const questions = (set: readonly { messages: readonly { content: string }[] }[]): string[] =>
      set.map((c) => c.messages[0]?.content ?? "");
    // No validation labels: train and test records, as `synth dialogues` output without its validation records.
    const records = Array.from({ length: 18 }, (_, i) => chat(i, i % 3 === 0 ? "test" : "train"));
    const tests = new Set(questions(records.filter((r) => r.meta?.split === "test")));
    const noValidation = await jsonl("train-test.jsonl", records);
    for (let seed = 0; seed < 20; seed++) {
      const split = await splitData(
        resolveTrainConfig({}, { base: "b", data: noValidation, out: "o", validationSplit: 0.25, seed }),
      );
      expect(split.testLeftOut).toBe(6);
      // The random share is a quarter of the 12 train-labelled records, not of all 18.
      expect(split.validation).toHaveLength(3);
      expect(split.train).toHaveLength(9);
      for (const q of [...questions(split.train), ...questions(split.validation)]) expect(tests.has(q), q).toBe(false);
    }
    // Validation labels: the labelled set, test records still out.
    const labelled = await jsonl("three-way.jsonl", [chat(0, "train"), chat(1, "validation"), chat(2, "test")]);
    const a = await splitData(resolveTrainConfig({}, { base: "b", data: labelled, out: "o" }));
    expect(questions(a.train)).toEqual(["q0"]);
    expect(questions(a.validation)).toEqual(["q1"]);
    expect(a.testLeftOut).toBe(1);
    expect(a.validationLeftOut).toBe(0);
    // A validation file: test records of either file are left out of both sets.
    const validationFile = await jsonl("validation.jsonl", [chat(10, "validation"), chat(11, "test"), chat(12)]);
    const b = await splitData(
      resolveTrainConfig({}, { base: "b", data: labelled, validationData: validationFile, out: "o" }),
    );
    expect(questions(b.train)).toEqual(["q0"]);
    expect(questions(b.validation)).toEqual(["q10", "q12"]);
    expect(b.testLeftOut).toBe(2);
  });

  it("with a validation file, records of --data labelled validation are never trained on: left out and counted", async () => {
    const chat = (i: number, split?: string) => ({
      messages: [
        { role: "user", content: `q${i}` },
        { role: "assistant", content: `a${i}` },
      ],
      ...(split === undefined ? {} : { meta: { split } }),
    });
    // As `synth dialogues` writes them: train, validation and test records mixed, plus unlabelled ones.
    const labels = ["train", "validation", "test", "train", "validation", undefined, "validation", "train"];
    const data = await jsonl(
      "mixed.jsonl",
      labels.map((label, i) => chat(i, label)),
    );
    const validationFile = await jsonl("own-validation.jsonl", [chat(20), chat(21, "train"), chat(22, "test")]);
    for (const validationSplit of [0, 0.1, 0.5]) {
      const split = await splitData(
        resolveTrainConfig({}, { base: "b", data, validationData: validationFile, out: "o", validationSplit }),
      );
      // Trained on: the train-labelled and unlabelled records of --data, nothing else.
      expect(split.train.map((c) => c.messages[0]?.content)).toEqual(["q0", "q3", "q5", "q7"]);
      // Validated on: the file's non-test records, exactly (its loss is comparable between runs).
      expect(split.validation.map((c) => c.messages[0]?.content)).toEqual(["q20", "q21"]);
      expect(split.validationLeftOut).toBe(3);
      expect(split.testLeftOut).toBe(2);
    }
    // Without the file the same records are the validation set, and nothing is left out for it.
    const own = await splitData(resolveTrainConfig({}, { base: "b", data, out: "o" }));
    expect(own.validation.map((c) => c.messages[0]?.content)).toEqual(["q1", "q4", "q6"]);
    expect(own.train.map((c) => c.messages[0]?.content)).toEqual(["q0", "q3", "q5", "q7"]);
    expect(own.validationLeftOut).toBe(0);
  });

  it("synthesised dialogues without their validation records: the random share comes from the train records only", async () => {
    const kb = await loadKnowledgeBase();
    const persona = await personas.get("calm");
    const cases = generateCaseSet(kb, [persona], {
      perDisease: 2,
      diseases: kb.diseases.slice(0, 10).map((d) => d.id),
    });
    const { dialogues } = await synthesizeDialogues({
      cases,
      personas: [persona],
      count: 40,
      seed: 2,
      minTurns: 2,
      maxTurns: 3,
    });
    const kept = dialogues.filter((d) => d.split !== "validation").map((d) => toChatRecord(d));
    const testCount = kept.filter((r) => r.meta?.split === "test").length;
    expect(testCount).toBeGreaterThan(0);
    const path = await jsonl("synth-no-validation.jsonl", kept);
    const split = await splitData(resolveTrainConfig({}, { base: "b", data: path, out: "o", validationSplit: 0.2 }));
    expect(split.testLeftOut).toBe(testCount);
    expect(split.train.length + split.validation.length).toBe(kept.length - testCount);
    expect(split.validation.length).toBe(Math.round((kept.length - testCount) * 0.2));
    expect([...split.train, ...split.validation].every((c) => c.split === "train")).toBe(true);
  });

  it("unlabelled data: the seeded share is drawn as before (the same permutation of the same records)", async () => {
    const chat = (i: number) => ({
      messages: [
        { role: "user", content: `q${i}` },
        { role: "assistant", content: `a${i}` },
      ],
    });
    const path = await jsonl(
      "unlabelled.jsonl",
      Array.from({ length: 20 }, (_, i) => chat(i)),
    );
    const split = await splitData(resolveTrainConfig({}, { base: "b", data: path, out: "o", validationSplit: 0.25 }));
    const held = permutation(20, deriveSeed(42, 2000)).slice(0, 5);
    expect(split.validation.map((c) => c.messages[0]?.content)).toEqual(
      [...held].sort((x, y) => x - y).map((i) => `q${i}`),
    );
    expect(split.testLeftOut).toBe(0);
  });
});
