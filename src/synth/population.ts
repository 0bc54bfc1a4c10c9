import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { dataDirectory } from "../library/paths.js";
import { parseStructuredText, validate } from "../util/files.js";

/**
 * Populations the case generator samples demographics from. India is the default: regions with
 * their language, setting and names, so a patient from rural Bihar is called Sunita Devi and
 * speaks Hindi, and one from Chennai is called Lakshmi Narayanan and speaks Tamil. The tables are
 * data (`data/synth/populations.yaml`); this module gives them their types.
 */
export interface RegionProfile {
  region: string;
  language: string;
  setting: string;
  rural: boolean;
  maleNames: readonly string[];
  femaleNames: readonly string[];
  surnames: readonly string[];
  /** Surnames used only for women in some regions ("Devi", "Kumari"). */
  femaleSurnames?: readonly string[];
}

/** A population cases are sampled from: names, regions, occupations and age ranges. */
export interface Population {
  id: string;
  regions: readonly RegionProfile[];
  occupations: { rural: readonly string[]; urban: readonly string[]; female: readonly string[] };
}

const names = z.array(z.string().min(1)).min(1);
const PopulationTableSchema = z.object({
  regions: z
    .array(
      z.object({
        region: z.string().min(1),
        language: z.string().min(1),
        setting: z.string().min(1),
        rural: z.boolean(),
        maleNames: names,
        femaleNames: names,
        surnames: names,
        femaleSurnames: names.optional(),
      }),
    )
    .min(1),
  occupations: z.object({ rural: names, urban: names, female: names }),
});

function readPopulations(): Record<string, Population> {
  const path = join(dataDirectory, "synth", "populations.yaml");
  const tables = validate(
    z.record(z.string(), PopulationTableSchema),
    parseStructuredText(readFileSync(path, "utf8"), path),
    path,
  );
  return Object.fromEntries(Object.entries(tables).map(([id, table]) => [id, { id, ...table }]));
}

/** The populations cases are sampled from (names, regions, occupations), from `data/synth/populations.yaml`. */
export const POPULATIONS: Readonly<Record<string, Population>> = readPopulations();
/** The India population (the default). */
export const INDIA: Population = POPULATIONS.india!;
/** The global population. */
export const GLOBAL: Population = POPULATIONS.global!;
