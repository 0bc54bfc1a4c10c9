import { createHash, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { MedsimError } from "../util/errors.js";
import { parseStructuredText, readTextFile, validate } from "../util/files.js";

/** `student` keys use the patient; `admin` keys also see every key's sessions and share cases. */
export const API_KEY_ROLES = ["student", "admin"] as const;
export type ApiKeyRole = (typeof API_KEY_ROLES)[number];

/** Who made a request. Without configured keys everyone is the local `anonymous` admin. */
export interface Principal {
  /** The key's name: what sessions and user items are owned by. */
  name: string;
  role: ApiKeyRole;
}

export const ANONYMOUS: Principal = { name: "anonymous", role: "admin" };

export const ApiKeyEntrySchema = z.object({
  key: z.string().min(1, "must not be empty"),
  name: z.string().regex(/^[A-Za-z0-9._@-]{1,64}$/, "expected 1-64 letters, digits, '.', '_', '@' or '-'"),
  role: z.enum(API_KEY_ROLES).default("student"),
});
export type ApiKeyEntry = z.output<typeof ApiKeyEntrySchema>;

const ApiKeysFileSchema = z.union([z.array(ApiKeyEntrySchema), z.object({ keys: z.array(ApiKeyEntrySchema) })]);

/**
 * Reads an `--api-keys` file: YAML or JSON, a list of `{key, name, role}` (or `{keys: [...]}`).
 * Names must be unique, since they own the data.
 */
export async function readApiKeysFile(path: string): Promise<ApiKeyEntry[]> {
  const parsed = validate(ApiKeysFileSchema, parseStructuredText(await readTextFile(path), path), path);
  const entries = Array.isArray(parsed) ? parsed : parsed.keys;
  if (entries.length === 0) throw new MedsimError("invalid_input", `${path}: lists no keys`);
  const seen = new Set<string>();
  for (const [index, entry] of entries.entries()) {
    if (seen.has(entry.name))
      throw new MedsimError("invalid_input", `${path}: [${index}].name: "${entry.name}" is used twice`);
    seen.add(entry.name);
  }
  return entries;
}

/**
 * Checks bearer tokens against the configured keys. Keys are compared as SHA-256 digests with
 * `timingSafeEqual`, and every key is compared, so the time taken says nothing about which
 * key (or how much of one) matched.
 */
export class KeyRing {
  private readonly entries: { digest: Buffer; principal: Principal }[];

  constructor(entries: readonly ApiKeyEntry[]) {
    this.entries = entries.map((entry) => ({
      digest: digest(entry.key),
      principal: { name: entry.name, role: entry.role },
    }));
  }

  get size(): number {
    return this.entries.length;
  }

  /** The principal for a presented key, or undefined. */
  identify(presented: string): Principal | undefined {
    const presentedDigest = digest(presented);
    let found: Principal | undefined;
    for (const entry of this.entries) if (timingSafeEqual(entry.digest, presentedDigest)) found ??= entry.principal;
    return found;
  }
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  return match?.[1];
}
