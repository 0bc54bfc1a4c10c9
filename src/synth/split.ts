import { createRandom, hashString } from "../util/random.js";
import { SPLITS, type Split } from "../datasets/formats.js";
import { shuffle } from "./text.js";

export { SPLITS, type Split };

/** Default train/validation/test shares. */
export const DEFAULT_SPLIT_RATIOS: readonly [number, number, number] = [0.8, 0.1, 0.1];

/**
 * Assigns whole cases to splits, so no case appears in two: the case ids are shuffled with the
 * seed and cut by the ratios (each split with a non-zero ratio gets at least one case when there
 * are enough cases).
 */
export function assignSplits(
  caseIds: readonly string[],
  seed: number,
  ratios: readonly [number, number, number] = DEFAULT_SPLIT_RATIOS,
): Map<string, Split> {
  const total = ratios[0] + ratios[1] + ratios[2];
  const ids = shuffle(createRandom(hashString(`split|${seed}`)), [...new Set(caseIds)].sort());
  let test = Math.round((ids.length * ratios[2]) / total);
  let validation = Math.round((ids.length * ratios[1]) / total);
  if (ratios[2] > 0 && test === 0 && ids.length >= 3) test = 1;
  if (ratios[1] > 0 && validation === 0 && ids.length >= 3) validation = 1;
  const result = new Map<string, Split>();
  ids.forEach((id, index) =>
    result.set(id, index < test ? "test" : index < test + validation ? "validation" : "train"),
  );
  return result;
}
