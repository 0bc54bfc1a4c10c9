import { z } from "zod";
import type { PatientEngine } from "../engines/types.js";
import { cases, personas } from "../library/index.js";
import { ValidationError } from "../util/errors.js";
import type { EhrCatalog } from "./catalog.js";
import { planCohort } from "./cohort.js";
import { EhrRequestError } from "./errors.js";
import type { ParsedRequest } from "./parse.js";
import { CohortSpecSchema, type CohortSpec } from "./spec.js";

/** The JSON Schema a model is constrained to: the same schema the rule-based parser fills. */
export const COHORT_SPEC_JSON_SCHEMA = z.toJSONSchema(CohortSpecSchema, { io: "input" }) as Record<string, unknown>;

function instructions(catalog: EhrCatalog, previous?: CohortSpec): string {
  const conditions = catalog.conditions.map((c) => `${c.id} (${c.name})`).join(", ");
  const observations = catalog.observations
    .filter((o) => !o.hidden)
    .map((o) => o.id)
    .join(", ");
  const states = (id: "us" | "india") => catalog.populations[id].regions.map((r) => r.name).join(", ");
  return [
    "You turn a request for synthetic patient records into one JSON object that matches the given JSON Schema, and nothing else.",
    `Condition ids: ${conditions}.`,
    `Observation ids: ${observations}. Use "observations": {"top": N} for "N most important observations", a list of ids for named ones, and leave it out otherwise.`,
    `population.country is "us" or "india". US states: ${states("us")}. Indian states: ${states("india")}.`,
    "Fill only what the request states; leave other fields out. Never invent a condition: if the request names one that is not listed, put its words in conditions anyway.",
    previous
      ? `This request refines the previous specification; answer with the whole refined specification. Previous: ${JSON.stringify(previous)}`
      : "",
  ]
    .filter(Boolean)
    .join("\n");
}

/**
 * Reads a request with a model of the project (any engine): the model fills the cohort JSON
 * schema, and the result goes through the same validation and catalog checks as the rule-based
 * parser, so a model's mistake becomes the same clear error, never a silent guess.
 */
export async function parseRequestWithEngine(
  request: string,
  engine: PatientEngine,
  catalog: EhrCatalog,
  previous?: CohortSpec,
): Promise<ParsedRequest> {
  if (engine.name === "scripted")
    throw new EhrRequestError(
      "impossible",
      "the scripted engine cannot read requests; leave out --engine for the offline rule-based parser, or name a model engine",
    );
  // Engines open conversations for a patient; the case and persona only satisfy that interface.
  const conversation = await engine.openConversation({
    patientCase: await cases.get("dengue-fever"),
    persona: await personas.get("calm"),
    systemPrompt: instructions(catalog, previous),
  });
  let text = "";
  try {
    for await (const piece of conversation.reply([{ role: "doctor", content: request }], {
      jsonSchema: COHORT_SPEC_JSON_SCHEMA,
      temperature: 0,
      maxTokens: 400,
    }))
      text += piece;
  } finally {
    await conversation.dispose();
  }
  const json = /\{[\s\S]*\}/.exec(text)?.[0];
  let value: unknown;
  try {
    value = JSON.parse(json ?? "");
  } catch {
    throw new EhrRequestError(
      "impossible",
      `${engine.name} engine: the model did not answer with a JSON specification (got "${text.slice(0, 80)}")`,
    );
  }
  const result = CohortSpecSchema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new ValidationError(`${engine.name} engine's specification`, [
      { field: issue.path.join("."), message: issue.message },
    ]);
  }
  planCohort(result.data, catalog);
  return {
    spec: result.data,
    notes: [`read by the ${engine.name} engine (${engine.modelName})`],
    followUp: previous !== undefined,
  };
}
