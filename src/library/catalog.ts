import { readdir } from "node:fs/promises";
import { basename, extname, join } from "node:path";
import type { z } from "zod";
import { NotFoundError, ValidationError } from "../util/errors.js";
import { readStructuredFile, validate } from "../util/files.js";

/**
 * A folder of YAML/JSON files, one item each, whose file name is the item's id; plus loading an
 * item from a user's own file. Cases and personas are both catalogs.
 */
export class Catalog<Schema extends z.ZodType<{ id: string }>> {
  private cache: Promise<Map<string, z.output<Schema>>> | undefined;

  constructor(
    private readonly kind: string,
    private readonly directory: string,
    private readonly schema: Schema,
  ) {}

  /** All built-in items, sorted by id. */
  async list(): Promise<z.output<Schema>[]> {
    return [...(await this.load()).values()];
  }

  async ids(): Promise<string[]> {
    return [...(await this.load()).keys()];
  }

  /** A built-in item by id, or an item from a file when the argument looks like a path. */
  async get(idOrPath: string): Promise<z.output<Schema>> {
    if (looksLikePath(idOrPath)) return this.loadFile(idOrPath);
    const items = await this.load();
    const item = items.get(idOrPath);
    if (!item) throw new NotFoundError(this.kind, idOrPath, [...items.keys()]);
    return item;
  }

  /** Loads and validates one item from a JSON or YAML file. */
  async loadFile(path: string): Promise<z.output<Schema>> {
    return validate(this.schema, await readStructuredFile(path), path);
  }

  private load(): Promise<Map<string, z.output<Schema>>> {
    this.cache ??= (async () => {
      const files = (await readdir(this.directory)).filter((file) => /\.(ya?ml|json)$/i.test(file)).sort();
      const items = new Map<string, z.output<Schema>>();
      for (const file of files) {
        const path = join(this.directory, file);
        const item = await this.loadFile(path);
        const expectedId = basename(file, extname(file));
        if (item.id !== expectedId) {
          throw new ValidationError(path, [
            { field: "id", message: `expected "${expectedId}" (the file name), found "${item.id}"` },
          ]);
        }
        items.set(item.id, item);
      }
      return items;
    })();
    return this.cache;
  }
}

function looksLikePath(value: string): boolean {
  return /[\\/]/.test(value) || /\.(ya?ml|json)$/i.test(value);
}
