/**
 * A real-lineage vocabulary for the real-shape presets: the 100,256 byte-level BPE tokens of
 * OpenAI's cl100k_base (bundled in the `js-tiktoken` package), written as llama.cpp's `gpt2`
 * tokenizer model. Qwen2.5's and Llama 3's tokenizers both start from cl100k_base (Qwen adds
 * Chinese tokens, Llama 3 adds 28k multilingual ones), so English text splits into about as many
 * tokens as with the real model (about 3.8 characters per token on this project's dialogues,
 * against about 1.9 with the small synthetic vocabulary), and token counts, prompt lengths and
 * training times measured on a random-weight preset are those a user of the real model sees.
 *
 * Written by hand because no library converts tiktoken ranks to GGUF merges in TypeScript: the
 * merges are recovered as Hugging Face's tiktoken converter does (each token's bytes are
 * re-encoded with only the lower-ranked tokens until two parts remain; those two are its merge).
 */
import { byteToUnicode, CHATML_SPECIAL_TOKENS, type SyntheticVocab } from "./vocab.js";

/** Number of BPE tokens in cl100k_base (ranks 0..100255). */
export const CL100K_TOKEN_COUNT = 100_256;

/** Smallest vocabulary the cl100k tokens, the ChatML special tokens and nothing else fill. */
export const CL100K_MINIMUM_VOCAB = CL100K_TOKEN_COUNT + CHATML_SPECIAL_TOKENS.length;

/** Rank → bytes of every cl100k_base token, from js-tiktoken's compressed rank file. */
async function loadRanks(): Promise<Uint8Array[]> {
  // The rank file is ~1 MB of JavaScript: loaded only when a real preset is written.
  const { default: cl100k } = (await import("js-tiktoken/ranks/cl100k_base")) as {
    default: { bpe_ranks: string };
  };
  const byRank: Uint8Array[] = [];
  // Each line: "<marker> <first rank> <base64 token> <base64 token> ..." (consecutive ranks).
  for (const line of cl100k.bpe_ranks.split("\n")) {
    if (line === "") continue;
    const [, offsetText = "", ...encoded] = line.split(" ");
    const offset = Number.parseInt(offsetText, 10);
    encoded.forEach((token, index) => (byRank[offset + index] = new Uint8Array(Buffer.from(token, "base64"))));
  }
  if (byRank.length !== CL100K_TOKEN_COUNT || byRank.some((bytes) => bytes === undefined))
    throw new Error(`cl100k_base ranks: expected ${CL100K_TOKEN_COUNT} contiguous ranks, found ${byRank.length}`);
  return byRank;
}

/**
 * The two lower-ranked tokens `bytes` is merged from: byte-pair encoding of `bytes` using only
 * ranks below `rank` (the merge that creates the token must come after those of its parts).
 */
function splitIntoMerge(bytes: Uint8Array, rank: number, rankOf: Map<string, number>): [string, string] {
  let parts = [...bytes].map((b) => String.fromCharCode(b));
  while (parts.length > 2) {
    let best = -1;
    let bestRank = rank;
    for (let i = 0; i + 1 < parts.length; i++) {
      const pairRank = rankOf.get((parts[i] ?? "") + (parts[i + 1] ?? ""));
      if (pairRank !== undefined && pairRank < bestRank) {
        best = i;
        bestRank = pairRank;
      }
    }
    if (best < 0) break;
    parts = [...parts.slice(0, best), (parts[best] ?? "") + (parts[best + 1] ?? ""), ...parts.slice(best + 2)];
  }
  if (parts.length !== 2) throw new Error(`cl100k_base rank ${rank}: not reachable by one merge`);
  return [parts[0] ?? "", parts[1] ?? ""];
}

/**
 * Builds a vocabulary of exactly `size` tokens: ids 0..100255 are cl100k_base's tokens (id =
 * rank), then the ChatML special tokens, then unreachable filler tokens up to `size` (the real
 * models' vocabularies are larger; the filler only pads the embedding to the real shape).
 */
export async function buildCl100kVocab(size: number): Promise<SyntheticVocab> {
  if (!Number.isInteger(size) || size < CL100K_MINIMUM_VOCAB)
    throw new RangeError(`vocabulary size: expected an integer >= ${CL100K_MINIMUM_VOCAB}, found ${size}`);
  const byRank = await loadRanks();
  const unicode = byteToUnicode();
  const asText = (latin1: string) => [...latin1].map((c) => unicode[c.charCodeAt(0)] ?? "").join("");
  // Bytes as a latin-1 string: a cheap, exact map key.
  const rankOf = new Map<string, number>();
  byRank.forEach((bytes, rank) => rankOf.set(String.fromCharCode(...bytes), rank));
  const tokens: string[] = byRank.map((bytes) => asText(String.fromCharCode(...bytes)));
  const tokenTypes: number[] = tokens.map(() => 1);
  const merges: string[] = [];
  byRank.forEach((bytes, rank) => {
    if (bytes.length < 2) return;
    const [left, right] = splitIntoMerge(bytes, rank, rankOf);
    merges.push(`${asText(left)} ${asText(right)}`);
  });
  const specialStart = tokens.length;
  for (const special of CHATML_SPECIAL_TOKENS) {
    tokens.push(special);
    tokenTypes.push(3);
  }
  for (let i = 0; tokens.length < size; i++) {
    tokens.push(`<|filler_${i}|>`);
    tokenTypes.push(1);
  }
  // <|endoftext|> begins and pads, <|im_end|> ends a turn, as in the synthetic vocabulary.
  return { tokens, tokenTypes, merges, bosId: specialStart, eosId: specialStart + 2, padId: specialStart };
}
