import { describe, expect, it } from "vitest";
import { assignSplits, DuplicateFilter } from "./index.js";

const words = (count: number, offset = 0) =>
  Array.from({ length: count }, (_, index) => `w${index + offset}`).join(" ");

describe("DuplicateFilter", () => {
  it("tells exact, near and new texts apart", () => {
    const filter = new DuplicateFilter();
    const base = words(300);
    expect(filter.add("a", base)).toBeUndefined();
    expect(filter.add("a", "anything")).toBe("exact");
    // One word of 300 changed: 3 of 298 shingles differ, Jaccard ≈ 0.98.
    expect(filter.add("b", base.replace("w150 ", "changed "))).toBe("near");
    // Half the words new: Jaccard ≈ 0.33.
    expect(filter.add("c", `${words(150)} ${words(150, 1000)}`)).toBeUndefined();
    expect(filter.add("d", words(300, 5000))).toBeUndefined();
  });

  it("a lower threshold catches looser copies", () => {
    const strict = new DuplicateFilter({ threshold: 0.9 });
    const loose = new DuplicateFilter({ threshold: 0.3, bands: 32 });
    for (const filter of [strict, loose]) filter.add("x", words(200));
    // 180 of 200 words shared: 178 of 218 shingles, Jaccard ≈ 0.8.
    const variant = `${words(180)} ${words(20, 900)}`;
    expect(strict.add("y", variant)).toBeUndefined();
    expect(loose.add("y", variant)).toBe("near");
  });
});

describe("assignSplits", () => {
  it("puts each case in exactly one split, by the ratios, reproducibly", () => {
    const ids = Array.from({ length: 10 }, (_, index) => `case-${index}`);
    const splits = assignSplits(ids, 7);
    const counts = { train: 0, validation: 0, test: 0 };
    for (const split of splits.values()) counts[split]++;
    expect(counts).toEqual({ train: 8, validation: 1, test: 1 });
    expect([...assignSplits([...ids].reverse(), 7)]).toEqual([...splits]);
    expect([...assignSplits(ids, 8)]).not.toEqual([...splits]);
    const small = [...assignSplits(["a", "b", "c"], 1).values()].sort();
    expect(small).toEqual(["test", "train", "validation"]);
  });
});
