/**
 * Base model versus its LoRA fine-tuned version, end to end through the CLI: a tiny random base
 * (the project's model factory), anxious-persona question/reply pairs from the synthesiser,
 * `medsim train`, then `medsim eval run --engine llama --adapter ... --baseline base
 * --perplexity-data ...`: the report puts both models side by side with the measured persona
 * accuracy and perplexity of each and their difference.
 *
 * Small on purpose (about a minute on a busy 2-core machine): 200 optimizer steps on ~130 short
 * pairs, two interviews of 8 questions a model, 32-token greedy replies, one llama.cpp thread.
 * Two llama.cpp threads on two cores shared with other work wait on each other at every step of
 * a tiny model's graph: the same evaluation took 275 s with two threads and 27 s with one.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toChatRecord } from "../../datasets/index.js";
import { isSocialExchange } from "../../eval/persona/index.js";
import { loadKnowledgeBase } from "../../knowledge/index.js";
import { personas } from "../../library/index.js";
import { createModelFile } from "../../model/index.js";
import { generateCaseSet, synthesizeDialogues } from "../../synth/index.js";
import { runCliInProcess as run } from "../run-in-process.test-utils.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "medsim-eval-compare-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The HTML table row of a metric: its label, then one cell per model and the difference. */
function reportRow(html: string, label: string): string[] | undefined {
  const row = new RegExp(`<tr><td>${label.replace(/[()]/g, "\\$&")}</td>(.*?)</tr>`).exec(html);
  return row ? [...row[1]!.matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((cell) => cell[1]!) : undefined;
}

describe("medsim eval run: base vs LoRA fine-tuned", () => {
  it("reports the measured difference in persona accuracy and perplexity", { timeout: 300_000 }, async () => {
    const base = join(dir, "base.gguf");
    await createModelFile({ arch: "llama", preset: "tiny", quant: "f32", seed: 1, out: base });
    const kb = await loadKnowledgeBase();
    const anxious = await personas.get("anxious");
    const diseases = kb.diseases.slice(0, 8).map((disease) => disease.id);
    const { dialogues } = await synthesizeDialogues({
      cases: generateCaseSet(kb, [anxious], { perDisease: 2, diseases }),
      personas: [anxious],
      count: 40,
      seed: 3,
      minTurns: 6,
      maxTurns: 6,
    });
    // One question and its reply per example, without the persona system prompt (the tiny
    // byte-level vocabulary makes it ~2000 tokens): short sequences, so many replies per step.
    const pairs = dialogues.flatMap((dialogue) => {
      const messages = toChatRecord(dialogue).messages.filter((message) => message.role !== "system");
      return messages.flatMap((message, index) =>
        message.role === "user" && messages[index + 1]?.role === "assistant" && !isSocialExchange(message.content)
          ? [JSON.stringify({ messages: [message, messages[index + 1]] })]
          : [],
      );
    });
    expect(pairs.length).toBeGreaterThan(100);
    await writeFile(join(dir, "train.jsonl"), pairs.slice(16).join("\n") + "\n");
    await writeFile(join(dir, "held-out.jsonl"), pairs.slice(0, 16).join("\n") + "\n");

    const out = join(dir, "run");
    // One backend thread: onnxruntime's pool would otherwise keep competing with llama.cpp below.
    const trained = await run(
      "train",
      ...["--base", base, "--data", join(dir, "train.jsonl"), "--out", out, "--max-steps", "200"],
      ...["--lr", "2e-2", "--batch-size", "8", "--max-length", "160", "--lora-r", "32", "--lora-alpha", "64"],
      ...["--lora-dropout", "0", "--eval-steps", "0", "--save-steps", "0", "--threads", "1", "--json"],
    );
    expect(trained.code, trained.stderr).toBe(0);
    expect(JSON.parse(trained.stdout).steps).toBe(200);

    const report = join(dir, "compare.html");
    const result = await run(
      ...["eval", "run", "--engine", "llama", "--model", base, "--adapter", join(out, "adapter.gguf")],
      ...["--baseline", "base", "--cases", "dengue-fever,typhoid-fever", "--personas", "anxious"],
      ...["--system-prompt", "none", "--adversarial", "0", "--questions", "8", "--max-tokens", "32"],
      ...["--temperature", "0", "--threads", "1", "--perplexity-data", join(dir, "held-out.jsonl")],
      ...["--report", report, "--json"],
    );
    expect(result.code, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.adapter).toMatch(/adapter\.gguf$/);
    expect(json.baseline.adapter).toBeNull();
    expect([json.interviews, json.baseline.interviews]).toEqual([2, 2]);
    expect([json.turns, json.baseline.turns]).toEqual([16, 16]);
    const [fineTuned, baseline] = [json.metrics, json.baseline.metrics];
    // Perplexity on held-out anxious pairs: near the vocabulary size for the random base (measured
    // 891), about 10 with the adapter.
    expect(fineTuned.perplexity).toBeLessThan(baseline.perplexity / 10);
    // Among the seed personas (one persona was played), the base model's random bytes sound like
    // none in particular (the classifier calls them calm); the adapter's replies, though still
    // broken words, carry anxious phrases ("Please be", "I'm so", "worried?"). Measured, seeded
    // and greedy: 0.33 vs 0.00 (4 of 12 history replies vs none; with 24-token replies 0.17 vs 0.08). Every reply is the model's own: none was replaced by the scripted fallback.
    expect(fineTuned.scripted_fallbacks).toBe(0);
    expect(baseline.scripted_fallbacks).toBe(0);
    expect(fineTuned.persona_accuracy).toBeGreaterThan(baseline.persona_accuracy);

    // The report puts both side by side, with the difference of the measured values.
    const html = await readFile(report, "utf8");
    expect(html).toContain("<th>fine-tuned</th><th>base</th><th>fine-tuned − base</th>");
    const shown = (value: number, digits: number) => (Number.isInteger(value) ? String(value) : value.toFixed(digits));
    const row = (values: number[], digits: number) => {
      const difference = values[0]! - values[1]!;
      return [
        ...values.map((value) => shown(value, digits)),
        `${difference >= 0 ? "+" : ""}${shown(difference, digits)}`,
      ];
    };
    expect(reportRow(html, "persona accuracy")).toEqual(
      row([fineTuned.persona_accuracy, baseline.persona_accuracy], 3),
    );
    expect(reportRow(html, "perplexity (held-out dialogues)")).toEqual(
      row([fineTuned.perplexity, baseline.perplexity], 2),
    );
    // The per-persona bars have a bar of each model.
    const personaChart = html.slice(html.indexOf("Persona accuracy by persona"));
    expect(personaChart).toMatch(/fine-tuned/);
    expect(personaChart).toMatch(/base/);
  });
});
