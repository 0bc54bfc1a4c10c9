import type { Condition, EhrCatalog, Observation } from "./catalog.js";
import { observationsFor, planCohort } from "./cohort.js";
import { EhrRequestError } from "./errors.js";
import { normalizeNumbers } from "./numbers.js";
import { CohortSpecSchema, MAX_PATIENTS, type CohortSpec } from "./spec.js";
import {
  COHORT_NOUNS,
  readAge,
  readCount,
  readFormat,
  readObservationCount,
  readSex,
  readVisits,
} from "./request-parts.js";

/**
 * Rule-based understanding of plain-language cohort requests, offline. It reads the parts a
 * request is made of (a count, conditions, observations, a population, age and sex limits, visits,
 * a format) wherever they appear, rather than matching whole sentences. What it cannot settle it
 * asks about (`EhrRequestError` of kind "question"); what cannot be generated it refuses with the
 * reason and the alternatives ("impossible").
 */
export interface ParsedRequest {
  spec: CohortSpec;
  /** Readings a user should know about ("'diabetes' read as type 2 diabetes"). */
  notes: string[];
  /** True when the request refined the previous specification. */
  followUp: boolean;
}

const GENERATE_VERBS = /\b(generate|create|make|simulate|synthesi[sz]e|produce|give me|i need|i want|build|fake)\b/;
const FOLLOW_UP_START =
  /^\s*(make|change|set|add|also|remove|drop|exclude|only|now|instead|but|same|and|switch|use|include|without|just|limit|restrict|increase|decrease|double|halve|keep|what about|how about|then|ok|okay)\b/;
const REGEX_SPECIAL = /[.*+?^${}()|[\]\\]/g;

/** Parses a request; with `previous` (a session), a follow-up refines that specification. */
export function parseRequest(request: string, catalog: EhrCatalog, previous?: CohortSpec): ParsedRequest {
  const original = request.trim();
  if (original === "")
    throw new EhrRequestError("question", 'What should be generated? e.g. "500 type 2 diabetes patients from India"');
  let text = ` ${normalizeNumbers(original.toLowerCase().replace(/[–—−]/g, "-").replace(/\s+/g, " "))} `;
  const notes: string[] = [];
  const take = (pattern: RegExp): RegExpExecArray | undefined => {
    const match = pattern.exec(text);
    if (match) text = `${text.slice(0, match.index)} ${text.slice(match.index + match[0].length)}`;
    return match ?? undefined;
  };

  // Things that are not a count: types, stages, codes.
  take(/\btype\s*(?:2|ii|two)\b/);
  const stage = /\b(?:gold |kdigo |ckd )?(?:stage|grade|class)\s+(\d|[iv]+)\b/.exec(text);
  if (stage)
    throw new EhrRequestError(
      "impossible",
      `cannot generate only "${stage[0].trim()}" patients: stages follow each patient's values (CKD by the first eGFR, COPD by FEV1); ask without the stage`,
    );
  if (new RegExp(`(?:^|[\\s(])-\\s*\\d+(?:\\.\\d+)?\\s+(?:[a-z0-9'/-]+\\s+){0,6}?(?:${COHORT_NOUNS})\\b`).test(text))
    throw new EhrRequestError(
      "impossible",
      "a negative number of patients cannot be generated; ask for at least 1 patient",
    );
  const unknownDiabetes =
    /\b(type\s*(?:1|i|one)|gestational|juvenile|mody|lada|type\s*3c?)\b[\s-]*(diabetes|diabetic|dm)\b/.exec(text);
  if (unknownDiabetes) throw unknownCondition(unknownDiabetes[0].trim(), catalog);

  const format = readFormat(take);
  const visits = readVisits(take, notes);
  const age = readAge(take);
  const observationRequest = readObservationCount(take);
  const sex = readSex(take);
  const comorbidities =
    /\b(without|no|excluding) (any )?(other )?(comorbidit(y|ies)|other conditions|other diseases)\b/.test(text)
      ? take(/\b(without|no|excluding) (any )?(other )?(comorbidit(y|ies)|other conditions|other diseases)\b/) && false
      : undefined;
  const conditions = readConditions(take, () => text, catalog, notes);
  checkAlternatives(original.toLowerCase(), conditions, catalog);
  const population = readPopulation(take, () => text, catalog);
  const named = readNamedObservations(() => text, take, catalog);
  const removals = previous ? readRemovals(original.toLowerCase(), catalog) : { conditions: [], observations: [] };
  const slot = unknownSlot(text);
  const count = readCount(take, () => text);

  const isFollowUp =
    previous !== undefined &&
    (FOLLOW_UP_START.test(original.toLowerCase()) ||
      (conditions.length === 0 && !GENERATE_VERBS.test(original.toLowerCase())) ||
      conditions.length === 0);

  if (!isFollowUp) {
    if (conditions.length === 0) {
      if (slot) throw unknownCondition(slot, catalog);
      throw new EhrRequestError(
        "question",
        `Which condition should the patients have? medsim can generate: ${catalog.conditions.map((c) => c.id).join(", ")} (say "healthy" for a healthy baseline)`,
        catalog.conditions.map((c) => c.id),
      );
    }
    if (slot) throw unknownCondition(slot, catalog);
    if (count === undefined)
      throw new EhrRequestError(
        "question",
        `How many patients? e.g. "generate 500 ${conditions.map((c) => c.name.toLowerCase()).join(" and ")} patients"`,
      );
  }

  if (isFollowUp) {
    const leftover = leftoverWords(text);
    if (leftover)
      throw new EhrRequestError(
        "impossible",
        `cannot read "${leftover}" in the follow-up; it names no known condition (${catalog.conditions.map((c) => c.id).join(", ")}) or observation (see \`medsim ehr conditions\`)`,
      );
  }

  const base: CohortSpec = isFollowUp
    ? structuredClone(previous!)
    : CohortSpecSchema.parse({ count: 1, conditions: conditions.map((c) => c.id), population: { country: "us" } });
  const spec = base;
  if (count !== undefined) spec.count = count;
  if (isFollowUp && /\bdouble\b/.test(original.toLowerCase())) spec.count = previous!.count * 2;
  if (isFollowUp && /\bhalve\b/.test(original.toLowerCase())) spec.count = Math.max(1, Math.floor(previous!.count / 2));
  checkCount(spec.count);

  if (isFollowUp) {
    const wantsAdd = /\b(add|also|plus|include|including|and)\b/.test(original.toLowerCase());
    const newConditions = conditions.filter((condition) => !removals.conditions.includes(condition.id));
    if (newConditions.length > 0)
      spec.conditions = wantsAdd
        ? [...new Set([...spec.conditions, ...newConditions.map((c) => c.id)])]
        : newConditions.map((c) => c.id);
    spec.conditions = spec.conditions.filter((id) => !removals.conditions.includes(id));
    if (spec.conditions.length === 0)
      throw new EhrRequestError("question", "That removes every condition; which condition should the patients have?");
  } else spec.conditions = conditions.map((c) => c.id);

  if (population) {
    spec.population =
      isFollowUp && !population.country ? { ...spec.population, ...population.partial } : population.full!;
  } else if (!isFollowUp) {
    notes.push('no population named: using the US population (say "from India" or a state for Indian patients)');
  }
  if (sex) spec.sex = sex;
  if (age) {
    const previousAge = isFollowUp ? spec.age : undefined;
    spec.age = { min: age.min ?? previousAge?.min ?? 18, max: age.max ?? previousAge?.max ?? 90 };
    if (age.min === undefined && age.max !== undefined && age.max < 18) spec.age.min = 0;
    if (spec.age.min > spec.age.max)
      throw new EhrRequestError("impossible", `age range ${spec.age.min}-${spec.age.max} is empty`);
  }
  if (visits) spec.visits = { ...spec.visits, ...visits };
  if (format) spec.format = format;
  if (comorbidities === false) spec.comorbidities = false;

  const conditionObjects = spec.conditions
    .map((id) => catalog.conditionById.get(id))
    .filter((c): c is Condition => !!c);
  spec.observations = chooseObservations(
    spec,
    previous,
    isFollowUp,
    observationRequest,
    named,
    removals.observations,
    conditionObjects,
    catalog,
    notes,
  );

  // Validate against the catalog now, so an impossible request fails here with its reason.
  planCohort(spec, catalog);
  return { spec, notes, followUp: isFollowUp };
}

function checkCount(count: number): void {
  if (count <= 0)
    throw new EhrRequestError("impossible", `a cohort of ${count} patients is empty; ask for at least 1 patient`);
  if (!Number.isInteger(count)) throw new EhrRequestError("impossible", `${count} is not a whole number of patients`);
  if (count > MAX_PATIENTS)
    throw new EhrRequestError(
      "impossible",
      `${count.toLocaleString("en-US")} patients is more than one request can generate (at most ${MAX_PATIENTS.toLocaleString("en-US")}); ask for fewer, or make several cohorts with different --seed values`,
    );
}

/** Aliases of every condition, longest first, so "chronic kidney disease" wins over "kidney disease". */
function conditionAliases(catalog: EhrCatalog): { alias: string; condition: Condition }[] {
  return catalog.conditions
    .flatMap((condition) =>
      [condition.id.replace(/-/g, " "), ...condition.aliases].map((alias) => ({
        alias: alias.toLowerCase(),
        condition,
      })),
    )
    .sort((a, b) => b.alias.length - a.alias.length);
}

function readConditions(
  take: (pattern: RegExp) => RegExpExecArray | undefined,
  current: () => string,
  catalog: EhrCatalog,
  notes: string[],
): Condition[] {
  const found: { condition: Condition; at: number; alias: string }[] = [];
  for (const { alias, condition } of conditionAliases(catalog)) {
    const pattern = new RegExp(`(?<![a-z0-9])${alias.replace(REGEX_SPECIAL, "\\$&")}(?![a-z0-9])`);
    const at = current().search(pattern);
    if (at < 0) continue;
    take(pattern);
    if (!found.some((entry) => entry.condition === condition)) found.push({ condition, at, alias });
  }
  found.sort((a, b) => a.at - b.at);
  const t2d = found.find((entry) => entry.condition.id === "type-2-diabetes");
  if (t2d && /^(diabetes|diabetic|diabetics|sugar patients)$/.test(t2d.alias))
    notes.push(`"${t2d.alias}" read as type 2 diabetes, the only diabetes medsim generates`);
  return found.map((entry) => entry.condition);
}

/** "diabetes or hypertension": both in every patient, or a mix? medsim does not guess. */
function checkAlternatives(text: string, conditions: Condition[], catalog: EhrCatalog): void {
  if (conditions.length < 2) return;
  const aliases = conditionAliases(catalog);
  const position = (condition: Condition) =>
    Math.min(
      ...aliases
        .filter((entry) => entry.condition === condition)
        .map((entry) =>
          text.search(new RegExp(`(?<![a-z0-9])${entry.alias.replace(REGEX_SPECIAL, "\\$&")}(?![a-z0-9])`)),
        )
        .filter((at) => at >= 0),
    );
  const positions = conditions.map(position).sort((a, b) => a - b);
  for (let index = 1; index < positions.length; index++) {
    const between = text.slice(positions[index - 1], positions[index]);
    if (/(?:\bor\b|\/)/.test(between) && !/\band\/or\b/.test(between))
      throw new EhrRequestError(
        "question",
        `Should every patient have ${conditions.map((c) => c.name).join(" and ")}, or do you want separate cohorts? Say "with ${conditions.map((c) => c.name.toLowerCase()).join(" and ")}" for both in every patient, or make one request per condition.`,
      );
  }
}

interface PopulationReading {
  full?: CohortSpec["population"];
  partial: Partial<CohortSpec["population"]>;
  country?: "us" | "india";
}

function readPopulation(
  take: (pattern: RegExp) => RegExpExecArray | undefined,
  current: () => string,
  catalog: EhrCatalog,
): PopulationReading | undefined {
  const partial: Partial<CohortSpec["population"]> = {};
  const countries: ("us" | "india")[] = [];
  if (take(/\b(?:india|indian|indians|bharat)\b/)) countries.push("india");
  if (take(/(?<![a-z])(?:us|u\.s\.a?\.?|usa|united states(?: of america)?|america|american|americans)(?![a-z])/))
    countries.push("us");
  let state: { country: "us" | "india"; name: string } | undefined;
  const states: { country: "us" | "india"; name: string }[] = [];
  for (const id of ["india", "us"] as const) {
    for (const region of [...catalog.populations[id].regions].sort((a, b) => b.name.length - a.name.length)) {
      const pattern = new RegExp(`(?<![a-z])${region.name.toLowerCase().replace(REGEX_SPECIAL, "\\$&")}(?![a-z])`);
      if (pattern.test(current())) {
        take(pattern);
        states.push({ country: id, name: region.name });
      }
    }
  }
  if (new Set(states.map((entry) => entry.country)).size > 1)
    throw new EhrRequestError(
      "question",
      "The US or India? The request names places in both; medsim generates one population per cohort.",
      ["us", "india"],
    );
  if (states.length > 1)
    throw new EhrRequestError(
      "question",
      `Which state: ${states.map((entry) => entry.name).join(" or ")}? A cohort comes from one state (or the whole country); make one request per state.`,
      states.map((entry) => entry.name),
    );
  state = states[0];
  let district: { country: "us" | "india"; state: string; name: string } | undefined;
  for (const id of ["india", "us"] as const) {
    for (const region of [...catalog.populations[id].regions].sort((a, b) => b.name.length - a.name.length)) {
      const pattern = new RegExp(`(?<![a-z])${region.name.toLowerCase().replace(REGEX_SPECIAL, "\\$&")}(?![a-z])`);
      if (!state && pattern.test(current())) {
        take(pattern);
        state = { country: id, name: region.name };
      }
    }
  }
  for (const id of ["india", "us"] as const) {
    for (const region of catalog.populations[id].regions) {
      if (state && (state.country !== id || state.name !== region.name)) continue;
      for (const entry of region.districts) {
        const name = typeof entry === "string" ? entry : entry[0];
        const bare = name.toLowerCase().replace(/ (county|parish|municipality|city)$/, "");
        if (id === "us" && !state && bare === name.toLowerCase()) continue;
        const pattern = new RegExp(
          `(?<![a-z])${(id === "us" && !state ? name.toLowerCase() : bare).replace(REGEX_SPECIAL, "\\$&")}(?: (?:county|district|parish))?(?![a-z])`,
        );
        if (!district && pattern.test(current())) {
          take(pattern);
          district = { country: id, state: region.name, name };
        }
      }
    }
  }
  if (state) countries.push(state.country);
  if (district) countries.push(district.country);
  const distinct = [...new Set(countries)];
  if (distinct.length > 1)
    throw new EhrRequestError(
      "question",
      "The US or India? The request names places in both; medsim generates one population per cohort.",
      ["us", "india"],
    );
  const country = distinct[0];
  const rural = take(/\b(?:rural|village|villages|villagers|countryside|remote)\b/);
  const urban = take(/\b(?:urban|city|cities|metro|metropolitan|town|towns)\b/);
  if (rural && urban)
    throw new EhrRequestError("question", "Rural, urban, or both? The request mentions both.", [
      "rural",
      "urban",
      "any",
    ]);
  if (rural) partial.setting = "rural";
  if (urban) partial.setting = "urban";
  if (state) partial.state = state.name;
  if (district) {
    partial.state = district.state;
    partial.district = district.name;
  }
  if (!country && !partial.setting) return undefined;
  if (country) partial.country = country;
  const full = country
    ? { country, setting: partial.setting ?? "any", state: partial.state, district: partial.district }
    : undefined;
  if (full && full.state === undefined) delete full.state;
  if (full && full.district === undefined) delete full.district;
  return { full, partial, country };
}

function readNamedObservations(
  current: () => string,
  take: (pattern: RegExp) => RegExpExecArray | undefined,
  catalog: EhrCatalog,
): Observation[] {
  const aliases = catalog.observations
    .filter((observation) => !observation.hidden)
    .flatMap((observation) => observation.aliases.map((alias) => ({ alias: alias.toLowerCase(), observation })))
    .sort((a, b) => b.alias.length - a.alias.length);
  const found: { observation: Observation; at: number }[] = [];
  for (const { alias } of aliases) {
    const pattern = new RegExp(`(?<![a-z0-9])${alias.replace(REGEX_SPECIAL, "\\$&")}(?![a-z0-9])`);
    const at = current().search(pattern);
    if (at < 0) continue;
    const group = aliases.filter((entry) => entry.alias === alias).map((entry) => entry.observation);
    take(pattern);
    for (const member of group)
      if (!found.some((entry) => entry.observation === member)) found.push({ observation: member, at });
  }
  return found.sort((a, b) => a.at - b.at).map((entry) => entry.observation);
}

function readRemovals(text: string, catalog: EhrCatalog): { conditions: string[]; observations: string[] } {
  const match = /\b(?:remove|drop|exclude|without|no more|take out|minus|delete)\b(.*)$/.exec(text);
  if (!match) return { conditions: [], observations: [] };
  const tail = ` ${normalizeNumbers(match[1]!.split(/\b(?:and |, ?)?(?:add|include|plus|also|but|then)\b/)[0]!)} `;
  const conditions = catalog.conditions
    .filter((condition) =>
      [condition.id.replace(/-/g, " "), ...condition.aliases].some((alias) =>
        new RegExp(`(?<![a-z0-9])${alias.toLowerCase().replace(REGEX_SPECIAL, "\\$&")}(?![a-z0-9])`).test(tail),
      ),
    )
    .map((condition) => condition.id);
  const observations = catalog.observations
    .filter(
      (observation) =>
        !observation.hidden &&
        observation.aliases.some((alias) =>
          new RegExp(`(?<![a-z0-9])${alias.toLowerCase().replace(REGEX_SPECIAL, "\\$&")}(?![a-z0-9])`).test(tail),
        ),
    )
    .map((observation) => observation.id);
  return { conditions, observations };
}

function chooseObservations(
  spec: CohortSpec,
  previous: CohortSpec | undefined,
  isFollowUp: boolean,
  requested: number | "all" | undefined,
  named: Observation[],
  removed: string[],
  conditions: Condition[],
  catalog: EhrCatalog,
  notes: string[],
): CohortSpec["observations"] {
  const available = observationsFor(conditions, catalog);
  const names = conditions.map((c) => c.name).join(" + ");
  let list: string[] | undefined;
  if (requested === "all") list = undefined;
  else if (typeof requested === "number") {
    if (requested <= 0) throw new EhrRequestError("impossible", `${requested} observations: ask for at least one`);
    if (requested > available.length)
      throw new EhrRequestError(
        "impossible",
        `${names} has ${available.length} observations, not ${requested}: ${available.map((o) => o.name).join(", ")}. Ask for ${available.length} or fewer, or for all of them.`,
        available.map((o) => o.id),
      );
    list = available.slice(0, requested).map((o) => o.id);
    const extra = named.filter((o) => !list!.includes(o.id));
    if (extra.length) {
      list = [...list.slice(0, Math.max(0, requested - extra.length)), ...extra.map((o) => o.id)];
      notes.push(`${extra.map((o) => o.name).join(", ")} included among the ${requested} observations`);
    }
  } else if (isFollowUp) {
    const before = previous?.observations;
    const current =
      before === undefined
        ? available.map((o) => o.id)
        : "top" in before
          ? available.slice(0, before.top).map((o) => o.id)
          : [...before];
    const added = named.filter((o) => !removed.includes(o.id));
    const already = added.filter((o) => current.includes(o.id));
    if (already.length) notes.push(`${already.map((o) => o.name).join(", ")} already included`);
    list = [...current, ...added.filter((o) => !current.includes(o.id)).map((o) => o.id)];
    if (before === undefined && added.length === already.length && removed.length === 0) list = undefined;
  } else if (named.length > 0) {
    list = named.map((o) => o.id);
  } else list = previous && isFollowUp ? undefined : undefined;
  if (removed.length) {
    list = (list ?? available.map((o) => o.id)).filter((id) => !removed.includes(id));
    if (list.length === 0)
      throw new EhrRequestError("question", "That removes every observation; which observations should be written?");
  }
  if (spec.observations && isFollowUp && requested === undefined && named.length === 0 && removed.length === 0)
    return spec.observations;
  return list;
}

/** The words left where a condition would be ("200 lupus patients", "patients with sickle cell disease"). */
function unknownSlot(text: string): string | undefined {
  const filler = new Set(
    "a an the of with and or from in at for to who have has having suffering diagnosed known new synthetic fake realistic random sample ehr ehrs emr data records record health electronic important key clinical patient patients people persons individuals cases case adults adult some more based on population please generate create make simulate produce give me i need want me their them chronic disease diseases condition conditions disorder mild moderate severe uncontrolled controlled typical treated untreated on its it is are be about around approximately roughly exactly only just visits each per across over year years old aged age state district county rural urban between areas area parts part region regions zone zones place places side villages towns country community communities setting settings locality belt living residing who live lives located india indian us american population various different multiple several".split(
      " ",
    ),
  );
  const candidates = [
    new RegExp(`\\b\\d+\\s+((?:[a-z'-]+\\s+){1,4}?)(?:${COHORT_NOUNS})\\b`).exec(text)?.[1],
    /\b(?:with|having|suffering from|diagnosed with|who have|who has|affected by)\s+((?:[a-z'-]+\s*){1,4})/.exec(
      text,
    )?.[1],
  ];
  for (const candidate of candidates) {
    if (!candidate) continue;
    const words = candidate
      .trim()
      .split(/\s+/)
      .filter((word) => word && !filler.has(word) && !/^\d/.test(word));
    if (words.length > 0) return words.join(" ");
  }
  return undefined;
}

const FOLLOW_UP_FILLER = new Set(
  "a an the it its them those these that this to of and or but please now also instead only just add include including plus make change set switch use keep same rest double halve twice half size number cohort patients patient people records them all everything else same as with from in for be is are should would like want i we could can you let lets let's more fewer less remove drop exclude without delete take out minus no longer instead then ok okay too as well".split(
    " ",
  ),
);

/** Words of a follow-up that nothing understood (after every known part was taken out). */
function leftoverWords(text: string): string | undefined {
  const words = text
    .replace(/[^a-z0-9' -]/g, " ")
    .split(/\s+/)
    .filter((word) => word && !FOLLOW_UP_FILLER.has(word) && !/^\d/.test(word));
  return words.length ? words.join(" ") : undefined;
}

function unknownCondition(name: string, catalog: EhrCatalog): EhrRequestError {
  const known = catalog.conditions.map((condition) => condition.id);
  return new EhrRequestError(
    "impossible",
    `medsim cannot generate "${name}"; known conditions: ${known.join(", ")}`,
    known,
  );
}
