import type { CaseFact, DialogueTurn, FactTopic, PatientCase, Persona } from "../../domain/index.js";
import { listCaseFacts } from "../../domain/index.js";
import { recogniseIntents, type Intent } from "./intents.js";
import { createRandom, hashString, pick } from "../../util/random.js";
import { styleReply } from "./style.js";

/** What the patient says when a topic has no fact in the script: a plain, safe negative. */
const NOTHING_TO_REPORT: Partial<Record<FactTopic, string>> = {
  onset: "I don't remember exactly when it started.",
  duration: "I'm not sure how long exactly.",
  location: "It's hard to say exactly where.",
  character: "I don't know how to describe it.",
  timing: "It's about the same all the time.",
  aggravating: "Nothing in particular makes it worse.",
  relieving: "Nothing has really helped so far.",
  associated: "No, nothing else that I have noticed.",
  negatives: "No, I haven't noticed anything like that.",
  past_history: "I haven't had any serious illness before.",
  medications: "I'm not taking any regular medicines.",
  allergies: "No allergies that I know of.",
  family_history: "Nobody in my family has had anything like this, as far as I know.",
  tobacco: "No, I don't smoke or chew tobacco.",
  alcohol: "No, I don't drink.",
  diet: "I eat normal home food.",
  living: "I live with my family.",
  occupation: "Nothing special about my work.",
  social_other: "No, nothing like that.",
  ideas: "I don't know what it is, doctor. That's why I came.",
  concerns: "I just want to know what is wrong.",
  expectations: "I want to feel better, doctor.",
};

const REPEAT_PREFIXES = ["As I said,", "Like I told you,", "I already said,"];

export interface ScriptedAnswer {
  text: string;
  factIds: string[];
}

/**
 * Answers the last doctor turn of a transcript from the case facts only, in the persona's style.
 * Stateless: what was already said is read off the transcript, so the same transcript always gets
 * the same answer, and repeated questions get the same facts ("As I said, ...").
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
  const facts = listCaseFacts(patientCase);
  const saidBefore = transcript
    .filter((turn) => turn.role === "patient")
    .map((turn) => turn.content.toLowerCase())
    .join("\n");
  const wasSaid = (fact: CaseFact) => saidBefore.includes(stripFinalPunctuation(fact.text).toLowerCase());

  const body: string[] = [];
  const narration: string[] = [];
  const factIds: string[] = [];
  let hasFacts = false;
  const intents = recogniseIntents(question);
  const pleasantry =
    intents.every((intent) => ["greeting", "closing", "empathy"].includes(intent.kind)) && intents.length > 0;
  const say = (fact: CaseFact, sentence = asSentence(fact)) => {
    if (factIds.includes(fact.id)) return;
    const repeated = wasSaid(fact);
    body.push(repeated ? `${pick(random, REPEAT_PREFIXES)} ${lowerFirst(sentence)}` : sentence);
    factIds.push(fact.id);
    hasFacts ||= !repeated;
  };

  for (const intent of intents) answerIntent(intent);
  if (intents.length === 0)
    body.push(
      pick(random, [
        "Sorry, doctor, I didn't understand. Can you ask it another way?",
        "I'm not sure what you mean, doctor.",
      ])!,
    );

  return { text: styleReply({ persona, random, turnNumber, body, narration, hasFacts, pleasantry }), factIds };

  function answerIntent(intent: Intent): void {
    switch (intent.kind) {
      case "out_of_role":
        body.push(
          pick(random, [
            "I don't understand what you mean, doctor. I only came because I am unwell.",
            "I don't know about all that, doctor. I just want to know why I feel like this.",
          ])!,
        );
        return;
      case "greeting":
        body.push(pick(random, ["Hello, doctor.", "Namaste, doctor.", "Good day, doctor."])!);
        return;
      case "closing":
        body.push(pick(random, ["Thank you, doctor.", "Okay, thank you, doctor."])!);
        return;
      case "empathy":
        body.push(pick(random, ["Thank you, doctor. It has been difficult.", "Yes, it has not been easy."])!);
        return;
      case "open_question": {
        const complaint = facts.find((fact) => fact.id === "chief_complaint")!;
        if (
          wasSaid(complaint) ||
          saidBefore.includes(stripFinalPunctuation(patientCase.openingStatement).toLowerCase())
        )
          say(complaint);
        else {
          body.push(patientCase.openingStatement);
          factIds.push(complaint.id);
          hasFacts = true;
        }
        for (const fact of facts
          .filter((fact) => fact.volunteer && fact.id !== complaint.id && !wasSaid(fact))
          .slice(0, 2))
          say(fact);
        return;
      }
      case "topic": {
        if (intent.topic === "identity") return sayIdentity();
        if (intent.topic === "severity") {
          const fact = facts.find((fact) => fact.id === "hpi.severity")!;
          return say(fact, `I would say about ${patientCase.historyOfPresentIllness.severity} out of 10.`);
        }
        const matching = facts.filter((fact) => fact.topic === intent.topic && fact.revealedBy === "ask");
        if (matching.length === 0) {
          const fallback = NOTHING_TO_REPORT[intent.topic];
          if (fallback && !body.includes(fallback)) body.push(fallback);
          return;
        }
        for (const fact of matching.slice(0, 3)) say(fact);
        return;
      }
      case "symptom_check": {
        const searchable = facts.filter(
          (fact) =>
            fact.revealedBy === "ask" &&
            [
              "chief_complaint",
              "onset",
              "location",
              "character",
              "timing",
              "associated",
              "negatives",
              "aggravating",
              "relieving",
            ].includes(fact.topic),
        );
        const matching = searchable.filter((fact) =>
          intent.keywords.some((keyword) => fact.text.toLowerCase().includes(keyword)),
        );
        if (matching.length === 0) body.push(pick(random, ["No, I haven't noticed that.", "No, not that."])!);
        else for (const fact of matching.slice(0, 2)) say(fact);
        return;
      }
      case "examine": {
        const findings = facts.filter((fact) => fact.revealedBy === "examine");
        const target = intent.target ?? "";
        const named = findings.filter((fact) => fact.label && labelMentioned(fact.label, target));
        const vitalsAsked = /\b(vital|pulse|blood pressure|bp|temperature|heart rate|oxygen|saturation|weigh)/.test(
          target,
        );
        const chosen =
          named.length > 0 || vitalsAsked
            ? findings.filter((fact) => named.includes(fact) || (vitalsAsked && fact.id === "vitals"))
            : findings;
        body.push(pick(random, ["Okay, doctor, go ahead.", "Yes, you can check.", "Alright."])!);
        for (const fact of chosen) {
          narration.push(`Examination${fact.label ? ` (${fact.label})` : " (vital signs)"}: ${fact.text}`);
          factIds.push(fact.id);
        }
        return;
      }
      case "order_test": {
        const results = facts.filter((fact) => fact.revealedBy === "test");
        const target = intent.target ?? "";
        const named = results.filter((fact) => fact.label && labelMentioned(fact.label, target));
        const chosen =
          named.length > 0
            ? named
            : /\b(any|some|all|basic|routine|investigations|blood (work|tests?)|bloods|the tests)\b/.test(target)
              ? results
              : [];
        body.push(pick(random, ["Okay, if you think it is needed.", "Alright, doctor. Is it expensive?", "Okay."])!);
        if (chosen.length === 0) narration.push("No result for that test in this case.");
        for (const fact of chosen) {
          narration.push(`Result (${fact.label}): ${fact.text}`);
          factIds.push(fact.id);
        }
        return;
      }
    }
  }

  function sayIdentity(): void {
    const d = patientCase.demographics;
    const identity = facts.find((fact) => fact.id === "identity")!;
    say(
      identity,
      `I am ${d.name}, ${d.age} years old. I work as ${/^[aeiou]/i.test(d.occupation) ? "an" : "a"} ${d.occupation}.`,
    );
  }
}

function asSentence(fact: CaseFact): string {
  const text = fact.text.trim();
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

function stripFinalPunctuation(text: string): string {
  return text.trim().replace(/[.!?]+$/, "");
}

function lowerFirst(sentence: string): string {
  return /^I\b/.test(sentence) ? sentence : sentence.charAt(0).toLowerCase() + sentence.slice(1);
}

/** A label ("complete blood count", "abdomen") is mentioned by any of its words or its acronym. */
function labelMentioned(label: string, text: string): boolean {
  const words = label
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(
      (word) => word.length >= 3 && !["test", "tests", "and", "the", "function", "rapid", "examination"].includes(word),
    );
  const acronym = label
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    .map((word) => word[0])
    .join("");
  const synonyms: Record<string, string[]> = {
    abdomen: ["stomach", "tummy", "belly"],
    chest: ["lungs", "breathing", "heart"],
    skin: ["rash"],
    general: ["general"],
  };
  const candidates = [
    ...words,
    ...(acronym.length >= 2 ? [acronym] : []),
    ...words.flatMap((word) => synonyms[word] ?? []),
  ];
  return candidates.some((candidate) => new RegExp(`\\b${candidate}`, "i").test(text));
}
