import type { Command } from "commander";

export function registerSynthQaCommand(_group: Command): void {}
