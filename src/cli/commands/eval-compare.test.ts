/**
 * Base model versus its LoRA fine-tuned version, end to end through the CLI: a tiny random base
 * (the project's model factory), anxious-persona dialogues from the synthesiser, `medsim train`,
 * then `medsim eval run --engine llama --adapter ... --baseline base --perplexity-data ...`:
 * the report compares both, with the measured persona accuracy and perplexity of each.
 */
import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { toChatRecord } from "../../datasets/index.js";
import { loadKnowledgeBase } from "../../knowledge/index.js";
import { personas } from "../../library/index.js";
import { createModelFile } from "../../model/index.js";
import { generateCaseSet, synthesizeDialogues } from "../../synth/index.js";
import { runCommand } from "../run-in-process.test-utils.js";
import { useTempDirectory } from "../../util/temp-directory.test-utils.js";

const execFileAsync = promisify(execFile);
const temp = useTempDirectory("medsim-eval-compare-");

// Minutes on a busy 2-core machine: run with MEDSIM_SLOW_TESTS=1 (not part of the default suite).
describe.skipIf(!process.env.MEDSIM_SLOW_TESTS)("medsim eval run: base vs LoRA fine-tuned", () => {
  it("reports the measured difference in persona accuracy and perplexity", { timeout: 1_200_000 }, async () => {
    const started = Date.now();
    const log = (step: string) => process.stderr.write(`eval-compare: ${step} after ${Date.now() - started} ms\n`);
    const base = temp.file("base.gguf");
    await createModelFile({ arch: "llama", preset: "tiny", quant: "f32", seed: 1, out: base });
    const kb = await loadKnowledgeBase();
    const anxious = await personas.get("anxious");
    const diseases = kb.diseases.slice(0, 8).map((disease) => disease.id);
    const { dialogues } = await synthesizeDialogues({
      cases: generateCaseSet(kb, [anxious], { perDisease: 2, diseases }),
      personas: [anxious],
      count: 56,
      seed: 3,
      minTurns: 2,
      maxTurns: 2,
    });
    // The tiny byte-level vocabulary makes the persona system prompt ~2000 tokens: train and evaluate on the turns.
    const chats = dialogues.map((d) =>
      JSON.stringify({ messages: toChatRecord(d).messages.filter((m) => m.role !== "system") }),
    );
    await writeFile(temp.file("train.jsonl"), chats.slice(8).join("\n") + "\n");
    await writeFile(temp.file("held-out.jsonl"), chats.slice(0, 8).join("\n") + "\n");

    log("data written");
    const out = temp.file("run");
    // Training runs in its own process: onnxruntime's thread pool, once started, keeps competing
    // with llama.cpp for this machine's two cores for the rest of the process.
    const runner = temp.file("medsim.mjs");
    await writeFile(
      runner,
      `const { main } = await import(${JSON.stringify(new URL("../main.ts", import.meta.url).href)});\nprocess.exit(await main(process.argv.slice(2)));\n`,
    );
    const trained = await execFileAsync(
      process.execPath,
      [
        "--import",
        "tsx",
        runner,
        "train",
        "--base",
        base,
        "--data",
        temp.file("train.jsonl"),
        "--out",
        out,
        "--max-steps",
        "300",
        "--lr",
        "3e-3",
        "--batch-size",
        "2",
        "--max-length",
        "512",
        "--lora-r",
        "8",
        "--lora-alpha",
        "16",
        "--lora-dropout",
        "0",
        "--eval-steps",
        "0",
        "--save-steps",
        "0",
        "--json",
      ],
      { maxBuffer: 16 * 1024 * 1024 },
    );
    expect(JSON.parse(trained.stdout).steps).toBe(300);
    log("trained");

    const report = temp.file("compare.html");
    const result = await runCommand(
      "eval run --engine llama --baseline base --cases dengue-fever,typhoid-fever --personas anxious,calm --system-prompt none --adversarial 0 --max-tokens 40 --temperature 0.3 --json",
      "--model",
      base,
      "--adapter",
      join(out, "adapter.gguf"),
      "--perplexity-data",
      temp.file("held-out.jsonl"),
      "--report",
      report,
    );
    expect(result.code, result.stderr).toBe(0);
    log("evaluated");
    const json = JSON.parse(result.stdout);
    expect(json.adapter).toMatch(/adapter\.gguf$/);
    expect(json.baseline.adapter).toBeNull();
    expect(json.interviews).toBe(2);
    expect(json.baseline.interviews).toBe(2);
    expect(json.turns).toBe(12);
    // Perplexity on held-out anxious dialogues: the adapter cuts it several-fold.
    expect(json.metrics.perplexity).toBeLessThan(json.baseline.metrics.perplexity / 3);
    // Persona accuracy is measured for both and the report shows the difference.
    expect(typeof json.metrics.persona_accuracy).toBe("number");
    expect(typeof json.baseline.metrics.persona_accuracy).toBe("number");
    const html = await readFile(report, "utf8");
    expect(html).toContain("fine-tuned − base");
    expect(html).toContain("perplexity (held-out dialogues)");
    const accuracyRow =
      /<td>persona accuracy<\/td><td[^>]*>([\d.]+|n\/a)<\/td><td[^>]*>([\d.]+|n\/a)<\/td><td>([+-][\d.]+)<\/td>/.exec(
        html,
      );
    expect(accuracyRow, "persona accuracy row with its difference").not.toBeNull();
    process.stderr.write(
      `base vs fine-tuned: persona accuracy ${json.baseline.metrics.persona_accuracy} -> ${json.metrics.persona_accuracy} (anxious ${json.baseline.by_persona.anxious.persona_accuracy} -> ${json.by_persona.anxious.persona_accuracy}), perplexity ${json.baseline.metrics.perplexity} -> ${json.metrics.perplexity}\n`,
    );
  });
});
