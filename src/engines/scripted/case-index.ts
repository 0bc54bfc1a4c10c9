import { listCaseFacts, type CaseFact, type FactTopic, type PatientCase } from "../../domain/index.js";
import { clinicalConcepts } from "./intents.js";
import { analyzeText } from "./lexicon.js";
import { peopleAsSubject, peopleNamed } from "./people.js";

/** A case fact with what it talks about: its concepts and the topics it answers. */
export interface IndexedFact {
  fact: CaseFact;
  concepts: Set<string>;
  /** The fact's own topic plus topics its content answers (a condom in `social.other` answers contraception). */
  topics: Set<FactTopic>;
  /** Said only when asked about exactly this (thoughts of self-harm are never volunteered or tangential). */
  guarded: boolean;
  /** Stemmed content words of its text and patient words. */
  words: Set<string>;
  /** People other than the patient the fact names ("My husband works as a truck cleaner"): see {@link peopleNamed}. */
  people: string[];
  /** The people among {@link people} that a sentence of the fact is about ("My husband works ..."). */
  subjects: string[];
}

export interface CaseIndex {
  facts: IndexedFact[];
  /** The plain facts, one array per case (caches key on it). */
  factList: CaseFact[];
  byId: Map<string, IndexedFact>;
  /** Inverse document frequency of each concept over the case's spoken facts. */
  idf: (concept: string) => number;
  /** Inverse document frequency of each content word over the case's spoken facts. */
  wordIdf: (word: string) => number;
}

/** Topics a fact's content answers wherever it is written in the case. */
const CONCEPT_TOPICS: Readonly<Record<string, FactTopic>> = {
  mood: "mood",
  sleep: "sleep",
  suicide: "self_harm",
  periods: "menstrual",
  pregnancy: "obstetric",
  contraception: "contraception",
  sexual: "sexual_history",
  weight: "weight_change",
  travel: "travel",
  contact: "contacts",
  vaccine: "vaccination",
  water_source: "water_source",
};

/** Concepts that only mark a topic when the fact sits in the social history. */
const SOCIAL_CONCEPT_TOPICS: Readonly<Record<string, FactTopic>> = {
  exercise: "exercise",
  food: "diet",
  home: "living",
  occupation: "occupation",
  tobacco: "tobacco",
  alcohol: "alcohol",
  drugs: "social_other",
  mosquito: "social_other",
  animal: "social_other",
  insect: "social_other",
  blood_exposure: "social_other",
  fluid_intake: "diet",
};

/**
 * A narrower concept in a fact also answers the broader one: constipation is about the motions, so
 * "Potty roz hoti hai?" finds it instead of a denial; urgency is a urine symptom.
 */
const IMPLIED_CONCEPTS: Readonly<Record<string, readonly string[]>> = {
  constipation: ["stool"],
  testis: ["genital"],
  diarrhoea: ["stool"],
  urgency: ["urine"],
  orthopnoea: ["breathless"],
  snore: ["sleep"],
  swallow: ["throat"],
  tremor: ["limb"],
  salt: ["food"],
  acidity: ["abdomen"],
  bleed_gum: ["blood"],
  regurgitation: ["acidity"],
  rice_water: ["diarrhoea", "stool"],
};

/** How much a shared word counts against a shared concept. */
const WORD_WEIGHT = 0.15;

const FEVER_PATTERN_SOURCES = new Set<FactTopic>(["chief_complaint", "onset", "timing", "character", "associated"]);

const indexes = new WeakMap<PatientCase, CaseIndex>();

/** The index of a case's facts (built once per case object). */
export function indexCase(patientCase: PatientCase): CaseIndex {
  const cached = indexes.get(patientCase);
  if (cached) return cached;
  const facts = listCaseFacts(patientCase).map((fact) => indexFact(fact));
  inheritComplaint(facts);
  const spoken = facts.filter((item) => item.fact.revealedBy === "ask");
  const counts = new Map<string, number>();
  for (const item of spoken) for (const concept of item.concepts) counts.set(concept, (counts.get(concept) ?? 0) + 1);
  const idf = (concept: string) => Math.log(1 + spoken.length / (1 + (counts.get(concept) ?? 0)));
  const wordCounts = new Map<string, number>();
  for (const item of spoken) for (const word of item.words) wordCounts.set(word, (wordCounts.get(word) ?? 0) + 1);
  const wordIdf = (word: string) => Math.log(1 + spoken.length / (1 + (wordCounts.get(word) ?? 0)));
  const index = {
    facts,
    factList: facts.map((item) => item.fact),
    byId: new Map(facts.map((item) => [item.fact.id, item])),
    idf,
    wordIdf,
  };
  indexes.set(patientCase, index);
  return index;
}

function indexFact(fact: CaseFact): IndexedFact {
  const text = [fact.text, fact.patientWords ?? "", fact.label ?? ""].join(". ");
  const concepts = new Set(clinicalConcepts(analyzeText(text).concepts));
  for (const concept of [...concepts]) for (const implied of IMPLIED_CONCEPTS[concept] ?? []) concepts.add(implied);
  const topics = new Set<FactTopic>([fact.topic]);
  // What the patient believes or fears stays a belief: "My colleague said it could be TB" is no contact.
  if (fact.revealedBy === "ask" && !["ideas", "concerns", "expectations"].includes(fact.topic)) {
    for (const concept of concepts) {
      const topic = CONCEPT_TOPICS[concept];
      if (topic) topics.add(topic);
      const social = SOCIAL_CONCEPT_TOPICS[concept];
      if (social && fact.topic === "social_other") topics.add(social);
    }
    if (concepts.has("fever") && FEVER_PATTERN_SOURCES.has(fact.topic)) topics.add("fever_pattern");
    if (concepts.has("appetite") && fact.topic === "associated") topics.add("diet");
    // A relative with the same or a similar illness is a contact too: "Anybody else had this?"
    // must not be denied when the family history says an uncle had the same fever.
    if (fact.topic === "family_history" && /\b(same|similar|also had|also has)\b/i.test(fact.text))
      topics.add("contacts");
  }
  return {
    fact,
    concepts,
    topics,
    guarded: fact.topic === "self_harm" || topics.has("self_harm"),
    words: new Set(contentWords(`${fact.text} ${fact.patientWords ?? ""}`)),
    people: peopleNamed(`${fact.text}. ${fact.patientWords ?? ""}`),
    subjects: peopleAsSubject(`${fact.text}. ${fact.patientWords ?? ""}`),
  };
}

/** Dimensions of the complaint whose facts often leave the complaint unsaid ("It comes every second day"). */
const COMPLAINT_DIMENSIONS = new Set<FactTopic>(["onset", "duration", "timing", "character", "severity"]);

/**
 * A dimension fact that names none of the chief complaint's concepts is about the complaint: "It
 * comes every second day in the afternoon" answers "Does the fever come daily?".
 */
function inheritComplaint(facts: IndexedFact[]): void {
  const complaint = facts.find((item) => item.fact.id === "chief_complaint");
  if (!complaint) return;
  const main = [...complaint.concepts].filter((concept) => !["pain", "past"].includes(concept));
  for (const item of facts) {
    if (!COMPLAINT_DIMENSIONS.has(item.fact.topic) || item.fact.revealedBy !== "ask") continue;
    if (main.some((concept) => item.concepts.has(concept))) continue;
    for (const concept of main) item.concepts.add(concept);
  }
}

/** Words too common to say which fact a question wants. */
export const STOP_WORDS = new Set(
  "about after again also have been being does doing done from have having here into just like make many more most much only other over some such than that them then there these they this those what when where which while will with would your yours yourself anything something everything ever before time times days the you and any how did are was for not can has had get got she her his him who why yes day now ago say one all out way too use ask see its off put let per very doe thes".split(
    " ",
  ),
);

/** The stemmed words of a text that can tell one fact from another (three letters or more, no stop words). */
export function contentWords(text: string): string[] {
  return analyzeText(text).words.filter((word) => word.length >= 3 && !STOP_WORDS.has(word));
}

/**
 * Facts that answer a question about `concepts`, best first: each fact scores the summed rarity of
 * the concepts it shares with the question. Facts within 60% of the best score are kept.
 */
export function rankFactsByConcepts(
  index: CaseIndex,
  concepts: readonly string[],
  candidates: readonly IndexedFact[],
  questionText?: string,
): IndexedFact[] {
  return scoreFactsByConcepts(index, concepts, candidates, questionText).map((entry) => entry.item);
}

/**
 * Like {@link rankFactsByConcepts}, with the scores. A fact's score is the summed rarity of the
 * shared concepts over the square root of how many concepts the fact has: a fact about just this
 * beats a long fact that also mentions it.
 */
export function scoreFactsByConcepts(
  index: CaseIndex,
  concepts: readonly string[],
  candidates: readonly IndexedFact[],
  questionText?: string,
): { item: IndexedFact; score: number }[] {
  // The question's own words break ties between facts with the same concepts ("Does it *wake*
  // you from sleep?" is the fact that says so, not every fact that mentions sleep); rare words count most.
  const words = questionText === undefined ? [] : [...new Set(contentWords(questionText))];
  const scored = candidates
    .map((item) => {
      const conceptScore =
        concepts.reduce((sum, concept) => sum + (item.concepts.has(concept) ? index.idf(concept) : 0), 0) /
        Math.sqrt(1 + item.concepts.size);
      const wordScore = words.reduce((sum, word) => sum + (item.words.has(word) ? index.wordIdf(word) : 0), 0);
      return { item, conceptScore, score: conceptScore + WORD_WEIGHT * wordScore };
    })
    .filter((entry) => entry.conceptScore > 0);
  if (scored.length === 0) return [];
  // Which facts are in is the concepts' decision; the words only order them.
  const best = Math.max(...scored.map((entry) => entry.conceptScore));
  return scored
    .filter((entry) => entry.conceptScore >= best * 0.6)
    .sort((a, b) => b.score - a.score)
    .map(({ item, score }) => ({ item, score }));
}
