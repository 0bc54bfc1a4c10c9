import type { Command } from "commander";
import type { KnowledgeBase } from "../../knowledge/index.js";
import type { Responder } from "../../synth/index.js";

/** Teacher-model flags (filled in with the teacher generator). */
export interface TeacherFlags {
  engine?: string;
}

export function addTeacherOptions(command: Command): Command {
  return command;
}

export async function teacherFromFlags(_flags: TeacherFlags, _kb: KnowledgeBase): Promise<{ responder: Responder; dispose: () => Promise<void> } | undefined> {
  return undefined;
}
