import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { listCaseFacts, type PatientCase } from "../domain/index.js";
import { personas } from "../library/index.js";
import { findDiagnosisLeak } from "../simulator/guard.js";
import { factProfile, generateCaseSet } from "../synth/index.js";
import { diseaseNames, importSymptomCsv, loadKnowledgeBase } from "./index.js";
import { useTempDirectory } from "../util/temp-directory.test-utils.js";

const temp = useTempDirectory("medsim-knowledge-");

describe("built-in knowledge base", () => {
  it("has at least 41 complete diseases with Indian context", async () => {
    const kb = await loadKnowledgeBase();
    expect(kb.diseases.length).toBeGreaterThanOrEqual(41);
    for (const disease of kb.diseases) {
      expect(disease.precautions, disease.id).toHaveLength(4);
      expect(Object.keys(disease.symptoms).length, disease.id).toBeGreaterThanOrEqual(3);
      for (const weight of Object.values(disease.symptoms))
        expect(weight >= 1 && weight <= 7 && Number.isInteger(weight)).toBe(true);
      expect(disease.india.localNames.hindi, disease.id).toBeTruthy();
      expect(Object.keys(disease.india.localNames).length, disease.id).toBeGreaterThanOrEqual(2);
      expect(disease.redFlags.length).toBeGreaterThan(0);
      expect(disease.demographics.ages[0]).toBeLessThanOrEqual(disease.demographics.ages[1]);
      expect(disease.duration.days[0]).toBeLessThanOrEqual(disease.duration.days[1]);
    }
    expect(kb.diseases.filter((disease) => disease.critical).length).toBeGreaterThan(10);
    expect(kb.diseases.filter((disease) => !disease.critical).length).toBeGreaterThan(10);
  });

  it("no symptom phrase names a disease (so patients can say them safely)", async () => {
    const kb = await loadKnowledgeBase();
    for (const disease of kb.diseases) {
      const probe = {
        diagnosis: { primary: disease.name, aliases: diseaseNames(disease), differentials: [] },
      } as unknown as PatientCase;
      for (const [id, entry] of Object.entries(kb.symptoms))
        expect(findDiagnosisLeak(entry.lay, probe), `${id} names ${disease.id}`).toBeUndefined();
    }
  });

  it("generated cases never name their diagnosis and never deny what they state", async () => {
    const kb = await loadKnowledgeBase();
    const generated = generateCaseSet(kb, await personas.list(), { perDisease: 4, seed: 11 });
    expect(generated).toHaveLength(kb.diseases.length * 4);
    for (const { patientCase } of generated) {
      for (const fact of listCaseFacts(patientCase))
        expect(findDiagnosisLeak(fact.text, patientCase), `${patientCase.id}: ${fact.text}`).toBeUndefined();
      expect(findDiagnosisLeak(patientCase.openingStatement, patientCase)).toBeUndefined();
      const profile = factProfile(patientCase, kb);
      const both = [...profile.present].filter((symptom) => profile.absent.has(symptom));
      expect(both, patientCase.id).toEqual([]);
      expect(patientCase.historyOfPresentIllness.negatives.length).toBeGreaterThanOrEqual(2);
    }
    // A location or character in the history always comes with the symptom it describes.
    for (const { patientCase, diseaseId } of generated) {
      const about = kb.diseases.find((disease) => disease.id === diseaseId)!.hpi.about;
      if (!about) continue;
      const told = [
        patientCase.chiefComplaint,
        ...patientCase.historyOfPresentIllness.associated.map((fact) => fact.text),
      ].join(" ");
      expect(told.toLowerCase(), patientCase.id).toContain(kb.symptoms[about]!.lay.toLowerCase());
    }
    // Ages follow the disease's range: impetigo is a disease of children (2-14).
    for (const { patientCase } of generated.filter((item) => item.diseaseId === "impetigo"))
      expect(patientCase.demographics.age).toBeLessThanOrEqual(14);
  });
});

describe("disease-symptom CSV import", () => {
  it("fixes the set's known quirks and reports each fix", async () => {
    const folder = temp.file("csv");
    await rm(folder, { recursive: true, force: true });
    await import("node:fs/promises").then((fs) => fs.mkdir(folder, { recursive: true }));
    await writeFile(
      join(folder, "dataset.csv"),
      [
        "Disease,Symptom_1,Symptom_2,Symptom_3,Symptom_4",
        "Peptic ulcer diseae, vomiting, indigestion, loss_of_appetite,",
        "Peptic ulcer diseae, vomiting, vomiting, abdominal_pain,",
        "Osteoarthristis, joint_pain, knee_pain,,",
        "(vertigo) Paroymsal  Positional Vertigo, spinning_movements, loss_of_balance,,",
        "Dimorphic hemmorhoids(piles), constipation, pain_in_anal_region,,",
        "Urinary tract infection, burning_micturition, foul_smell_of urine,,",
        "Made up disease, glowing_ears, itching,,",
      ].join("\n"),
    );
    await writeFile(
      join(folder, "Symptom-severity.csv"),
      "Symptom,weight\nvomiting,5\nindigestion,5\nloss_of_appetite,4\nabdominal_pain,4\njoint_pain,3\nknee_pain,3\nspinning_movements,6\nloss_of_balance,4\nconstipation,4\npain_in_anal_region,6\nburning_micturition,6\nfoul_smell_of urine,5\nitching,1\n",
    );
    await writeFile(
      join(folder, "symptom_precaution.csv"),
      "Disease,Precaution_1,Precaution_2,Precaution_3,Precaution_4\nOsteoarthristis,acetaminophen,consult nearest hospital,follow up,salt baths\n",
    );

    const { knowledgeBase, report } = await importSymptomCsv(folder, { base: await loadKnowledgeBase() });
    expect(report.rows).toBe(7);
    expect(report.renamedDiseases).toEqual([
      { from: "Peptic ulcer diseae", to: "Peptic ulcer disease" },
      { from: "Osteoarthristis", to: "Osteoarthritis" },
      { from: "(vertigo) Paroymsal Positional Vertigo", to: "Benign paroxysmal positional vertigo" },
      { from: "Dimorphic hemmorhoids(piles)", to: "Haemorrhoids" },
    ]);
    expect(report.unmatchedDiseases).toEqual(["Made up disease"]);
    expect(report.duplicateSymptomsInRows).toBe(1);
    expect(report.normalizedSymptoms).toEqual([{ from: "foul_smell_of urine", to: "foul_smell_of_urine" }]);
    expect(report.missingWeights).toEqual(["glowing_ears"]);
    // One disease name with a double space, and 16 symptom cells with a leading space.
    expect(report.trimmedValues).toBe(1 + 16);

    const ulcer = knowledgeBase.diseases.find((disease) => disease.id === "peptic-ulcer-disease")!;
    expect(ulcer.symptoms).toEqual({ vomiting: 5, abdominal_pain: 4, indigestion: 5, loss_of_appetite: 4 });
    expect(ulcer.india.localNames.hindi).toBe("pet ka chhala");
    const oa = knowledgeBase.diseases.find((disease) => disease.id === "osteoarthritis")!;
    expect(oa.precautions).toEqual(["Acetaminophen.", "Consult nearest hospital.", "Follow up.", "Salt baths."]);
    const madeUp = knowledgeBase.diseases.find((disease) => disease.id === "made-up-disease")!;
    expect(madeUp.symptoms).toEqual({ glowing_ears: 1, itching: 1 });
    expect(knowledgeBase.symptoms.glowing_ears?.lay).toBe("glowing ears");
  });

  it("names the file when dataset.csv is missing or malformed", async () => {
    await expect(importSymptomCsv(temp.file("nowhere"), { base: await loadKnowledgeBase() })).rejects.toThrow(
      /dataset\.csv: file not found/,
    );
    const folder = temp.file("bad");
    await import("node:fs/promises").then((fs) => fs.mkdir(folder, { recursive: true }));
    await writeFile(join(folder, "dataset.csv"), 'Disease,Symptom_1\n"Malaria, chills\n');
    await expect(importSymptomCsv(folder, { base: await loadKnowledgeBase() })).rejects.toThrow(
      /dataset\.csv.*invalid CSV/,
    );
  });
});
