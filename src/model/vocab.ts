/**
 * A synthetic byte-level BPE vocabulary (GPT-2 style, as llama.cpp's `gpt2` tokenizer model
 * expects): three ChatML special tokens, all 256 byte tokens, merges learnt from a small built-in
 * English text, and optional filler tokens to reach a real model's vocabulary size.
 */

/** GPT-2's reversible byte → printable character map (`bytes_to_unicode`). */
export function byteToUnicode(): string[] {
  const printable: number[] = [];
  for (let b = 33; b <= 126; b++) printable.push(b);
  for (let b = 161; b <= 172; b++) printable.push(b);
  for (let b = 174; b <= 255; b++) printable.push(b);
  const map: string[] = new Array<string>(256);
  let extra = 0;
  for (let b = 0; b < 256; b++) {
    if (printable.includes(b)) map[b] = String.fromCodePoint(b);
    else map[b] = String.fromCodePoint(256 + extra++);
  }
  return map;
}

const CORPUS = `The patient is a 54 year old man who presents with chest pain that started two hours ago.
He describes the pain as pressure in the centre of his chest, radiating to the left arm and jaw.
He feels short of breath and sweaty. He has a history of high blood pressure and diabetes,
and he smokes twenty cigarettes a day. His father had a heart attack at the age of sixty.
Doctor: Good morning, what brings you in today? Patient: I have had a headache for three days
and it is getting worse. Doctor: Where exactly is the pain? Patient: It is behind my eyes and
at the back of my head. Doctor: Have you had any fever, nausea or vomiting? Patient: I was sick
this morning and the light hurts my eyes. Doctor: Do you take any medication? Patient: Only
paracetamol, but it does not help. The nurse measured her temperature, pulse, blood pressure
and oxygen saturation. The student should ask about allergies, past medical history, family
history, social history, and the medicines the patient takes. Explain the diagnosis clearly,
check understanding, and agree on a plan with the patient. What are you most worried about?
I am worried that it might be something serious, because my mother had a stroke last year.
Thank you for telling me. Let me examine you now, and then we can talk about the next steps.`;

/** Splits text roughly as a GPT-2 style pre-tokeniser would (words with their leading space). */
function pretokenize(text: string): string[] {
  return text.match(/'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}| ?[^\s\p{L}\p{N}]+|\s+/gu) ?? [];
}

/** Special tokens at the start of every synthetic vocabulary. */
export const CHATML_SPECIAL_TOKENS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"] as const;

/** A vocabulary in the form llama.cpp reads from GGUF metadata. */
export interface SyntheticVocab {
  readonly tokens: readonly string[];
  /** llama.cpp token types: 1 normal, 3 control. */
  readonly tokenTypes: readonly number[];
  readonly merges: readonly string[];
  readonly bosId: number;
  readonly eosId: number;
  readonly padId: number;
}

/**
 * Builds a vocabulary of exactly `size` tokens (at least 259 + merges learnt). Deterministic.
 * @param maxMerges cap on learnt merges (the rest of `size` is filled with unreachable tokens)
 */
export function buildVocab(size: number, maxMerges = 2000): SyntheticVocab {
  const minimum = CHATML_SPECIAL_TOKENS.length + 256;
  if (!Number.isInteger(size) || size < minimum)
    throw new RangeError(`vocabulary size: expected an integer >= ${minimum}, found ${size}`);
  const bytes = byteToUnicode();
  const tokens: string[] = [...CHATML_SPECIAL_TOKENS, ...bytes];
  const tokenTypes: number[] = [3, 3, 3, ...bytes.map(() => 1)];
  const known = new Set(tokens);
  const merges: string[] = [];
  const encoder = new TextEncoder();
  const wordCounts = new Map<string, number>();
  for (const word of pretokenize(CORPUS)) wordCounts.set(word, (wordCounts.get(word) ?? 0) + 1);
  const words = [...wordCounts].map(([word, count]) => ({
    symbols: [...encoder.encode(word)].map((b) => bytes[b] ?? ""),
    count,
  }));
  const mergeBudget = Math.min(maxMerges, size - minimum);
  while (merges.length < mergeBudget) {
    const pairs = new Map<string, number>();
    for (const { symbols, count } of words) {
      for (let i = 0; i + 1 < symbols.length; i++) {
        const key = `${symbols[i]} ${symbols[i + 1]}`;
        pairs.set(key, (pairs.get(key) ?? 0) + count);
      }
    }
    let best: string | undefined;
    let bestCount = 1;
    for (const [key, count] of pairs) {
      if (count > bestCount || (count === bestCount && best !== undefined && key < best)) {
        best = key;
        bestCount = count;
      }
    }
    if (best === undefined) break;
    const [left = "", right = ""] = best.split(" ");
    const merged = left + right;
    merges.push(best);
    if (!known.has(merged)) {
      known.add(merged);
      tokens.push(merged);
      tokenTypes.push(1);
    }
    for (const word of words) {
      const next: string[] = [];
      for (let i = 0; i < word.symbols.length; i++) {
        if (word.symbols[i] === left && word.symbols[i + 1] === right) {
          next.push(merged);
          i++;
        } else next.push(word.symbols[i] ?? "");
      }
      word.symbols = next;
    }
  }
  // Filler tokens: never produced by the merges, so they only pad the embedding to a real size.
  // The corpus's words come first, so that a random model's output reads as word salad rather
  // than filler names.
  for (const word of wordCounts.keys()) {
    if (tokens.length >= size) break;
    const text = [...encoder.encode(word)].map((b) => bytes[b] ?? "").join("");
    if (known.has(text) || word.trim() === "") continue;
    known.add(text);
    tokens.push(text);
    tokenTypes.push(1);
  }
  for (let i = 0; tokens.length < size; i++) {
    tokens.push(`<|filler_${i}|>`);
    tokenTypes.push(1);
  }
  return { tokens, tokenTypes, merges, bosId: 0, eosId: 2, padId: 0 };
}

/** ChatML, the chat template of SmolLM2 and Qwen2.5 instruct models. */
export const CHATML_TEMPLATE =
  "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";
