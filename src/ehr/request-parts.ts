import { EhrRequestError } from "./errors.js";
import type { CohortSpec, OutputFormat } from "./spec.js";

/**
 * Readers for the parts of a request that need no catalog: the count, the output format, visits,
 * age and sex. Each takes what it understood out of the text (`take`), so what is left over can be
 * checked for words nobody understood.
 */
export type Take = (pattern: RegExp) => RegExpExecArray | undefined;

/** Nouns a count of patients is followed by ("2000 patients", "ten diabetics"). */
export const COHORT_NOUNS =
  "patients?|people|persons?|records?|individuals?|subjects?|cases?|adults?|men|women|males?|females?|children|kids|ehrs?|participants?|samples?|rows?|diabetics|hypertensives|asthmatics|smokers|elderly|girls|boys";

export function readCount(take: Take, current: () => string): number | undefined {
  const alternatives = new RegExp(
    `\\b(\\d+)\\s*(?:or|to|-|/)\\s*(\\d+)\\s+(?:[a-z0-9'/-]+\\s+){0,6}?(?:${COHORT_NOUNS})\\b`,
  ).exec(current());
  if (alternatives)
    throw new EhrRequestError(
      "question",
      `Which number is the count of patients: ${alternatives[1]} or ${alternatives[2]}?`,
      [alternatives[1]!, alternatives[2]!],
    );
  const nounFirst = new RegExp(`\\b(-?\\d+(?:\\.\\d+)?)\\s+(?:[a-z0-9'/-]+\\s+){0,6}?(?:${COHORT_NOUNS})\\b`);
  const match =
    take(nounFirst) ??
    take(
      /\b(?:generate|create|make|simulate|synthesi[sz]e|produce|need|want|give me|make it|set it to|change it to|change to|increase to|decrease to|reduce to)\s+(-?\d+(?:\.\d+)?)\b/,
    );
  if (match) return Number(match[1]);
  const article =
    /\b(?:generate|create|make|simulate)\s+(?:a|an|one|single)\s+(?:[a-z-]+\s+){0,4}?(?:patient|person|record|case)\b/.exec(
      current(),
    );
  if (article) return 1;
  const numbers = [...current().matchAll(/(?<![\w.-])(-?\d+(?:\.\d+)?)(?![\w.%-])/g)].map((m) => Number(m[1]));
  if (numbers.length === 1) return numbers[0];
  if (numbers.length > 1)
    throw new EhrRequestError(
      "question",
      `Which number is the count of patients: ${numbers.join(" or ")}?`,
      numbers.map(String),
    );
  return undefined;
}

export function readFormat(take: Take): OutputFormat | undefined {
  if (take(/\b(?:as |in )?(?:bulk fhir|fhir(?: r4)? ndjson|ndjson)\b/)) return "fhir-ndjson";
  if (take(/\b(?:as |in )?fhir(?: r4)?(?: bundles?| json)?\b/)) return "fhir";
  if (take(/\b(?:as |in )?synthea(?:-style| style)?(?: csvs?| format| tables)?\b/)) return "synthea";
  if (take(/\b(?:as |into )?(?:case scripts?|simulator cases|practice cases)\b/)) return "cases";
  if (take(/\b(?:as |in )?(?:a )?(?:flat )?csv(?: file)?\b/)) return "csv";
  return undefined;
}

export function readVisits(take: Take, notes: string[]): Partial<CohortSpec["visits"]> | undefined {
  const visits: Partial<CohortSpec["visits"]> = {};
  const every = take(
    /\bevery (\d+) (month|months|week|weeks|year|years) (?:for|over) (\d+(?:\.\d+)?) (year|years|month|months)\b/,
  );
  if (every) {
    const stepMonths =
      Number(every[1]) * (every[2]!.startsWith("week") ? 12 / 52 : every[2]!.startsWith("year") ? 12 : 1);
    const spanMonths = Number(every[3]) * (every[4]!.startsWith("year") ? 12 : 1);
    visits.years = spanMonths / 12;
    visits.count = Math.max(1, Math.round(spanMonths / stepMonths) + 1);
  }
  const count = take(/\b(\d+) (?:follow-up |clinic |outpatient )?(?:visits|encounters|appointments)\b/);
  if (count) visits.count = Number(count[1]);
  const span =
    take(/\b(?:over|across|spanning|for|covering) (?:the (?:last|past) )?(\d+(?:\.\d+)?) (years?|months?)\b/) ??
    take(/\b(\d+(?:\.\d+)?)[ -](years?|months?)(?: of)? (?:follow-up|history|records|data|visits)\b/);
  if (span) visits.years = Number(span[1]) / (span[2]!.startsWith("month") ? 12 : 1);
  if (take(/\b(?:single|one) visit\b|\bcross-sectional\b/)) visits.count = 1;
  if (take(/\bnewly diagnosed\b|\bnew(?:ly)? detected\b|\bat diagnosis\b/)) {
    visits.count = 1;
    notes.push("newly diagnosed: one visit each, the diagnosis visit, before any treatment");
  }
  take(/\blongitudinal(?: records| data)?\b/);
  return Object.keys(visits).length ? visits : undefined;
}

export function readAge(take: Take): { min?: number; max?: number } | undefined {
  const range =
    take(
      /\b(?:aged?|ages|age group|age range|between the ages of|from)?\s*(\d{1,3})\s*(?:-|to|and|until)\s*(\d{1,3})\s*(?:years?|yrs?|y)?(?:[ -]old|[ -]olds)?\b/,
    ) ?? take(/\bbetween (\d{1,3}) and (\d{1,3})(?: years?)?(?: of age| old)?\b/);
  if (range) {
    const low = Number(range[1]);
    const high = Number(range[2]);
    if (low > 120 || high > 120)
      throw new EhrRequestError("impossible", `age ${Math.max(low, high)} is beyond the oldest age (120)`);
    if (low > high)
      throw new EhrRequestError("impossible", `age range ${low}-${high} is empty (the minimum is above the maximum)`);
    return { min: low, max: high };
  }
  const age: { min?: number; max?: number } = {};
  const over = take(
    /\b(?:aged |age )?(?:over|above|older than|more than|greater than)\s*(\d{1,3})(?: years?)?(?: of age| old)?\b/,
  );
  if (over) age.min = Number(over[1]) + 1;
  const atLeast =
    take(/\b(?:aged |age )?(?:at least|minimum|min\.?|from)\s*(\d{1,3})(?: years?)?\b/) ??
    take(/\b(\d{1,3})\s*(?:\+|plus|years? and (?:over|above|older)|and (?:over|above|older)|or (?:over|older|above))/);
  if (atLeast) age.min = Number(atLeast[1]);
  const under = take(
    /\b(?:aged |age )?(?:under|below|younger than|less than)\s*(\d{1,3})(?: years?)?(?: of age| old)?\b/,
  );
  if (under) age.max = Number(under[1]) - 1;
  const atMost =
    take(/\b(?:aged |age )?(?:at most|up to|maximum|max\.?)\s*(\d{1,3})(?: years?)?\b/) ??
    take(/\b(\d{1,3}) (?:or|and) (?:younger|under|below)\b/);
  if (atMost) age.max = Number(atMost[1]);
  const exact =
    age.min === undefined && age.max === undefined
      ? take(/\b(?:aged|age)\s*(\d{1,3})\b|\b(\d{1,3})[ -]years?[ -]old\b/)
      : undefined;
  if (exact) age.min = age.max = Number(exact[1] ?? exact[2]);
  if (take(/\b(?:children|kids|paediatric|pediatric|child)\b/))
    Object.assign(age, { min: age.min ?? 0, max: age.max ?? 17 });
  if (take(/\b(?:adolescents?|teenagers?|teens)\b/)) Object.assign(age, { min: age.min ?? 10, max: age.max ?? 19 });
  if (take(/\b(?:elderly|older adults|seniors?|geriatric|old people|older people)\b/)) age.min ??= 65;
  if (take(/\bmiddle[ -]aged\b/)) Object.assign(age, { min: age.min ?? 40, max: age.max ?? 64 });
  if (take(/\byoung adults?\b/)) Object.assign(age, { min: age.min ?? 18, max: age.max ?? 35 });
  if (take(/\badults?\b/)) age.min ??= 18;
  if ((age.min ?? 0) > 120) throw new EhrRequestError("impossible", `age ${age.min} is beyond the oldest age (120)`);
  return Object.keys(age).length ? age : undefined;
}

export function readObservationCount(take: Take): number | "all" | undefined {
  const words =
    "observations?|measurements?|labs?|lab values|lab tests|laboratory values|variables|features|parameters|vitals|tests|columns|fields|data points|biomarkers|markers|values|readings";
  const count = take(
    new RegExp(
      `\\b(\\d+) (?:of the )?(?:most |very )?(?:important|key|main|essential|relevant|common|core|top|major|significant|clinical|coded|different)?\\s*(?:[a-z0-9-]+ ){0,3}?(?:${words})\\b`,
    ),
  );
  if (count) return Number(count[1]);
  if (take(new RegExp(`\\ball (?:the |available |possible )?(?:${words})\\b`))) return "all";
  return undefined;
}

export function readSex(take: Take): CohortSpec["sex"] | undefined {
  if (
    take(
      /\b(?:men and women|women and men|males? and females?|females? and males?|both sexes|either sex|any sex|all genders)\b/,
    )
  )
    return "any";
  const female = take(/\b(?:women|woman|females?|ladies|girls|mothers|pregnant)\b/);
  const male = take(/\b(?:men|man|males?|boys|gentlemen)\b/);
  if (female && male)
    throw new EhrRequestError("question", "Women, men, or both? The request mentions both.", ["female", "male", "any"]);
  return female ? "female" : male ? "male" : undefined;
}
