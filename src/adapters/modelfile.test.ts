import { describe, expect, it } from "vitest";
import { CHATML_TEMPLATE } from "../model/index.js";
import { buildModelfile } from "./modelfile.js";

describe("Ollama Modelfile", () => {
  it("has FROM, ADAPTER, the ChatML TEMPLATE, SYSTEM and parameters with ChatML stops", () => {
    const text = buildModelfile({
      from: "/models/base model.gguf",
      adapter: "./adapter.gguf",
      system: "You are Mrs Rao.\nAnswer briefly.",
      chatTemplate: CHATML_TEMPLATE,
      numCtx: 2048,
    });
    expect(text).toBe(
      [
        'FROM "/models/base model.gguf"',
        "ADAPTER ./adapter.gguf",
        'TEMPLATE """{{- range .Messages }}<|im_start|>{{ .Role }}\n{{ .Content }}<|im_end|>\n{{ end }}<|im_start|>assistant\n"""',
        'SYSTEM """You are Mrs Rao.\nAnswer briefly."""',
        "PARAMETER temperature 0.7",
        "PARAMETER top_p 0.9",
        "PARAMETER num_ctx 2048",
        'PARAMETER stop "<|im_end|>"',
        'PARAMETER stop "<|im_start|>"',
        "",
      ].join("\n"),
    );
  });

  it("leaves the template and stops to Ollama for other templates, and refuses text it cannot quote", () => {
    const text = buildModelfile({
      from: "./model.gguf",
      chatTemplate: "{{ bos_token }}[INST] ...",
      temperature: 0.2,
      parameters: { repeat_penalty: 1.1 },
    });
    expect(text).not.toMatch(/TEMPLATE|ADAPTER|SYSTEM|stop/);
    expect(text).toContain("PARAMETER temperature 0.2\n");
    expect(text).toContain("PARAMETER repeat_penalty 1.1\n");
    expect(() => buildModelfile({ from: "./m.gguf", system: 'say """hi"""' })).toThrow(/SYSTEM.*"""/);
  });
});
