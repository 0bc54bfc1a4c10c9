/**
 * Case folders: generated case scripts as one YAML file each, beside a `manifest.json` that keeps
 * what a case file cannot say (the disease a case was sampled for and the persona it is meant to
 * be played in). `medsim synth cases` writes one; `medsim synth dialogues --cases` reads one (and
 * any folder of case files, e.g. from `medsim cases import`).
 */
import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { stringify as toYaml } from "yaml";
import { z } from "zod";
import { cases as caseCatalog } from "../library/index.js";
import { FileError } from "../util/errors.js";
import { readStructuredFile, validate, writeFileAtomic } from "../util/files.js";
import type { GeneratedCase } from "./case-set.js";
import type { DialogueCase } from "./dialogues.js";

/** The manifest's file name inside a case folder. */
export const CASE_MANIFEST_FILE = "manifest.json";

/** `manifest.json`: one entry per case file (JSON boundary, so the keys are those the file holds). */
export const CaseManifestSchema = z.array(
  z.looseObject({ caseId: z.string().optional(), diseaseId: z.string().optional(), personaId: z.string().optional() }),
);
/** The entries of a case folder's `manifest.json`. */
export type CaseManifest = z.output<typeof CaseManifestSchema>;

/** What {@link writeCaseFolder} wrote. */
export interface CaseFolderWritten {
  /** The case files, in the order of the cases. */
  readonly paths: readonly string[];
  /** The manifest's path. */
  readonly manifest: string;
}

/** Writes each case as `<directory>/<case id>.yaml` and the folder's `manifest.json`, every file atomically. */
export async function writeCaseFolder(
  directory: string,
  generated: readonly GeneratedCase[],
): Promise<CaseFolderWritten> {
  const paths: string[] = [];
  for (const item of generated) {
    const path = join(directory, `${item.patientCase.id}.yaml`);
    await writeFileAtomic(path, toYaml(item.patientCase, { lineWidth: 0 }));
    paths.push(path);
  }
  const manifest = join(directory, CASE_MANIFEST_FILE);
  const entries: CaseManifest = generated.map((item) => ({
    caseId: item.patientCase.id,
    diseaseId: item.diseaseId,
    personaId: item.personaId,
  }));
  await writeFileAtomic(manifest, `${JSON.stringify(entries, null, 2)}\n`);
  return { paths, manifest };
}

/**
 * Reads the case files of a folder (`.yaml`, `.yml`, `.json`), sorted by name. Each case's disease
 * comes from `manifest.json` when the folder has one, else from its diagnosis (lower-case, dashed).
 * @throws FileError if the folder cannot be read or holds no case files; ValidationError for a bad case or manifest.
 */
export async function readCaseFolder(directory: string): Promise<DialogueCase[]> {
  let names: string[];
  try {
    names = (await readdir(directory))
      .filter((name) => /\.(ya?ml|json)$/i.test(name) && name !== CASE_MANIFEST_FILE)
      .sort();
  } catch {
    throw new FileError(directory, "cannot read the case folder");
  }
  if (names.length === 0) throw new FileError(directory, "no case files (.yaml, .yml or .json) in the folder");
  const manifestPath = join(directory, CASE_MANIFEST_FILE);
  const manifest = existsSync(manifestPath)
    ? validate(CaseManifestSchema, await readStructuredFile(manifestPath), manifestPath)
    : [];
  const diseaseOf = new Map(manifest.map((item) => [item.caseId, item.diseaseId]));
  const result: DialogueCase[] = [];
  for (const name of names) {
    const patientCase = await caseCatalog.loadFile(join(directory, name));
    result.push({
      patientCase,
      diseaseId:
        diseaseOf.get(patientCase.id) ?? patientCase.diagnosis.primary.toLowerCase().replace(/[^a-z0-9]+/g, "-"),
    });
  }
  return result;
}
