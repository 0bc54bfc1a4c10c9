import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { dataDirectory } from "../library/paths.js";
import { NotFoundError } from "../util/errors.js";
import { readStructuredFile, validate } from "../util/files.js";
import { KnowledgeBaseSchema, type Disease, type KnowledgeBase } from "./schema.js";

/** The built-in knowledge base folder: `diseases-*.yaml` plus `symptoms.yaml`. */
export const knowledgeDirectory = join(dataDirectory, "knowledge");

let builtIn: Promise<KnowledgeBase> | undefined;

/**
 * Loads a knowledge base. Without a path: the built-in one (cached). With a path: a JSON or YAML
 * file `{ diseases: [...], symptoms: {...} }` (e.g. written by `medsim knowledge import`), or a
 * folder laid out like the built-in one.
 */
export async function loadKnowledgeBase(path?: string): Promise<KnowledgeBase> {
  if (path === undefined) return (builtIn ??= loadFolder(knowledgeDirectory));
  if (/\.(ya?ml|json)$/i.test(path)) return validate(KnowledgeBaseSchema, await readStructuredFile(path), path);
  return loadFolder(path);
}

async function loadFolder(directory: string): Promise<KnowledgeBase> {
  const files = (await readdir(directory)).filter((file) => /^diseases.*\.(ya?ml|json)$/i.test(file)).sort();
  const diseases: unknown[] = [];
  for (const file of files) {
    const content = await readStructuredFile(join(directory, file));
    if (Array.isArray(content)) diseases.push(...content);
  }
  const symptoms = await readStructuredFile(join(directory, "symptoms.yaml"));
  return validate(KnowledgeBaseSchema, { diseases, symptoms }, directory);
}

/** A disease by id or by name (any case); the error lists the valid ids. */
export function findDisease(kb: KnowledgeBase, idOrName: string): Disease {
  const key = idOrName.trim().toLowerCase();
  const found = kb.diseases.find((disease) => disease.id === key || disease.name.toLowerCase() === key);
  if (!found)
    throw new NotFoundError(
      "disease",
      idOrName,
      kb.diseases.map((disease) => disease.id),
    );
  return found;
}

/** Symptom ids of a disease, most to least characteristic (file order). */
export function diseaseSymptoms(disease: Disease): { id: string; weight: number }[] {
  return Object.entries(disease.symptoms).map(([id, weight]) => ({ id, weight }));
}

/** Every name that names the disease: its name, aliases and local names (for leak checks). */
export function diseaseNames(disease: Disease): string[] {
  return [...new Set([disease.name, ...disease.aliases, ...Object.values(disease.india.localNames)])];
}

/** The lay phrase for a symptom id ("high_fever" → "a high fever"); falls back to the id in words. */
export function symptomPhrase(kb: KnowledgeBase, id: string): string {
  return kb.symptoms[id]?.lay ?? id.replace(/_/g, " ");
}
