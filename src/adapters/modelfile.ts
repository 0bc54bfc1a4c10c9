/**
 * Ollama `Modelfile`s for a fine-tuned model: `FROM` the (merged or base) GGUF, `ADAPTER` the
 * LoRA GGUF when not merged, the persona's `SYSTEM` prompt, sampling `PARAMETER`s, and, for
 * ChatML models, an explicit `TEMPLATE` (Ollama would otherwise guess one from the GGUF's chat
 * template) with `<|im_end|>` as the stop token.
 */
import { AdapterError } from "./errors.js";

/** Options for {@link buildModelfile}. */
export interface ModelfileOptions {
  /** `FROM`: the GGUF to run (a path as Ollama should read it, e.g. `./model.gguf`). */
  readonly from: string;
  /** `ADAPTER`: a LoRA adapter GGUF applied on top of `from`. Default: none (merged or plain model). */
  readonly adapter?: string;
  /** `SYSTEM`: the system prompt (e.g. `buildSystemPrompt(case, persona)`). Default: none. */
  readonly system?: string;
  /** The model's `tokenizer.chat_template`; a ChatML one gets an explicit `TEMPLATE` and ChatML stops. */
  readonly chatTemplate?: string;
  /** Default 0.7 (the llama engine's default). */
  readonly temperature?: number;
  /** Default 0.9. */
  readonly topP?: number;
  /** Context window. Default 4096. */
  readonly numCtx?: number;
  /** Stop sequences. Default: `<|im_end|>` and `<|im_start|>` for ChatML, none otherwise. */
  readonly stop?: readonly string[];
  /** Extra `PARAMETER` lines, e.g. `{ repeat_penalty: 1.1 }`. */
  readonly parameters?: Readonly<Record<string, number | string>>;
}

/** Ollama's ChatML template: the Modelfile's SYSTEM arrives as the first system message. */
export const OLLAMA_CHATML_TEMPLATE = `{{- range .Messages }}<|im_start|>{{ .Role }}
{{ .Content }}<|im_end|>
{{ end }}<|im_start|>assistant
`;

/** Whether a chat template is ChatML (`<|im_start|>role ... <|im_end|>`). */
export function isChatmlTemplate(template: string | undefined): boolean {
  return template !== undefined && template.includes("<|im_start|>") && template.includes("<|im_end|>");
}

function path(value: string): string {
  // Ollama's parser splits on whitespace unless the argument is quoted.
  return /\s|"/.test(value) ? JSON.stringify(value) : value;
}

function multiline(field: string, text: string): string {
  if (text.includes('"""'))
    throw new AdapterError(`Modelfile ${field}: the text contains """, which Ollama's Modelfile cannot quote`);
  return `"""${text}"""`;
}

function number(field: string, value: number): string {
  if (!Number.isFinite(value)) throw new AdapterError(`Modelfile ${field}: expected a finite number, found ${value}`);
  return String(value);
}

/** The text of an Ollama Modelfile (ends with a newline). */
export function buildModelfile(options: ModelfileOptions): string {
  const chatml = isChatmlTemplate(options.chatTemplate);
  const lines = [`FROM ${path(options.from)}`];
  if (options.adapter !== undefined) lines.push(`ADAPTER ${path(options.adapter)}`);
  if (chatml) lines.push(`TEMPLATE ${multiline("TEMPLATE", OLLAMA_CHATML_TEMPLATE)}`);
  if (options.system !== undefined && options.system.length > 0)
    lines.push(`SYSTEM ${multiline("SYSTEM", options.system)}`);
  lines.push(`PARAMETER temperature ${number("temperature", options.temperature ?? 0.7)}`);
  lines.push(`PARAMETER top_p ${number("top_p", options.topP ?? 0.9)}`);
  lines.push(`PARAMETER num_ctx ${number("num_ctx", options.numCtx ?? 4096)}`);
  for (const stop of options.stop ?? (chatml ? ["<|im_end|>", "<|im_start|>"] : []))
    lines.push(`PARAMETER stop ${JSON.stringify(stop)}`);
  for (const [key, value] of Object.entries(options.parameters ?? {}))
    lines.push(`PARAMETER ${key} ${typeof value === "number" ? number(key, value) : JSON.stringify(value)}`);
  return `${lines.join("\n")}\n`;
}
