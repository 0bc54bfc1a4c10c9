import { hashString } from "../util/random.js";

/** Options for {@link DuplicateFilter}. */
export interface DuplicateFilterOptions {
  /** Estimated Jaccard similarity of word 3-grams at or above which two texts are near-duplicates. Default 0.9. */
  threshold?: number;
  /** MinHash signature length. Default 64. */
  hashes?: number;
  /** Locality-sensitive-hashing bands (must divide `hashes`). Default 16. */
  bands?: number;
}

/**
 * Finds exact and near duplicates among texts as they are added: exact by a key (e.g. the patient
 * turns joined), near by MinHash over word 3-grams with LSH banding, so each check costs about the
 * same however many texts were added (10,000 dialogues take well under a second).
 */
export class DuplicateFilter {
  private readonly exact = new Set<string>();
  private readonly buckets = new Map<string, number[]>();
  private readonly signatures: Uint32Array[] = [];
  private readonly threshold: number;
  private readonly hashes: number;
  private readonly rows: number;
  private readonly seeds: Uint32Array;

  constructor(options: DuplicateFilterOptions = {}) {
    this.threshold = options.threshold ?? 0.9;
    this.hashes = options.hashes ?? 64;
    const bands = options.bands ?? 16;
    if (this.hashes % bands !== 0) throw new RangeError("bands must divide hashes");
    this.rows = this.hashes / bands;
    this.seeds = Uint32Array.from({ length: this.hashes }, (_, index) => hashString(`minhash-${index}`));
  }

  /**
   * Checks `text` (with its exact `key`) against everything added so far; adds it when it is new.
   * Returns `"exact"`, `"near"` or undefined (new).
   */
  add(key: string, text: string): "exact" | "near" | undefined {
    if (this.exact.has(key)) return "exact";
    const signature = this.signature(text);
    const candidates = new Set<number>();
    const bandKeys: string[] = [];
    for (let start = 0; start < this.hashes; start += this.rows) {
      const bandKey = `${start}:${signature.subarray(start, start + this.rows).join(",")}`;
      bandKeys.push(bandKey);
      for (const id of this.buckets.get(bandKey) ?? []) candidates.add(id);
    }
    for (const id of candidates) if (similarity(signature, this.signatures[id]!) >= this.threshold) return "near";
    const id = this.signatures.length;
    this.signatures.push(signature);
    this.exact.add(key);
    for (const bandKey of bandKeys) {
      const bucket = this.buckets.get(bandKey);
      if (bucket) bucket.push(id);
      else this.buckets.set(bandKey, [id]);
    }
    return undefined;
  }

  private signature(text: string): Uint32Array {
    const tokens = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
    const shingles = new Set<number>();
    if (tokens.length < 3) shingles.add(hashString(tokens.join(" ")));
    for (let index = 0; index + 3 <= tokens.length; index++)
      shingles.add(hashString(`${tokens[index]} ${tokens[index + 1]} ${tokens[index + 2]}`));
    const signature = new Uint32Array(this.hashes).fill(0xffffffff);
    for (const shingle of shingles) {
      for (let index = 0; index < this.hashes; index++) {
        const value = mix(shingle ^ this.seeds[index]!);
        if (value < signature[index]!) signature[index] = value;
      }
    }
    return signature;
  }
}

/** Estimated Jaccard similarity: the share of equal MinHash values. */
function similarity(a: Uint32Array, b: Uint32Array): number {
  let same = 0;
  for (let index = 0; index < a.length; index++) if (a[index] === b[index]) same++;
  return same / a.length;
}

/** A 32-bit integer finaliser (murmur3 fmix32). */
function mix(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
