import {
  EXTENDED_HISTORY_TOPICS,
  ICE_TOPICS,
  findDiagnosisLeak,
  type DialogueTurn,
  type FactTopic,
  type PatientCase,
  type Persona,
} from "../../domain/index.js";
import { createRandom, hashString, pick } from "../../util/random.js";
import {
  indexCase,
  rankFactsByConcepts,
  scoreFactsByConcepts,
  STOP_WORDS,
  type CaseIndex,
  type IndexedFact,
} from "./case-index.js";
import { findExaminations, findTests, namesExamination, namesVitals } from "./examination.js";
import { analyzeText } from "./lexicon.js";
import { clinicalConcepts, recognizeIntents, type Intent } from "./intents.js";
import { readSessionMemory, type SessionMemory } from "./memory.js";
import { applyPersonality, isRapportBuilding, type PersonalityContext, type ShapedAnswer } from "./personality.js";
import { conversationalLine, NOTHING_TO_REPORT, nameOfConcept } from "./replies.js";
import { styleReply } from "./style.js";
import { speakFact } from "./voice.js";
import { aboutOthersOnly, samePerson } from "./people.js";
import { checkSummary } from "./summary.js";
import { readWomensHealthForMan } from "./womens-health.js";

export interface ScriptedAnswer {
  /** What the patient says and the narration lines in brackets, as one text. */
  text: string;
  /** The spoken part only. */
  speech: string;
  /** Examination findings and test results: narration, not patient speech. */
  narration: string[];
  /** Facts the answer tells (new or repeated), examination findings and results included. */
  factIds: string[];
}

/** One spoken sentence of an answer and the fact behind it. */
export interface AnswerSentence {
  text: string;
  factId?: string;
  /** The fact was already told earlier in the session. */
  repeated?: boolean;
  /**
   * How well the fact fits the question: 1.5 when it is the asked topic's own fact, plus the share
   * of the question's specific concepts it has. A persona that says one sentence says the best fit.
   */
  fit?: number;
  /** The question's specific concepts this sentence's fact covers (a brief persona keeps one sentence per part asked). */
  covers?: string[];
}

/** What one intent of the question gets, before the persona's voice. */
export interface AnswerPart {
  intent: Intent;
  sentences: AnswerSentence[];
  narration: { line: string; factId?: string }[];
  /** A hello, thanks or goodbye: no opener or closer. */
  pleasantry?: boolean;
  /** A plain "no" to a symptom or topic (no "Yes, doctor" before it). */
  denial?: boolean;
  /** The topic of the facts, for persona rules (sensitive topics, severity). */
  topics?: FactTopic[];
}

/**
 * Answers the last doctor turn of a transcript from the case facts only, in the persona's voice.
 * Stateless: what was already said is read off the transcript, so the same transcript always gets
 * the same answer. The steps: {@link recognizeIntents} (what was asked, part by part),
 * {@link readSessionMemory} (what was said), {@link answerIntent} (which facts answer each part),
 * the persona's content rules, then {@link styleReply} (the voice).
 */
export function answerFromScript(
  patientCase: PatientCase,
  persona: Persona,
  transcript: readonly DialogueTurn[],
): ScriptedAnswer {
  const lastTurn = transcript.at(-1);
  const question = lastTurn?.role === "doctor" ? lastTurn.content : "";
  const turnNumber = transcript.filter((turn) => turn.role === "doctor").length;
  const random = createRandom(hashString(`${patientCase.id}|${persona.id}|${turnNumber}|${question}`));
  const index = indexCase(patientCase);
  const memory = readSessionMemory(transcript, index.factList, isRapportBuilding);
  const intents = recognizeIntents(question);
  const context: AnswerContext = { patientCase, persona, index, memory, random, question };
  const parts = intents.map((intent) => answerIntent(intent, context));
  const personality: PersonalityContext = { ...context, parts, turnNumber };
  const shaped = withoutLeaks(applyPersonality(personality), patientCase);
  const styled = styleReply({
    persona,
    random,
    turnNumber,
    parts: shaped.parts,
    extra: shaped.extra,
    memory,
  });
  const narration = shaped.parts.flatMap((part) => part.narration.map((item) => item.line));
  const factIds = [
    ...new Set(
      shaped.parts.flatMap((part) => [
        ...part.sentences.filter((sentence) => styled.includes(sentence)).map((sentence) => sentence.factId),
        ...part.narration.map((item) => item.factId),
      ]),
    ),
  ].filter((id): id is string => id !== undefined);
  const text = [styled.speech, ...narration.map((line) => `[${line}]`)].filter(Boolean).join("\n");
  return { text, speech: styled.speech, narration, factIds };
}

/**
 * Drops any sentence that names the diagnosis (a user's case may put it in a fact, e.g. "I think
 * I also have dengue"), so the scripted answer, and with it every fallback, passes the guard.
 */
function withoutLeaks(shaped: ShapedAnswer, patientCase: PatientCase): ShapedAnswer {
  const safe = (text: string) => findDiagnosisLeak(text, patientCase) === undefined;
  return {
    parts: shaped.parts.map((part) => {
      const sentences = part.sentences.filter((sentence) => safe(sentence.text));
      return sentences.length === part.sentences.length
        ? part
        : { ...part, sentences: sentences.length > 0 ? sentences : [{ text: "I'm not sure, doctor." }] };
    }),
    extra: shaped.extra.filter(safe),
  };
}

export interface AnswerContext {
  patientCase: PatientCase;
  persona: Persona;
  index: CaseIndex;
  memory: SessionMemory;
  random: () => number;
  question: string;
}

/** Topics that a question label looks up among the facts. */
const LABEL_TOPICS: Partial<Record<string, FactTopic[]>> = {
  social_other: ["social_other"],
  associated: ["associated"],
};

/** The concepts a topic is about: a question's word for its own topic needs no other fact. */
const TOPIC_CONCEPTS: Partial<Record<string, readonly string[]>> = {
  tobacco: ["tobacco"],
  alcohol: ["alcohol", "drugs"],
  medications: ["medicine"],
  allergies: ["allergy", "medicine"],
  living: ["home", "family_members", "cooking_smoke"],
  occupation: ["occupation"],
  diet: ["food", "appetite", "fluid_intake"],
  travel: ["travel"],
  contacts: ["contact"],
  sexual_history: ["sexual"],
  menstrual: ["periods"],
  obstetric: ["pregnancy"],
  contraception: ["contraception"],
  vaccination: ["vaccine"],
  water_source: ["water_source"],
  exercise: ["exercise"],
  weight_change: ["weight"],
  sleep: ["sleep"],
  mood: ["mood"],
  self_harm: ["suicide", "mood", "lethal_means"],
  fever_pattern: ["fever", "chills", "sweat"],
  past_history: ["past", "diabetes", "hypertension", "surgery", "hospital"],
};

/**
 * Concepts about the patient's own life, not an illness that runs in families: a relative named
 * with one ("Does your wife say you snore?", "Does your husband have other partners?") is a
 * witness, and the fact is the patient's own.
 */
const OWN_LIFE = new Set([
  "snore",
  "sexual",
  "contact",
  "contraception",
  "pregnancy",
  "travel",
  "tobacco",
  "alcohol",
  "drugs",
  "water_source",
  "mosquito",
  "insect",
  "animal",
  "blood_exposure",
  "vaccine",
  "hiv",
]);

/** What the catch-all social history is about. */
const SOCIAL_OTHER_CONCEPTS = [
  "drugs",
  "mosquito",
  "animal",
  "insect",
  "blood_exposure",
  "contact",
  "travel",
  "water_source",
  "sexual",
  "tobacco",
  "alcohol",
  "home",
  "occupation",
  "food",
  "vaccine",
];

/** The dimensions of the presenting complaint: a clear question about one is answered by its own fact. */
const HPI_DIMENSIONS = new Set<FactTopic>([
  "onset",
  "duration",
  "location",
  "character",
  "severity",
  "timing",
  "aggravating",
  "relieving",
]);

/** Topics that describe the illness the patient has. */
const PRESENTING = new Set<FactTopic>(["chief_complaint", "onset", "location", "character", "timing", "associated"]);

/** Concepts too common to point to one fact on their own. */
const GENERIC = new Set(["pain", "past", "medicine", "family_members", "home", "occupation", "food"]);

/** Which facts (or which reply) answer one intent. */
export function answerIntent(intent: Intent, context: AnswerContext): AnswerPart {
  const { index, memory, patientCase } = context;
  const part: AnswerPart = { intent, sentences: [], narration: [] };
  const say = (item: IndexedFact, text = speakFact(item.fact), fit = fitOf(item, intent)) => {
    if (part.sentences.some((sentence) => sentence.factId === item.fact.id)) return;
    part.sentences.push({
      text,
      factId: item.fact.id,
      repeated: memory.saidFactIds.has(item.fact.id),
      fit,
      covers: ("concepts" in intent ? intent.concepts : []).filter(
        (concept) => !GENERIC.has(concept) && item.concepts.has(concept),
      ),
    });
  };
  // The identity line has its own answer; as a fact it would fill a missed reply with a name and address.
  const spoken = index.facts.filter((item) => item.fact.revealedBy === "ask" && item.fact.topic !== "identity");

  if ((intent.kind === "topic" || intent.kind === "symptom_check") && intent.people?.length) {
    const aboutThem = factsAboutPeople(intent, intent.people, spoken, index);
    if (aboutThem.length > 0) {
      // The person asked about is the subject: their fact, not the patient's own on the same topic.
      aboutThem.slice(0, 2).forEach((item, rank) => say(item, undefined, 4 - rank));
      part.topics = aboutThem.slice(0, 2).map((item) => item.fact.topic);
      return part;
    }
    // "Amma ko bhi joint pain?" with nothing in the case about her: the family history answers
    // (nothing known), not the patient's own joint pain.
    const relatives = intent.people.filter((kind) => kind !== "others");
    const wanted = relatives.length > 0 ? "family_history" : "contacts";
    if (
      aboutOthersOnly(intent.text) &&
      !(intent.kind === "topic" && intent.topic === wanted) &&
      (intent.kind === "symptom_check" || !OWN_TOPICS_WITH_PEOPLE.has(intent.topic))
    ) {
      const concepts = intent.concepts.filter((concept) => !GENERIC.has(concept) || concept === "past");
      return answerIntent({ kind: "topic", topic: wanted, concepts, text: intent.text }, context);
    }
  }

  switch (intent.kind) {
    case "greeting":
    case "closing":
    case "empathy":
    case "out_of_role":
    case "plan":
    case "unclear":
      part.sentences.push({ text: conversationalLine(intent.kind, context) });
      part.pleasantry = intent.kind === "greeting" || intent.kind === "closing";
      return part;
    case "summary":
      part.sentences.push({ text: checkSummary(intent.text, context) });
      return part;
    case "open_question": {
      const complaint = index.byId.get("chief_complaint")!;
      if (memory.saidFactIds.has("chief_complaint") || memory.patientTurns.length > 1) say(complaint);
      else part.sentences.push({ text: patientCase.openingStatement, factId: complaint.fact.id });
      for (const item of spoken.filter(
        (item) => item.fact.volunteer && item.fact.id !== "chief_complaint" && !item.guarded,
      ))
        if (!memory.saidFactIds.has(item.fact.id) && part.sentences.length < 3) say(item);
      part.topics = ["chief_complaint"];
      return part;
    }
    case "examine": {
      // "Stool examination", "mental state examination": a test the case lists is ordered, not examined.
      if (
        findTests(intent.target, index).listed.length > 0 &&
        !namesExamination(intent.target, index) &&
        !namesVitals(intent.target)
      )
        return answerIntent({ kind: "order_test", target: intent.target }, context);
      for (const item of findExaminations(intent.target, index)) {
        part.narration.push({
          line: `Examination${item.fact.label ? ` (${item.fact.label})` : " (vital signs)"}: ${item.fact.text}`,
          factId: item.fact.id,
        });
      }
      part.sentences.push({ text: conversationalLine("examine", context) });
      part.pleasantry = true;
      return part;
    }
    case "order_test": {
      const found = findTests(intent.target, index);
      for (const item of found.listed)
        part.narration.push({ line: `Result (${item.fact.label}): ${item.fact.text}`, factId: item.fact.id });
      for (const name of found.unlisted)
        part.narration.push({
          line:
            patientCase.unlistedTests === "normal"
              ? `Result (${name}): within normal limits.`
              : `Result (${name}): not available in this case.`,
        });
      if (found.listed.length === 0 && found.unlisted.length === 0)
        part.narration.push({ line: "Result: say which test you would like; none was named." });
      part.sentences.push({ text: conversationalLine("order_test", context) });
      part.pleasantry = true;
      return part;
    }
    case "symptom_check": {
      // What the patient has comes before what they do not have ("Tell me about the headaches").
      const ranked = rankFactsByConcepts(index, intent.concepts, spoken, intent.text)
        .filter((item) => (!item.guarded || intent.concepts.includes("suicide")) && !isBelief(item))
        .sort((a, b) => Number(PRESENTING.has(b.fact.topic)) - Number(PRESENTING.has(a.fact.topic)));
      // "Any pain in the testis?": the thing named is nowhere in the case, so the answer is no,
      // not the facts that share only the generic "pain".
      const named = intent.concepts.filter((concept) => !GENERIC.has(concept) && nameOfConcept(concept));
      const unknown = named.filter((concept) => !index.facts.some((item) => item.concepts.has(concept)));
      if (ranked.length === 0 || (named.length > 0 && unknown.length === named.length)) {
        part.sentences.push({ text: denialOf(unknown.length > 0 ? unknown : intent.concepts, context) });
        part.denial = true;
        return part;
      }
      // "Any fever or back pain?", "Any fever with the pain?": each specific thing named gets its
      // own best fact first (a generic "pain" must not crowd out the fever), then the top facts.
      const chosen: IndexedFact[] = [];
      const specific = [...new Set(intent.concepts.filter((concept) => !GENERIC.has(concept)))];
      const phrases = phrasesOf(intent.text);
      for (const concept of specific) {
        if (chosen.some((item) => item.concepts.has(concept))) continue;
        const alone = rankFactsByConcepts(index, [concept], spoken)
          .filter((item) => !item.guarded && !isBelief(item))
          .sort((a, b) => Number(PRESENTING.has(b.fact.topic)) - Number(PRESENTING.has(a.fact.topic)));
        // "Chest pain? Fainting?": the thing asked is the whole phrase, so "No chest pain" answers it
        // and "My chest is tight" (the chest, not the pain) does not, though it is what the patient has.
        const phrase = phrases.find((concepts) => concepts.includes(concept)) ?? [];
        const whole =
          phrase.length > 1
            ? [...ranked, ...alone].filter((item) => phrase.every((named) => item.concepts.has(named)))
            : [];
        const best =
          whole.find((item) => PRESENTING.has(item.fact.topic)) ??
          whole[0] ??
          ranked.find((item) => item.concepts.has(concept) && PRESENTING.has(item.fact.topic)) ??
          alone.find((item) => PRESENTING.has(item.fact.topic) || item.fact.topic === "negatives") ??
          ranked.find((item) => item.concepts.has(concept)) ??
          alone[0];
        if (best && chosen.length < 3) chosen.push(best);
      }
      for (const item of ranked)
        if (chosen.length < Math.max(2, Math.min(3, specific.length)) && !chosen.includes(item)) chosen.push(item);
      for (const item of chosen) say(item);
      part.topics = chosen.map((item) => item.fact.topic);
      part.denial = chosen.every((item) => item.fact.topic === "negatives");
      return part;
    }
    case "topic":
      return answerTopic(intent, context, part, say);
  }
}

function answerTopic(
  intent: Extract<Intent, { kind: "topic" }>,
  context: AnswerContext,
  part: AnswerPart,
  say: (item: IndexedFact, text?: string) => void,
): AnswerPart {
  const { index, memory, patientCase } = context;
  const topic = intent.topic;
  part.topics = [topic];
  if (topic === "identity") {
    const d = patientCase.demographics;
    say(
      index.byId.get("identity")!,
      `I am ${d.name}, ${d.age} years old. I work as ${/^[aeiou]/i.test(d.occupation) ? "an" : "a"} ${d.occupation}.`,
    );
    return part;
  }
  if (topic === "severity") {
    say(
      index.byId.get("hpi.severity")!,
      `I would say about ${patientCase.historyOfPresentIllness.severity} out of 10.`,
    );
    // "How much phlegm?" asks about the phlegm, not the pain.
    const specific = intent.concepts.filter((concept) => !GENERIC.has(concept) && concept !== "headache");
    const spokenFacts = index.facts.filter((item) => item.fact.revealedBy === "ask" && !item.guarded);
    const covering = specific.length > 0 ? rankFactsByConcepts(index, specific, spokenFacts)[0] : undefined;
    if (covering) say(covering);
    return part;
  }
  // A weak topic guess the question's words do not support ("How many pillows do you use?" read as
  // contraception) is a question about the symptom it names.
  const supported = TOPIC_CONCEPTS[topic] ?? (topic === "social_other" ? SOCIAL_OTHER_CONCEPTS : undefined);
  const clinical = intent.concepts.filter((concept) => !GENERIC.has(concept));
  if (
    supported &&
    (intent.confidence ?? 1) < 0.4 &&
    clinical.length > 0 &&
    !intent.concepts.some((concept) => supported.includes(concept))
  )
    return answerIntent({ kind: "symptom_check", concepts: intent.concepts, text: intent.text }, context);
  if (["menstrual", "obstetric", "contraception"].includes(topic) && patientCase.demographics.sex === "male") {
    const reading = readWomensHealthForMan(intent);
    if (reading === "refuse") {
      part.sentences.push({ text: "That doesn't apply to me, doctor, I'm a man." });
      return part;
    }
    if (reading !== "keep") return answerIntent(reading, context);
  }
  const topics = LABEL_TOPICS[topic] ?? [topic as FactTopic];
  const spoken = index.facts.filter((item) => item.fact.revealedBy === "ask" && item.fact.topic !== "identity");
  let matching = spoken.filter(
    (item) => topics.some((wanted) => item.topics.has(wanted)) && (!item.guarded || topic === "self_harm"),
  );
  // The topic's own facts first; among them, those sharing the question's words.
  matching.sort((a, b) => Number(topics.includes(b.fact.topic)) - Number(topics.includes(a.fact.topic)));
  if (intent.concepts.length > 0) {
    const ranked = rankFactsByConcepts(index, intent.concepts, matching, intent.text);
    if (ranked.length > 0) matching = [...ranked, ...matching.filter((item) => !ranked.includes(item))];
  }
  if (topic === "associated") {
    const unsaid = matching.filter((item) => !memory.saidFactIds.has(item.fact.id));
    matching = unsaid.length > 0 ? unsaid : matching;
  }
  if (matching.length === 0 && intent.concepts.length > 0) {
    // Asked oddly: the facts that share its words answer it best.
    matching = rankFactsByConcepts(index, intent.concepts, spoken, intent.text).filter((item) => !item.guarded);
  }
  // A word of the question none of the topic's facts explains ("iron tablets in *pregnancy*",
  // "insects at night") points to the fact that does, wherever the case keeps it.
  // In "What do you think is causing these headaches?" the headache is what the idea is about:
  // the topic's own fact answers it.
  if (
    (topic !== "family_history" || intent.concepts.some((concept) => OWN_LIFE.has(concept))) &&
    !(BELIEF_TOPICS.has(topic) && (intent.confidence ?? 1) >= SURE) &&
    intent.concepts.length > 0
  ) {
    const explained = new Set([
      ...matching.slice(0, 3).flatMap((item) => [...item.concepts]),
      ...(TOPIC_CONCEPTS[topic] ?? []),
    ]);
    const unexplained = intent.concepts.filter(
      (concept) => !explained.has(concept) && !GENERIC.has(concept) && !intent.inherited?.includes(concept),
    );
    // A relative's illness explains nothing of the patient's own ("Which medicines for sugar?" is
    // not about the mother's diabetes).
    // Nor does what the patient fears or believes ("Mosquitoes near the house?" is not the idea
    // that it is malaria "because there are many mosquitoes").
    const covering = rankFactsByConcepts(index, unexplained, spoken, intent.text).filter(
      (item) =>
        !item.guarded &&
        !matching.slice(0, 3).includes(item) &&
        item.fact.topic !== "family_history" &&
        (!isBelief(item) || BELIEF_TOPICS.has(topic)),
    );
    if (covering[0]) matching = [covering[0], ...matching.filter((item) => item !== covering[0])];
  }
  if (matching.length === 0) {
    const fallback = NOTHING_TO_REPORT[topic] ?? "No, nothing like that.";
    part.sentences.push({ text: fallback });
    part.denial = /^(no|nobody|nothing|i'm not|i don't|i haven't)\b/i.test(fallback);
    return part;
  }
  for (const item of matching.slice(0, 3)) say(item);
  part.topics = [...new Set([topic as FactTopic, ...matching.slice(0, 3).map((item) => item.fact.topic)])];
  return part;
}

/** Topics where a question naming someone else is still about the patient ("Husband ke saath rehti ho?"). */
const OWN_TOPICS_WITH_PEOPLE = new Set<string>([
  "living",
  "sexual_history",
  "contraception",
  "identity",
  "family_history",
  "contacts",
]);

/** Concepts that say only that someone else is meant, not what about them. */
const PEOPLE_CONCEPTS = new Set(["family_members", "contact"]);

/**
 * Facts that name a person the question asks about ("Husband kya kaam karte hain?" -> "My husband
 * works as a truck cleaner"; "Kisi aur ko bhi peeliya?" -> "Three boys from my hostel got yellow
 * eyes"), best first: the same person named before anyone else, then by the concepts shared with
 * the question. A fact must share what is asked about them, so "Does your wife say you snore?"
 * finds the snoring the wife noticed and a living fact that merely names her is left out.
 */
function factsAboutPeople(
  intent: Extract<Intent, { kind: "topic" | "symptom_check" }>,
  people: readonly string[],
  spoken: readonly IndexedFact[],
  index: CaseIndex,
): IndexedFact[] {
  const candidates = spoken.filter((item) => !item.guarded && !isBelief(item) && samePerson(people, item.people));
  if (candidates.length === 0) return [];
  const asked = intent.concepts.filter((concept) => !PEOPLE_CONCEPTS.has(concept));
  const topicConcepts = intent.kind === "topic" ? (TOPIC_CONCEPTS[intent.topic] ?? []) : [];
  const wanted = [...new Set([...asked, ...topicConcepts])];
  // Every fact that shares something asked counts: which person it is about decides before the score.
  const ranked =
    wanted.length > 0
      ? candidates
          .map((item) => ({ item, score: scoreFactsByConcepts(index, wanted, [item], intent.text)[0]?.score ?? 0 }))
          .filter((entry) => entry.score > 0)
          .sort((a, b) => b.score - a.score)
          .map((entry) => entry.item)
      : intent.kind === "topic" && ["family_history", "contacts"].includes(intent.topic)
        ? candidates.filter((item) => item.topics.has(intent.topic))
        : [];
  // The person asked about named, then named as the one the fact is about.
  const closeness = (item: IndexedFact) =>
    Number(item.people.some((kind) => people.includes(kind))) + Number(samePerson(people, item.subjects));
  return [...ranked].sort((a, b) => closeness(b) - closeness(a));
}

/**
 * See {@link AnswerSentence.fit}. Shared content words ("copper", "inhaler", "insects") break ties
 * between facts that share the same concepts, a tenth each, at most three.
 */
function fitOf(item: IndexedFact, intent: Intent): number {
  // A fact whose content answers the topic wherever the case keeps it ("Two people in our lane had
  // fever" in the social history answers a contacts question) is the topic's own too.
  const own =
    intent.kind === "topic" &&
    (LABEL_TOPICS[intent.topic] ?? [intent.topic]).some(
      (topic) => item.fact.topic === topic || (EXTENDED.has(topic) && item.topics.has(topic)),
    );
  const concepts = "concepts" in intent ? intent.concepts : [];
  const specific = concepts.filter((concept) => !GENERIC.has(concept));
  const wanted = specific.length > 0 ? specific : concepts;
  const coverage =
    wanted.length === 0 ? 0 : wanted.filter((concept) => item.concepts.has(concept)).length / wanted.length;
  const text = "text" in intent ? intent.text : "";
  const factText = analyzeText(`${item.fact.text} ${item.fact.patientWords ?? ""}`);
  const factWords = new Set([...factText.words, ...factText.tokens]);
  const question = analyzeText(text);
  // Short words count when no concept took them ("ORS").
  const shared = new Set([
    ...question.words.filter((word) => word.length >= 4 && !STOP_WORDS.has(word)),
    ...question.tokens.filter(
      (token) => token.length === 3 && !STOP_WORDS.has(token) && question.words.includes(token),
    ),
  ]);
  const overlap = [...shared].filter((word) => factWords.has(word)).length;
  // The topic's own fact wins when the classifier was sure of the topic ("Where exactly is the
  // headache?"); a weak topic read from a stray word ("roz" -> timing) loses to the fact that has
  // what the question names ("Qabz? Potty roz hoti hai?" -> the constipation).
  // In the background history the thing named decides: "Ever tested for HIV?" wants the HIV fact,
  // not the past history's first line.
  const unnamed =
    own &&
    coverage === 0 &&
    specific.length > 0 &&
    !HPI_DIMENSIONS.has(item.fact.topic) &&
    !(isBelief(item) && intent.kind === "topic" && (intent.confidence ?? 1) >= SURE);
  const ownWeight = unnamed ? 0.5 : intent.kind === "topic" && (intent.confidence ?? 1) < 0.5 ? 0.9 : 1.5;
  // "Any cough?", "Night sweats?" ask whether the symptom is there: the fact that says so (or
  // denies it) fits better than the timing fact that mentions it in passing.
  // A question with a when/where/how-often word asks for that dimension instead.
  const presence =
    intent.kind === "symptom_check" &&
    coverage > 0 &&
    PRESENCE_TOPICS.has(item.fact.topic) &&
    !question.concepts.some((concept) => concept.startsWith("cue_"))
      ? 0.2
      : 0;
  return (own ? ownWeight : 0) + coverage + presence + 0.1 * Math.min(3, overlap);
}

/** Topics a case often keeps inside the social history rather than under their own heading. */
const EXTENDED = new Set<FactTopic>([...EXTENDED_HISTORY_TOPICS]);

const PRESENCE_TOPICS = new Set<FactTopic>(["associated", "negatives"]);

const BELIEF_TOPICS = new Set<FactTopic>(ICE_TOPICS);

/** A topic read this sure is what was asked, whatever else the question names. */
const SURE = 0.9;

/** An ideas, concerns or expectations fact: it answers "what do you think/fear/want", not a history question. */
function isBelief(item: IndexedFact): boolean {
  return BELIEF_TOPICS.has(item.fact.topic);
}

/**
 * The clinical concepts of each phrase of a question, split where it lists ("chest pain or
 * fainting", "Chest pain? Fainting?"): the concepts that name one thing together.
 */
function phrasesOf(text: string): string[][] {
  return text
    .split(/[?,;.!]+|\s+(?:or|and|ya|aur|with|plus)\s+/i)
    .map((piece) => clinicalConcepts(analyzeText(piece).concepts))
    .filter((concepts) => concepts.length > 0);
}

function denialOf(concepts: readonly string[], context: AnswerContext): string {
  const names = concepts.map(nameOfConcept).filter((name): name is string => name !== undefined);
  const named = names.length > 0 ? names.slice(0, 2).join(" or ") : undefined;
  const terse = context.persona.axes.personality === "rude";
  const options = named
    ? terse
      ? [`No ${named}.`, `No. No ${named}.`, `No ${named}, I said what I have.`]
      : [
          `No, I haven't had any ${named}.`,
          `No, doctor, there hasn't been any ${named}.`,
          `Not that I've noticed, no ${named}.`,
          `No ${named}, doctor, nothing like that.`,
        ]
    : ["No, I haven't noticed anything like that.", "No, not that."];
  return pick(context.random, options)!;
}
