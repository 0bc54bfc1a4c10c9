import { describe, expect, it } from "vitest";
import { listCaseFacts } from "../../domain/index.js";
import { cases, personas } from "../../library/index.js";
import { answerFromScript } from "./answer.js";

async function ask(caseId: string, question: string) {
  return answerFromScript(await cases.get(caseId), await personas.get("calm"), [{ role: "doctor", content: question }]);
}

describe("examination and tests", () => {
  it("returns every test and examination a case lists when ordered by its name", async () => {
    for (const patientCase of await cases.list()) {
      const persona = await personas.get("calm");
      for (const fact of listCaseFacts(patientCase).filter((item) => item.label)) {
        const question =
          fact.revealedBy === "test" ? `Let's do a ${fact.label}.` : `I'd like to examine your ${fact.label} now.`;
        const answer = answerFromScript(patientCase, persona, [{ role: "doctor", content: question }]);
        expect(answer.factIds, `${patientCase.id}: ${question} -> ${answer.text}`).toContain(fact.id);
      }
    }
  });

  it("understands the usual names and gives only what was asked", async () => {
    const cases_: [string, string, string][] = [
      ["dengue-fever", "Can I listen to your chest?", "exam.chest"],
      ["acute-appendicitis", "Let me check your tummy.", "exam.abdomen"],
      ["essential-hypertension", "I'll look in your eyes.", "exam.eyes"],
      ["dengue-fever", "Send a CBC.", "tests.complete_blood_count"],
      ["dengue-fever", "Get an NS1 done.", "tests.ns1_antigen"],
      ["acute-coronary-syndrome", "Do an ECG.", "tests.ecg"],
      ["acute-coronary-syndrome", "Send a troponin.", "tests.high_sensitivity_troponin_i"],
      ["acute-coronary-syndrome", "Get a 2D echo.", "tests.echocardiography_bedside"],
      ["type-2-diabetes", "Let's check her HbA1c.", "tests.hba1c"],
      ["asthma-exacerbation", "Check peak flow.", "tests.peak_expiratory_flow"],
      ["pelvic-inflammatory-disease", "I'll do a speculum exam.", "exam.speculum_examination"],
      ["migraine", "Let's get a CT.", "tests.ct_brain_non_contrast"],
      ["gerd", "Plan an endoscopy.", "tests.upper_gi_endoscopy"],
      ["malaria-vivax", "We'll do a malaria rapid test.", "tests.malaria_rapid_diagnostic_test"],
    ];
    for (const [caseId, question, factId] of cases_) {
      const answer = await ask(caseId, question);
      expect(answer.factIds, `${caseId}: ${question} -> ${answer.text}`).toContain(factId);
      // Only what was asked: one system or test (vital signs may come with an examination).
      expect(answer.factIds.filter((id) => id !== "vitals").length, `${question} -> ${answer.text}`).toBe(1);
    }
  });

  it("never examines on a history question, and says when a test is not available", async () => {
    for (const question of ["Has your BP ever been checked before?", "Have you had a blood test before?"]) {
      const answer = await ask("essential-hypertension", question);
      expect(answer.narration, `${question} -> ${answer.text}`).toEqual([]);
    }
    expect((await ask("dengue-fever", "Let's get an MRI of the brain.")).narration).toEqual([
      "Result (mri): not available in this case.",
    ]);
  });
});
