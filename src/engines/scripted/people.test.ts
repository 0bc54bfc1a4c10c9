import { describe, expect, it } from "vitest";
import { cases, personas } from "../../library/index.js";
import { answerFromScript } from "./answer.js";
import { peopleNamed } from "./people.js";

async function ask(caseId: string, question: string, persona = "calm") {
  return answerFromScript(await cases.get(caseId), await personas.get(persona), [
    { role: "doctor", content: question },
  ]);
}

const examinationOrTest = (id: string) => id === "vitals" || id.startsWith("exam.") || id.startsWith("tests.");

describe("questions about other people", () => {
  it("names the relative a question is about, not a form of address or the patient's childhood", () => {
    expect(peopleNamed("Does your brother also have heart trouble?")).toEqual(["sibling"]);
    expect(peopleNamed("Papa ko BP tha kya?")).toEqual(["father"]);
    expect(peopleNamed("Didi, since when is the pain there?")).toEqual([]);
    expect(peopleNamed("Did you have sore throats as a child?")).toEqual([]);
  });

  it("answers with the family's fact, not the patient's own", async () => {
    for (const [caseId, question] of [
      ["acute-coronary-syndrome", "Has your brother ever had any heart problem?"],
      ["essential-hypertension", "What happened to your father, was he ill with something?"],
      ["copd-exacerbation", "Bhai ko bhi aisi saans ki problem thi?"],
    ] as const) {
      const answer = await ask(caseId, question);
      expect(
        answer.factIds.some((id) => id.startsWith("family_history")),
        `${caseId}: "${question}" -> ${answer.text}`,
      ).toBe(true);
      expect(answer.factIds.some((id) => id.startsWith("hpi.") || id === "chief_complaint")).toBe(false);
    }
  });
});

describe("a history question never examines", () => {
  it("an examination named inside a condition narrates nothing", async () => {
    for (const [caseId, question] of [
      ["acute-appendicitis", "If I push on your belly, does it hurt more?"],
      ["acute-coronary-syndrome", "When you take a deep breath or I press on your chest, is the pain any different?"],
      ["typhoid-fever", "Where does your drinking water come from, a tap or a well?"],
    ] as const) {
      const answer = await ask(caseId, question);
      expect(answer.factIds.filter(examinationOrTest), `${caseId}: "${question}" -> ${answer.text}`).toEqual([]);
    }
  });

  it("a request to examine still examines", async () => {
    const answer = await ask("acute-appendicitis", "If you don't mind, let me examine your tummy now.");
    expect(answer.factIds).toContain("exam.abdomen");
  });
});

describe("the rude persona answers every part asked", () => {
  it("a two-part question gets both facts though the persona is curt", async () => {
    const answer = await ask("acute-appendicitis", "Have you vomited at all? And how is your appetite?", "rude");
    expect(answer.factIds, answer.text).toEqual(expect.arrayContaining(["hpi.associated.1", "hpi.associated.0"]));
  });
});
