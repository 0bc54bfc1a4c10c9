import { afterEach, describe, expect, it, vi } from "vitest";
import { abortOnSigint } from "./interrupt.js";

afterEach(() => vi.restoreAllMocks());

describe("abortOnSigint", () => {
  it("aborts on the first Ctrl-C saying what happens next, exits on the second, and lets go when disposed", () => {
    const write = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const exit = vi.spyOn(process, "exit").mockImplementation((() => undefined) as never);
    const before = process.listenerCount("SIGINT");
    const interrupt = abortOnSigint("writing the checkpoint");
    expect(process.listenerCount("SIGINT")).toBe(before + 1);
    process.emit("SIGINT", "SIGINT");
    expect(interrupt.signal.aborted).toBe(true);
    expect(String(write.mock.calls[0]?.[0])).toBe(
      "\nmedsim: interrupted; writing the checkpoint (Ctrl-C again to quit now)\n",
    );
    expect(exit).not.toHaveBeenCalled();
    process.emit("SIGINT", "SIGINT");
    expect(exit).toHaveBeenCalledWith(130);
    interrupt.dispose();
    expect(process.listenerCount("SIGINT")).toBe(before);
  });
});
