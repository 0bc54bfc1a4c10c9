import { ScriptedEngine, type PatientEngine } from "../engines/index.js";

/** What a {@link draftSpyEngine} saw. */
export interface DraftSpy {
  engine: PatientEngine;
  /** Drafts handed to `prepare`, in order. */
  drafts: string[];
  /** Replies the engine was asked for. */
  replies: number;
  /** `prepare` calls with a draft running now. */
  running: number;
  /** The most `prepare` calls with a draft that ran at once (a test may reset it). */
  mostAtOnce: number;
  /** Makes drafts wait until the returned function is called (to show who does not wait for them). */
  hold(): () => void;
}

/**
 * The scripted engine with a `prepare` that records each draft and takes `delayMs`, like a model
 * evaluating it (the scripted engine itself has no `prepare`). Its replies are the scripted ones.
 */
export function draftSpyEngine(delayMs: number): DraftSpy {
  const scripted = new ScriptedEngine();
  let held: Promise<void> | undefined;
  const spy: DraftSpy = {
    drafts: [],
    replies: 0,
    running: 0,
    mostAtOnce: 0,
    hold() {
      let release!: () => void;
      held = new Promise((resolve) => (release = resolve));
      return () => {
        held = undefined;
        release();
      };
    },
    engine: {
      name: scripted.name,
      modelName: `${scripted.modelName} (draft spy)`,
      async openConversation(setup) {
        const conversation = await scripted.openConversation(setup);
        return {
          reply: (transcript, options) => {
            spy.replies++;
            return conversation.reply(transcript, options);
          },
          prepare: async (_transcript, options) => {
            if (options?.draft === undefined) return;
            spy.drafts.push(options.draft);
            spy.mostAtOnce = Math.max(spy.mostAtOnce, ++spy.running);
            await new Promise((resolve) => setTimeout(resolve, delayMs));
            await held;
            spy.running--;
          },
          dispose: () => conversation.dispose(),
        };
      },
      dispose: () => scripted.dispose(),
    },
  };
  return spy;
}

/** Resolves once `condition` holds, checking every 20 ms; rejects after `timeoutMs`. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
