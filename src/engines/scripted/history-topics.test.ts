import { describe, expect, it } from "vitest";
import { listCaseFacts } from "../../domain/index.js";
import { cases, personas } from "../../library/index.js";
import { answerFromScript } from "./answer.js";

async function ask(caseId: string, question: string, persona = "calm") {
  return answerFromScript(await cases.get(caseId), await personas.get(persona), [
    { role: "doctor", content: question },
  ]);
}

/** Built-in cases that have a fact of this topic. */
async function casesWith(topic: string): Promise<string[]> {
  const ids: string[] = [];
  for (const id of await cases.ids())
    if (listCaseFacts(await cases.get(id)).some((fact) => fact.topic === topic)) ids.push(id);
  return ids;
}

describe("the built-in cases' wider history (mood, sleep, self-harm, women's health)", () => {
  it("cover the topics where they matter", async () => {
    expect(await casesWith("self_harm")).toContain("depression");
    expect(await casesWith("mood")).toEqual(expect.arrayContaining(["depression", "hypothyroidism"]));
    expect(await casesWith("menstrual")).toEqual(
      expect.arrayContaining(["pelvic-inflammatory-disease", "iron-deficiency-anaemia", "rheumatic-heart-disease"]),
    );
    expect(await casesWith("contraception")).toContain("pelvic-inflammatory-disease");
  });

  it("tell thoughts of self-harm when asked, and never in answer to anything else", async () => {
    for (const question of ["Any thoughts of harming yourself?", "Have you felt life is not worth living?"])
      expect((await ask("depression", question)).factIds).toContain("wellbeing.self_harm");
    for (const question of [
      "What brings you in today?",
      "Any other symptoms?",
      "How has your mood been?",
      "How is your sleep?",
      "Tell me about your work.",
      "Is there anything else you want to tell me?",
      "What worries you most?",
    ])
      for (const persona of ["calm", "anxious", "overly_patient"])
        expect((await ask("depression", question, persona)).factIds, `${persona}: ${question}`).not.toContain(
          "wellbeing.self_harm",
        );
  });

  it("answer the women's health history from the case", async () => {
    for (const id of await casesWith("menstrual"))
      expect((await ask(id, "When was your last period?")).factIds, id).toContain("womens_health.menstrual");
  });
});
