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

  it("maps ward words for body parts, signs and manoeuvres to the case's system, not the default", async () => {
    const requests: [string, string, string[]][] = [
      ["community-acquired-pneumonia", "Lean forward for me, I'm going to tap on your back and listen", ["exam.chest"]],
      [
        "gallstones-biliary-colic",
        "Lie flat please, I'll feel below your right rib cage while you breathe in",
        ["exam.abdomen"],
      ],
      [
        "essential-hypertension",
        "Let me put some drops and look at the back of your eyes with the ophthalmoscope",
        ["exam.eyes"],
      ],
      [
        "iron-deficiency-anaemia",
        "Stretch out your hands, let me see your nails and pull down your eyelid",
        ["exam.general"],
      ],
      ["kala-azar", "Chaliye, tilli check karte hain", ["exam.abdomen"]],
      ["malaria-vivax", "Pet pe haath rakh ke dabaunga, theek hai?", ["exam.abdomen"]],
      ["rheumatic-heart-disease", "Turn to your left side, I'll put the bell on the apex", ["exam.cardiovascular"]],
      ["scrub-typhus", "Lift both arms please, I need to check your skin for any scab or eschar", ["exam.skin"]],
      ["type-2-diabetes", "Take off your chappals, I'll test sensation with the monofilament", ["exam.feet"]],
      ["peptic-ulcer-disease", "Need to do a per rectal exam to see the stool colour", ["exam.per_rectal"]],
      [
        "pelvic-inflammatory-disease",
        "With a female attendant present, I'll do a P/S and a P/V",
        ["exam.speculum_examination", "exam.bimanual_examination"],
      ],
      ["migraine", "Follow my finger, then I'll check your reflexes and gait", ["exam.nervous_system"]],
      ["hypothyroidism", "Swallow some water while I feel your thyroid", ["exam.neck"]],
    ];
    for (const [caseId, question, factIds] of requests) {
      const answer = await ask(caseId, question);
      expect(answer.factIds.toSorted(), `${caseId}: ${question} -> ${answer.text}`).toEqual(factIds.toSorted());
    }
  });

  it("returns every test an order lists by its ward abbreviation, and nothing else", async () => {
    const orders: [string, string, string[]][] = [
      [
        "community-acquired-pneumonia",
        "Get a chest X-ray, CBC and CRP, and sputum for Gram stain and culture",
        ["tests.chest_x_ray", "tests.complete_blood_count_and_crp", "tests.sputum_gram_stain_and_culture"],
      ],
      [
        "malaria-vivax",
        "Send a peripheral smear for MP and a card test for malaria",
        ["tests.peripheral_blood_smear", "tests.malaria_rapid_diagnostic_test"],
      ],
      [
        "hypothyroidism",
        "Check TFTs along with thyroid peroxidase antibodies",
        ["tests.thyroid_function_tests", "tests.anti_tpo_antibodies"],
      ],
      [
        "iron-deficiency-anaemia",
        "Haemogram, PBS and serum ferritin please",
        ["tests.complete_blood_count", "tests.peripheral_smear", "tests.iron_studies"],
      ],
      ["iron-deficiency-anaemia", "Send stool for occult blood and ova", ["tests.stool_examination"]],
      ["gerd", "We'll plan an OGD next week", ["tests.upper_gi_endoscopy"]],
      [
        "peptic-ulcer-disease",
        "Upper GI endoscopy with a biopsy for rapid urease",
        ["tests.upper_gi_endoscopy", "tests.rapid_urease_test_antral_biopsy"],
      ],
      [
        "urinary-tract-infection",
        "Send urine for routine microscopy and culture, plus a pregnancy test",
        ["tests.urine_microscopy", "tests.urine_culture", "tests.urine_pregnancy_test"],
      ],
      ["typhoid-fever", "Blood culture before we start antibiotics", ["tests.blood_culture"]],
      [
        "pulmonary-tuberculosis",
        "Two sputum samples for GeneXpert, and a CXR",
        ["tests.sputum_cbnaat_xpert_mtb_rif_ultra", "tests.chest_x_ray"],
      ],
      ["asthma-exacerbation", "PEFR first, then an ABG", ["tests.peak_expiratory_flow", "tests.arterial_blood_gas"]],
      ["acute-gastroenteritis", "Send lytes and KFT", ["tests.serum_electrolytes_and_renal_function"]],
      ["chikungunya", "Dengue NS1 and malaria RDT bhejo", ["tests.dengue_ns1_and_igm", "tests.malaria_rapid_test"]],
    ];
    for (const [caseId, question, factIds] of orders) {
      const answer = await ask(caseId, question);
      expect(answer.factIds.toSorted(), `${caseId}: ${question} -> ${answer.text}`).toEqual(factIds.toSorted());
      expect(answer.narration.length, `${question} -> ${answer.text}`).toBe(factIds.length);
    }
    // A test the case does not list still gets its line, beside the ones it lists.
    const mixed = await ask("dengue-fever", "Send CBC, NS1 and an MRI brain");
    expect(mixed.factIds.toSorted()).toEqual(["tests.complete_blood_count", "tests.ns1_antigen"]);
    expect(mixed.narration).toContain("Result (mri): not available in this case.");
  });

  it("narrates nothing for a history question, a conditional or a past examination", async () => {
    const questions: [string, string][] = [
      ["gastroenteritis-free", "Is your drinking water from a tap or a filter?"],
      ["acute-coronary-syndrome", "If I press on your chest, does the pain get worse?"],
      ["acute-coronary-syndrome", "When you breathe in deeply or I push here, does it change?"],
      ["peptic-ulcer-disease", "Did the doctor press your tummy last time?"],
      ["type-2-diabetes", "Any swelling or numbness in your feet?"],
      ["chronic-cough-two-weeks", "Feel like mucus drips down the back of your throat?"],
      ["acute-coronary-syndrome", "Pehle bhi seedhi chadhte time chest bhaari hota tha?"],
      ["type-2-diabetes", "Since when are you having so much thirst?"],
      ["pelvic-inflammatory-disease", "Where exactly is the pain? Show me with one finger"],
      ["essential-hypertension", "Has anyone looked at your eyes before?"],
    ];
    for (const [caseId, question] of questions) {
      const answer = await ask(caseId === "gastroenteritis-free" ? "acute-gastroenteritis" : caseId, question);
      expect(answer.narration, `${caseId}: ${question} -> ${answer.text}`).toEqual([]);
    }
  });
});
