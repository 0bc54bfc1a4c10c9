/** Helpers shared by the CLI commands for printing results. */
import { MedsimError } from "../util/errors.js";

/** A mistake in how the command was called: code `invalid_input`, exit code 2. */
export class CliUsageError extends MedsimError {
  constructor(message: string) {
    super("invalid_input", message);
  }
}

/** Prints one JSON value on stdout, as every `--json` flag promises. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Prints a simple aligned table. */
export function printTable(rows: readonly (readonly string[])[]): void {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, index) => (widths[index] = Math.max(widths[index] ?? 0, cell.length)));
  for (const row of rows) {
    process.stdout.write(
      `${row.map((cell, index) => (index === row.length - 1 ? cell : cell.padEnd(widths[index] ?? 0))).join("  ")}\n`,
    );
  }
}

/** Parses an integer flag, naming the flag in the error. */
export function parseInteger(flag: string, min?: number, max?: number): (value: string) => number {
  return (value) => {
    const number = Number(value);
    if (!Number.isInteger(number) || (min !== undefined && number < min) || (max !== undefined && number > max)) {
      const range =
        min !== undefined && max !== undefined ? ` between ${min} and ${max}` : min !== undefined ? ` >= ${min}` : "";
      throw new CliUsageError(`${flag}: expected an integer${range}, found "${value}"`);
    }
    return number;
  };
}

/** Parses a number flag, naming the flag in the error. */
export function parseNumber(flag: string, min?: number, max?: number): (value: string) => number {
  return (value) => {
    const number = Number(value);
    if (
      value.trim() === "" ||
      !Number.isFinite(number) ||
      (min !== undefined && number < min) ||
      (max !== undefined && number > max)
    ) {
      throw new CliUsageError(
        `${flag}: expected a number${min !== undefined ? ` >= ${min}` : ""}${max !== undefined ? ` and <= ${max}` : ""}, found "${value}"`,
      );
    }
    return number;
  };
}

/** Parses a flag that takes one of a fixed list of values, naming the flag and the values in the error. */
export function parseChoice<T extends string>(flag: string, values: readonly T[]): (value: string) => T {
  return (value) => {
    if (!(values as readonly string[]).includes(value))
      throw new CliUsageError(`${flag}: expected one of ${values.join(", ")}, found "${value}"`);
    return value as T;
  };
}
