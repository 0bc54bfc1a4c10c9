import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";

/** A fresh temporary folder for a test's outputs. */
export function temporaryFolder(): Promise<string> {
  return mkdtemp(join(tmpdir(), "medsim-ehr-"));
}

/** Reads a CSV file into objects keyed by its header. */
export async function readCsv(path: string): Promise<Record<string, string>[]> {
  return parse(await readFile(path, "utf8"), { columns: true }) as Record<string, string>[];
}

/** Pearson correlation of two equally long lists. */
export function correlation(xs: readonly number[], ys: readonly number[]): number {
  const n = xs.length;
  const mean = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / n;
  const mx = mean(xs);
  const my = mean(ys);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let index = 0; index < n; index++) {
    const dx = xs[index]! - mx;
    const dy = ys[index]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxy / Math.sqrt(sxx * syy);
}
