import { describe, expect, it } from "vitest";
import { AdapterError as AdapterErrorFromAdapters } from "../adapters/index.js";
import { GgufError as GgufErrorFromGguf, GgufFile } from "../gguf/index.js";
import { TrainError as TrainErrorFromTrain } from "../train/index.js";
import {
  AdapterError,
  ERROR_CODES,
  errorBody,
  GgufError,
  HTTP_STATUS_BY_CODE,
  httpStatusOf,
  MedsimError,
  NotFoundError,
  TrainError,
} from "./errors.js";

describe("the error hierarchy", () => {
  it("has one class per concept, each a MedsimError with its code", () => {
    expect(GgufErrorFromGguf).toBe(GgufError);
    expect(AdapterErrorFromAdapters).toBe(AdapterError);
    expect(TrainErrorFromTrain).toBe(TrainError);
    const cases: [MedsimError, string][] = [
      [new GgufError("x", { offset: 4 }), "gguf_error"],
      [new AdapterError("x"), "adapter_error"],
      [new TrainError("x"), "train_error"],
      [new NotFoundError("case", "x", ["a"]), "not_found"],
    ];
    for (const [error, code] of cases) {
      expect(error).toBeInstanceOf(MedsimError);
      expect(error.code).toBe(code);
      expect(ERROR_CODES).toContain(error.code);
    }
    expect(new GgufError("x", { offset: 4 }).offset).toBe(4);
    expect(new GgufError("x").name).toBe("GgufError");
  });

  it("a GGUF failure names the file and is a MedsimError without re-wrapping", () => {
    const error = (() => {
      try {
        GgufFile.open("/nonexistent/model.gguf");
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(MedsimError);
    expect(errorBody(error)).toEqual({
      error: { code: "gguf_error", message: "/nonexistent/model.gguf: cannot open (file not found)" },
    });
  });

  it("maps every code to an HTTP status, anything else to internal_error and 500", () => {
    for (const code of ERROR_CODES) expect(HTTP_STATUS_BY_CODE[code]).toBeGreaterThanOrEqual(400);
    expect(httpStatusOf(new NotFoundError("case", "x", []))).toBe(404);
    expect(httpStatusOf(new Error("bug"))).toBe(500);
    expect(errorBody(new TypeError("a\nb"))).toEqual({ error: { code: "internal_error", message: "a" } });
  });
});
