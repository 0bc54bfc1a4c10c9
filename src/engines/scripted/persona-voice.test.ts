import { describe, expect, it } from "vitest";
import { listCaseFacts } from "../../domain/index.js";
import { cases, personas } from "../../library/index.js";
import { PatientSimulator } from "../../simulator/index.js";
import { findFactsSaid } from "./memory.js";
import { SOCIAL_AND_ICE_QUESTIONS } from "./interview.test-utils.js";
import { ScriptedEngine } from "./scripted-engine.js";

/** A 20-question history: greeting, the usual parts, and one question asked twice. */
const INTERVIEW = [
  "Hello, I'm Dr Mehta, one of the interns.",
  "What brings you in today?",
  "When did it start?",
  "How bad is it out of 10?",
  "Does anything make it worse?",
  "Anything that helps?",
  "Any other symptoms?",
  "Any fever?",
  "Do you have any medical problems?",
  "Are you taking any medicines?",
  "Any allergies?",
  "Anyone in the family with similar problems?",
  ...SOCIAL_AND_ICE_QUESTIONS,
  "What are you hoping for today?",
  "When did it start?",
];
const CASES = ["dengue-fever", "pulmonary-tuberculosis", "depression", "acute-appendicitis", "urinary-tract-infection"];
const REPEAT_MARK =
  /^(?:[^.?!]*?\b)?(as i said|like i said|as i told you|like i mentioned|as i mentioned|as i was saying|i already (said|told)|again\?|are you even listening|i told the nurse|i said already|i told, sir|same thing, ji|i mentioned this already|like i explained)/i;

async function interview(caseId: string, personaId: string) {
  const patientCase = await cases.get(caseId);
  const simulator = await PatientSimulator.create({
    patientCase,
    persona: await personas.get(personaId),
    engine: new ScriptedEngine(),
  });
  const replies: string[] = [];
  for (const question of INTERVIEW) replies.push((await simulator.respond(question)).text.split("\n")[0]!);
  return { patientCase, replies };
}

describe("persona voice over a 20-question interview", () => {
  it("no opener or closer in more than a quarter of a persona's replies, on five cases", async () => {
    for (const personaId of await personas.ids()) {
      for (const caseId of CASES) {
        const { replies } = await interview(caseId, personaId);
        const share = (key: (reply: string) => string) => {
          const counts = new Map<string, number>();
          for (const reply of replies) counts.set(key(reply), (counts.get(key(reply)) ?? 0) + 1);
          return Math.max(...counts.values()) / replies.length;
        };
        // The opener: the first two words; the closer: the last sentence.
        const opener = (reply: string) => reply.split(/\s+/).slice(0, 2).join(" ").toLowerCase();
        const closer = (reply: string) =>
          reply
            .split(/(?<=[.!?])\s+/)
            .at(-1)!
            .toLowerCase();
        expect(share(opener), `${personaId}/${caseId} openers:\n${replies.join("\n")}`).toBeLessThanOrEqual(0.25);
        expect(share(closer), `${personaId}/${caseId} closers:\n${replies.join("\n")}`).toBeLessThanOrEqual(0.25);
      }
    }
  }, 120_000);

  it('says "As I said" or "Again?" only when the facts were told before', async () => {
    for (const personaId of await personas.ids()) {
      for (const caseId of CASES) {
        const { patientCase, replies } = await interview(caseId, personaId);
        const facts = listCaseFacts(patientCase);
        let repeats = 0;
        replies.forEach((reply, index) => {
          if (!REPEAT_MARK.test(reply)) return;
          repeats++;
          const before = new Set(replies.slice(0, index).flatMap((earlier) => findFactsSaid(earlier, facts)));
          const now = findFactsSaid(reply, facts);
          expect(now.length, `${personaId}/${caseId}: "${INTERVIEW[index]}" -> ${reply}`).toBeGreaterThan(0);
          expect(
            now.some((id) => before.has(id)),
            `${personaId}/${caseId}: "${INTERVIEW[index]}" -> ${reply}`,
          ).toBe(true);
        });
        // The repeated last question is a real repeat.
        expect(repeats, `${personaId}/${caseId}`).toBeGreaterThan(0);
      }
    }
  }, 120_000);

  it("never puts a yes before a denial", async () => {
    for (const personaId of await personas.ids()) {
      const { replies } = await interview("dengue-fever", personaId);
      for (const reply of replies) expect(reply, personaId).not.toMatch(/\byes\b[^.?!]*[.,]\s*no\b/i);
    }
  }, 60_000);
});
