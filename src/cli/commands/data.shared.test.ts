// `medsim cases import agentclinic` on the real AgentClinic file: the README's 214 cases.
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { expect, it } from "vitest";
import { describeWithSharedData, sharedDataFile } from "../../util/shared-data.test-utils.js";
import { useTempDirectory } from "../../util/temp-directory.test-utils.js";
import { runCommand } from "../run-in-process.test-utils.js";

const agentClinicFile = sharedDataFile("agentclinic/agentclinic_medqa_extended.jsonl");
const temp = useTempDirectory("medsim-data-cli-shared-");

describeWithSharedData("medsim cases import agentclinic (real file)", [agentClinicFile], () => {
  it("writes 214 valid case files", async () => {
    const out = temp.file("agentclinic");
    const result = await runCommand("cases import agentclinic", agentClinicFile, "--out", out, "--json");
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ imported: 214, failed: 0 });
    const files = (await readdir(out)).filter((name) => name.endsWith(".yaml"));
    expect(files).toHaveLength(214);
    const validated = await runCommand("cases validate", ...files.map((name) => join(out, name)), "--json");
    expect(JSON.parse(validated.stdout).valid).toBe(true);
  });
});
