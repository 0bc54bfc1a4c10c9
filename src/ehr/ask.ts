import type { Condition, EhrCatalog, Observation, PopulationId } from "./catalog.js";
import { treatmentsOf } from "./catalog.js";
import { FORMULA_INPUTS } from "./formulas.js";
import type { CohortSpec } from "./spec.js";

/** A cited answer to a question about where the generator's numbers and rules come from. */
export interface ProvenanceAnswer {
  answer: string;
  /** The sources the answer relies on, as stored in data/ehr/sources.yaml. */
  citations: { id: string; title: string; url?: string }[];
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const mentions = (text: string, alias: string) =>
  new RegExp(`(?<![a-z0-9])${escape(alias.toLowerCase())}(?![a-z0-9])`).test(text);

/**
 * Answers provenance questions ("where does the HbA1c distribution come from?", "what guideline
 * decides the medication?", "where do the names come from?") from the citations stored with the
 * data, for the conditions and population of `spec` when a session gives one.
 */
export function answerQuestion(question: string, catalog: EhrCatalog, spec?: CohortSpec): ProvenanceAnswer {
  const text = ` ${question.toLowerCase()} `;
  const cited = new Set<string>();
  const cite = (id: string | undefined) => {
    if (id) cited.add(id);
    return id ? `[${id}]` : "";
  };
  const population: PopulationId | undefined = /\bindia|indian\b/.test(text)
    ? "india"
    : /\bus\b|\bu\.s\.|america/.test(text)
      ? "us"
      : spec?.population.country;
  const named = catalog.conditions.filter((condition) =>
    [condition.id.replace(/-/g, " "), ...condition.aliases].some((alias) => mentions(text, alias)),
  );
  const sessionConditions = (spec?.conditions ?? [])
    .map((id) => catalog.conditionById.get(id))
    .filter((c): c is Condition => !!c);
  const conditions = named.length ? named : sessionConditions;
  const medicationsNamed = [...catalog.medications.values()].filter(
    (medication) => mentions(text, medication.name.split(" ")[0]!) || mentions(text, medication.id),
  );
  const observations = catalog.observations.filter(
    (observation) =>
      !observation.hidden &&
      [observation.id, observation.name, ...observation.aliases].some(
        (alias) => alias.length > 2 && mentions(text, alias),
      ),
  );
  const lines: string[] = [];

  const asksTreatment =
    /\b(medication|medicine|drug|treat|treatment|therapy|guideline|prescri|step|regimen|insulin|statin)/.test(text);
  if (medicationsNamed.length && (asksTreatment || !observations.length)) {
    for (const medication of medicationsNamed) {
      const users = catalog.conditions.filter((condition) =>
        treatmentsOf(condition).some((treatment) =>
          JSON.stringify([treatment.steps, treatment.addons, treatment.byVisit ?? []]).includes(`"${medication.id}"`),
        ),
      );
      const effects = Object.entries(medication.effects)
        .map(
          ([id, effect]) =>
            `${catalog.observationById.get(id)?.name ?? id} ${typeof effect === "number" ? (effect > 0 ? `+${effect}` : effect) : `x${effect.scale}`}`,
        )
        .join(", ");
      lines.push(
        `${medication.name} (RxNorm ${medication.rxnorm}, ATC ${medication.atc}, ${medication.dose}) is prescribed by the rules for ${users.map((c) => c.name).join(", ") || "no condition"}${effects ? `; its modelled effect: ${effects}` : ""} ${cite(medication.source)}.`,
      );
      for (const condition of users) lines.push(...treatmentLines(condition, population, cite));
    }
  } else if (asksTreatment) {
    const targets = conditions.length ? conditions : catalog.conditions.filter((condition) => condition.treatment);
    for (const condition of targets) lines.push(...treatmentLines(condition, population, cite));
  }

  if (
    observations.length &&
    !(asksTreatment && !/\b(distribution|value|come from|source|where|why|how)\b/.test(text) && lines.length)
  ) {
    for (const observation of observations)
      lines.push(...observationLines(observation, catalog, conditions, population, cite));
  }

  if (/\b(comorbid|co-occur|cooccur|together|also have|other conditions|multimorbid)/.test(text)) {
    for (const condition of conditions.length ? conditions : catalog.conditions)
      for (const entry of condition.comorbidities)
        lines.push(
          `${condition.name}: ${Math.round(entry.probability * 100)}% also get ${catalog.conditionById.get(entry.condition)?.name}${entry.note ? ` (${entry.note})` : ""} ${cite(entry.source)}.`,
        );
  }
  if (/\b(prevalence|age mix|age distribution|sex mix|how old|ages?\b|sex ratio|how common)/.test(text)) {
    for (const condition of conditions.length ? conditions : catalog.conditions) {
      const entries = Object.entries(condition.prevalence).filter(([id]) => !population || id === population);
      for (const [id, prevalence] of entries)
        lines.push(
          `${condition.name} (${catalog.populations[id as PopulationId]?.name ?? id}): age and sex mix = population age pyramid x prevalence by band${prevalence.note ? `; ${prevalence.note}` : ""} ${cite(prevalence.source)}.`,
        );
    }
    for (const id of population ? [population] : (["us", "india"] as const)) {
      const table = catalog.populations[id];
      lines.push(`${table.name} age pyramid${table.ageNote ? `: ${table.ageNote}` : ""} ${cite(table.ageSource)}.`);
    }
  }
  if (
    /\b(names?|demograph|districts?|states?|regions?|where do .* live|urban|rural|ethnic|race|population tables?)\b/.test(
      text,
    )
  ) {
    for (const id of population ? [population] : (["us", "india"] as const)) {
      const table = catalog.populations[id];
      lines.push(
        `${table.name}: names ${cite(table.namesSource)}; states/regions and their weights ${cite(table.regionSource)}; urban/rural shares ${cite(table.urbanSource)}${table.districtSource ? `; districts ${cite(table.districtSource)}` : ""}${table.ethnicitySource ? `; race and ethnicity ${cite(table.ethnicitySource)}` : ""}.`,
      );
    }
  }
  if (/\b(snomed|icd|loinc|rxnorm|atc|ucum|codes?|coded)\b/.test(text) && !lines.length) {
    lines.push(
      "Diagnoses carry SNOMED CT and ICD-10 codes (conditions/*.yaml), observations LOINC codes with UCUM units (observations.yaml), medicines RxNorm ingredient codes and WHO ATC codes (medications.yaml).",
    );
  }
  if (/\b(diagnos|criteria|threshold|requires?|definition|defined)\b/.test(text)) {
    for (const condition of conditions)
      if (condition.requires)
        lines.push(
          `${condition.name}: every patient meets the diagnostic rule at the first visit ${cite(condition.requiresSource)}.`,
        );
  }
  if (lines.length === 0) {
    return {
      answer:
        'I can say where a number or rule comes from: ask about an observation ("where does the HbA1c distribution come from?"), the medicines ("what guideline decides the medication?"), comorbidities, the age and sex mix, or names and places. Every source is listed in data/ehr/sources.yaml.',
      citations: [],
    };
  }
  const citations = [...cited].map((id) => ({
    id,
    title: catalog.sources[id]?.title ?? id,
    url: catalog.sources[id]?.url,
  }));
  const references = citations.map((c) => `[${c.id}] ${c.title}${c.url ? ` ${c.url}` : ""}`);
  return { answer: [...new Set(lines)].join("\n") + `\n\nSources:\n${references.join("\n")}`, citations };
}

function treatmentLines(
  condition: Condition,
  population: PopulationId | undefined,
  cite: (id?: string) => string,
): string[] {
  const treatment = condition.treatment;
  if (!treatment) return [`${condition.name}: no medicines are prescribed by the generator.`];
  const entries: [string, ReturnType<typeof treatmentsOf>[number]][] =
    "source" in treatment
      ? [["", treatment as ReturnType<typeof treatmentsOf>[number]]]
      : Object.entries(treatment)
          .filter(([id]) => !population || id === population)
          .map(([id, value]) => [id === "us" ? " (US)" : " (India)", value!]);
  return entries.map(
    ([label, rules]) => `${condition.name}${label}: ${rules.note ?? "treatment rules"} ${cite(rules.source)}.`,
  );
}

function observationLines(
  observation: Observation,
  catalog: EhrCatalog,
  conditions: Condition[],
  population: PopulationId | undefined,
  cite: (id?: string) => string,
): string[] {
  const header = observation.hidden
    ? observation.name
    : `${observation.name} (LOINC ${observation.loinc}, ${observation.unit})`;
  const lines: string[] = [];
  if (observation.formula) {
    lines.push(
      `${header} is computed, not sampled: ${observation.note ?? observation.formula} ${cite(observation.source)}.`,
    );
    // A hidden input (FEV1 % predicted) is where the condition's distribution lives: explain it too.
    for (const input of FORMULA_INPUTS[observation.formula] ?? []) {
      const hidden = catalog.observationById.get(input);
      if (hidden?.hidden) lines.push(...observationLines(hidden, catalog, conditions, population, cite));
    }
  } else
    lines.push(
      `${header} in the general population: ${describeModel(observation.model)}${observation.note ? `; ${observation.note}` : ""} ${cite(observation.source)}.`,
    );
  for (const [id, override] of Object.entries(observation.populations))
    if (!population || id === population)
      lines.push(
        `${header}, ${catalog.populations[id as PopulationId]?.name ?? id}: ${describeModel(override.model)}${override.note ? `; ${override.note}` : ""} ${cite(override.source)}.`,
      );
  const relevant = conditions.length ? conditions : catalog.conditions;
  for (const condition of relevant) {
    const override = condition.overrides[observation.id];
    if (!override) continue;
    lines.push(
      `${header} in ${condition.name}: ${describeModel(override.model)}${override.note ? `; ${override.note}` : ""} ${cite(override.source)}.`,
    );
    for (const [id, populationOverride] of Object.entries(override.populations))
      if (!population || id === population)
        lines.push(
          `${header} in ${condition.name}, ${catalog.populations[id as PopulationId]?.name ?? id}: ${describeModel(populationOverride.model)}${populationOverride.note ? `; ${populationOverride.note}` : ""} ${cite(populationOverride.source)}.`,
        );
  }
  for (const medication of catalog.medications.values()) {
    const effect = medication.effects[observation.id];
    if (effect !== undefined)
      lines.push(
        `${medication.name} moves ${observation.name} by ${typeof effect === "number" ? effect : `x${effect.scale}`} while taken ${cite(medication.source)}.`,
      );
  }
  return lines;
}

function describeModel(model: Observation["model"]): string {
  if (!model) return "computed";
  const terms = model.terms.length
    ? `, moving with ${model.terms.map(([variable, coefficient]) => `${variable} (${coefficient > 0 ? "+" : ""}${coefficient})`).join(", ")}`
    : "";
  return model.mean !== undefined
    ? `normal, mean ${model.mean}, sd ${model.sd}${terms}`
    : `log-normal, median ${model.median}, spread x${model.spread}${terms}`;
}
