import { describe, expect, it } from "vitest";
import { listCaseFacts, type PatientCase } from "../../domain/index.js";
import { cases, personas } from "../../library/index.js";
import { answerFromScript, answerIntent, type AnswerContext } from "./answer.js";
import { indexCase } from "./case-index.js";
import { isTestOrder, recognizeIntents } from "./intents.js";
import { readSessionMemory } from "./memory.js";
import { nameOfConcept } from "./replies.js";
import { analyzeText } from "./lexicon.js";

async function ask(caseId: string, question: string, persona = "calm") {
  return answerFromScript(await cases.get(caseId), await personas.get(persona), [
    { role: "doctor", content: question },
  ]);
}

async function contextOf(patientCase: PatientCase, question: string): Promise<AnswerContext> {
  const index = indexCase(patientCase);
  return {
    patientCase,
    persona: await personas.get("calm"),
    index,
    memory: readSessionMemory([], index.factList, () => false),
    random: () => 0.5,
    question,
  };
}

/** Fact topics that say what the patient has (not what they deny). */
const POSITIVE = new Set(["chief_complaint", "onset", "location", "character", "timing", "associated"]);

describe("no false denials", () => {
  it("never denies a symptom that a positive fact of the case has", async () => {
    let checked = 0;
    for (const patientCase of await cases.list()) {
      const index = indexCase(patientCase);
      const concepts = new Set(
        index.facts.filter((item) => POSITIVE.has(item.fact.topic)).flatMap((item) => [...item.concepts]),
      );
      for (const concept of concepts) {
        const name = nameOfConcept(concept);
        if (!name) continue;
        const question = `Any ${name}?`;
        const context = await contextOf(patientCase, question);
        for (const intent of recognizeIntents(question)) {
          if (intent.kind !== "symptom_check") continue;
          const part = answerIntent(intent, context);
          checked++;
          expect(
            part.denial,
            `${patientCase.id}: "${question}" -> ${part.sentences.map((s) => s.text).join(" ")}`,
          ).not.toBe(true);
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it("answers a question about the motions with the constipation the case has", async () => {
    for (const question of ["How are your bowel motions?", "Potty theek se hoti hai?", "Any trouble with stools?"]) {
      const answer = await ask("hypothyroidism", question);
      expect(answer.factIds, `${question} -> ${answer.text}`).toContain("hpi.associated.2");
      expect(answer.speech).not.toMatch(/^no\b|no problem with my motions/i);
    }
  });
});

describe("history of testing is history, not a test order", () => {
  it("tells whether a part orders a test", () => {
    for (const order of [
      "Let's do a CBC.",
      "CBC please",
      "Chest X-ray?",
      "Send sputum for CBNAAT.",
      "What does the ECG show?",
      "Let's do a previous spirometry.",
      "I'd like an ultrasound of the abdomen.",
    ])
      expect(isTestOrder(order), order).toBe(true);
    for (const history of [
      "Was your sugar ever checked?",
      "Have you been tested for HIV before?",
      "BP check karwaya pehle kabhi?",
      "Did you ever have an ECG done?",
      "Any blood in the sputum?",
    ])
      expect(isTestOrder(history), history).toBe(false);
  });

  it("never narrates a result for a history question, on any case", async () => {
    for (const patientCase of await cases.list()) {
      const persona = await personas.get("calm");
      for (const fact of listCaseFacts(patientCase).filter((item) => item.revealedBy === "test" && item.label)) {
        for (const question of [
          `Have you ever had a ${fact.label} before?`,
          `Was a ${fact.label} ever done in the past?`,
        ]) {
          const answer = answerFromScript(patientCase, persona, [{ role: "doctor", content: question }]);
          expect(answer.narration, `${patientCase.id}: ${question} -> ${answer.text}`).toEqual([]);
        }
      }
    }
  });

  it("never examines for a history question that names an examination word", async () => {
    for (const question of [
      "Does it hurt more when you press on it?",
      "Has anyone checked your pressure before?",
      "Was your pulse ever irregular?",
    ]) {
      const answer = await ask("acute-coronary-syndrome", question);
      expect(answer.narration, `${question} -> ${answer.text}`).toEqual([]);
    }
    const exam = await ask("acute-coronary-syndrome", "Let me check your pulse and blood pressure.");
    expect(exam.factIds).toContain("vitals");
  });

  it("answers a symptom that shares a word with a test as a symptom", async () => {
    const answer = await ask("rheumatic-heart-disease", "Any blood when you cough?");
    expect(answer.narration).toEqual([]);
    expect(answer.factIds).toContain("hpi.associated.1");
    const sugar = await ask("pulmonary-tuberculosis", "Was your blood sugar ever tested?");
    expect(sugar.narration).toEqual([]);
  });
});

describe("ranking before the rude cut", () => {
  it("keeps the sentence that fits the question, not the first found", async () => {
    const copper = await ask("pelvic-inflammatory-disease", "Do you have a copper-T fitted?", "rude");
    // The copper-T is in the past history and, since the case has a women's health section, in its contraception.
    expect(
      copper.factIds.some((id) => id === "past_history.0" || id === "womens_health.contraception"),
      copper.text,
    ).toBe(true);
    const colour = await ask("copd-exacerbation", "What colour is the phlegm?", "rude");
    expect(colour.factIds, colour.text).toContain("hpi.associated.0");
  });

  it("does not take a form of address for a relative", async () => {
    const answer = await ask("acute-coronary-syndrome", "Uncle, what is the problem?");
    expect(answer.factIds).toContain("chief_complaint");
  });
});

describe("contacts and acknowledgements", () => {
  it("never denies contacts when a fact of the case (family or social history) tells of someone with the same illness", async () => {
    let checked = 0;
    for (const patientCase of await cases.list()) {
      const index = indexCase(patientCase);
      const contactFacts = index.facts.filter(
        (item) => item.fact.revealedBy === "ask" && item.topics.has("contacts") && item.fact.topic !== "negatives",
      );
      if (contactFacts.length === 0) continue;
      for (const question of [
        "Has anybody around you had the same illness?",
        "Anyone else in the village sick like this?",
      ]) {
        const answer = await ask(patientCase.id, question);
        checked++;
        expect(answer.speech, `${patientCase.id}: "${question}"`).not.toMatch(/nobody around me/i);
        expect(
          answer.factIds.some((id) => contactFacts.some((item) => item.fact.id === id)),
          `${patientCase.id}: "${question}" -> ${answer.speech}`,
        ).toBe(true);
      }
    }
    // kala-azar's uncle (family history) and chikungunya's husband at least.
    expect(checked).toBeGreaterThanOrEqual(4);
  });

  it("reads an opening 'Haan ...' or 'Accha ...' as an acknowledgement, not a topic", async () => {
    for (const patientCase of await cases.list())
      for (const question of ["Haan ji, bolo, kya problem hai?", "Accha, what brings you here?"]) {
        const answer = await ask(patientCase.id, question);
        expect(answer.factIds, `${patientCase.id}: "${question}" -> ${answer.speech}`).toContain("chief_complaint");
        expect(answer.factIds.some((id) => id.startsWith("social."))).toBe(false);
      }
  });
});

describe("a brief persona still answers every part", () => {
  it("answers both things named in one question, one short clause each, when rude", async () => {
    const cases: [string, string, string[]][] = [
      ["hepatitis-a", "Any itching or pale stools?", ["hpi.associated.3", "hpi.associated.4"]],
      ["chikungunya", "Any rash or vomiting?", ["hpi.associated.0", "hpi.negatives.1"]],
    ];
    for (const [caseId, question, expected] of cases) {
      const answer = await ask(caseId, question, "rude");
      for (const id of expected) expect(answer.factIds, `${caseId}: "${question}" -> ${answer.speech}`).toContain(id);
    }
  });
});

describe("one fact, said once", () => {
  it("does not repeat a sentence when two parts of a question find the same fact", async () => {
    const answer = await ask("malaria-vivax", "Do you sleep under a net, and are there many mosquitoes at home?");
    const sentences = answer.speech.split(/(?<=[.!?])\s+/);
    expect(new Set(sentences).size, answer.speech).toBe(sentences.length);
  });

  it("keeps a breathless opening whole instead of cutting it at its pauses", async () => {
    const answer = await ask("asthma-exacerbation", "Hi, what brings you here today?", "rude");
    expect(answer.factIds).toContain("chief_complaint");
    expect(answer.speech).toMatch(/whistling/);
  });
});

describe("a body part the case never mentions", () => {
  it("is denied, not answered with facts that share only the word 'pain'", async () => {
    const answer = await ask("acute-appendicitis", "Any pain in the testis?");
    expect(answer.speech).toMatch(/\bno\b/i);
    expect(answer.factIds.filter((id) => !id.startsWith("hpi.negatives"))).toEqual([]);
  });
});

describe("Hindi function words", () => {
  it("are never read as a clinical topic (no typo correction into 'paan', 'koch', 'zarda', 'walk', 'apnea')", () => {
    const words =
      "haan ji accha achha bolo batao kya hai kuch zara wala wali apne apna mujhe phir lekin baat sach waise toh bilkul chaliye suniye".split(
        " ",
      );
    for (const word of words)
      expect(
        analyzeText(word).concepts.filter((concept) => !concept.startsWith("cue_")),
        word,
      ).toEqual([]);
  });
});

describe("general understanding mechanisms", () => {
  it("reads a Hinglish word spelt another way as the form the translation table knows", () => {
    for (const [variant, known] of [
      ["pesaab", "peshab"],
      ["bukhaaar", "bukhar"],
      ["khaansii", "khansi"],
    ] as const)
      expect(analyzeText(`${variant} hai?`).concepts, variant).toEqual(analyzeText(`${known} hai?`).concepts);
  });

  it("corrects a vowel slip to the word of the same length ('fevar' is fever, not fear)", () => {
    expect(analyzeText("Fevar?").concepts).toContain("fever");
  });

  it("never turns an unknown Hindi word into a clinic word that differs in its first letter", () => {
    expect(analyzeText("Gala kharab hai?").concepts).not.toContain("alcohol");
    expect(analyzeText("Mal kala hai?").concepts).not.toContain("throat");
    expect(analyzeText("Pet phula hua hai?").concepts).not.toContain("cooking_smoke");
  });

  it("gives a later part that points back the concepts of the part before it", () => {
    const intents = recognizeIntents("Any sugar or BP, and do you take tablets for them?");
    const medicines = intents.find((intent) => intent.kind === "topic" && intent.topic === "medications");
    expect(medicines && "concepts" in medicines ? medicines.concepts : []).toEqual(
      expect.arrayContaining(["diabetes", "hypertension"]),
    );
  });

  it("never answers a history question with what the patient fears or believes", async () => {
    // The ideas line mentions the mosquitoes; the living situation is what was asked.
    const reply = await ask("dengue-fever", "Mosquitoes near your house? Standing water?", "rude");
    expect(reply.factIds).toContain("social.living");
    expect(reply.factIds).not.toContain("ice.ideas");
  });

  it("answers a contacts question with the fact about contacts, even kept in the social history, not a fear that names a colleague", async () => {
    for (const persona of ["calm", "rude"]) {
      const reply = await ask("chronic-cough-two-weeks", "Any contact with TB patient?", persona);
      expect(reply.factIds, persona).toContain("social.other.0");
      expect(reply.factIds, persona).not.toContain("ice.concerns");
    }
  });

  it("answers a confident ideas question with the idea, whatever symptom it names", async () => {
    const reply = await ask("essential-hypertension", "What do you think is causing these headaches?", "rude");
    expect(reply.factIds).toContain("ice.ideas");
  });

  it("answers the question that follows an introduction, not only the hello", async () => {
    const reply = await ask("migraine", "Hello didi, I'm a medical student. What happened?");
    expect(reply.factIds).toContain("chief_complaint");
  });

  it("takes school exams for studies, not an examination", () => {
    const intents = recognizeIntents("Your exams, worried?");
    expect(intents.map((intent) => intent.kind)).not.toContain("examine");
  });
});
