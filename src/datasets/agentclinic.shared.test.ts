// The README's figure "the 214 MedQA cases import cleanly", on the real AgentClinic file.
import { expect, it } from "vitest";
import { listCaseFacts, PatientCaseSchema } from "../domain/index.js";
import { findDiagnosisLeak } from "../simulator/guard.js";
import { describeWithSharedData, sharedDataFile } from "../util/shared-data.test-utils.js";
import { importAgentClinic } from "./index.js";

const agentClinicFile = sharedDataFile("agentclinic/agentclinic_medqa_extended.jsonl");

describeWithSharedData("the real AgentClinic MedQA file", [agentClinicFile], () => {
  it("yields 214 valid cases whose spoken facts never name the diagnosis", async () => {
    const { cases, errors } = await importAgentClinic(agentClinicFile);
    expect(errors).toEqual([]);
    expect(cases).toHaveLength(214);
    for (const item of cases) {
      expect(PatientCaseSchema.safeParse(item).success).toBe(true);
      for (const fact of listCaseFacts(item).filter((fact) => fact.revealedBy === "ask"))
        expect(findDiagnosisLeak(fact.text, item), `${item.id}: ${fact.text}`).toBeUndefined();
    }
    const first = cases[0]!;
    expect(first.diagnosis.primary).toBe("Myasthenia gravis");
    expect(first.tests["blood tests, acetylcholine receptor antibodies"]).toBe("Present (elevated)");
    expect(first.vitalSigns).toMatchObject({
      temperatureC: 36.6,
      heartRate: 72,
      respiratoryRate: 16,
      bloodPressure: "125/80",
    });
    expect(cases.filter((item) => Object.keys(item.examination).length > 0).length).toBeGreaterThan(200);
    expect(cases.filter((item) => Object.keys(item.tests).length > 0).length).toBeGreaterThan(200);
  });
});
