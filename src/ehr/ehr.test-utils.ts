import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll } from "vitest";

const created: string[] = [];
// Registered in each test file that imports this module: its folders go when the file is done.
afterAll(async () => {
  await Promise.all(created.splice(0).map((path) => rm(path, { recursive: true, force: true })));
});

/** A fresh temporary folder for a test's outputs, removed after the test file. */
export async function temporaryFolder(): Promise<string> {
  const path = await mkdtemp(join(tmpdir(), "medsim-ehr-"));
  created.push(path);
  return path;
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
