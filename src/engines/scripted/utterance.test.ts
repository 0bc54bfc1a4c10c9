import { describe, expect, it } from "vitest";
import { cases, personas } from "../../library/index.js";
import { answerFromScript } from "./answer.js";
import { recognizeIntents } from "./intents.js";
import { analyzeText } from "./lexicon.js";
import { reconsiderLabel } from "./question-rules.js";
import { normalizeUtterance } from "./utterance.js";

async function factsOf(caseId: string, question: string): Promise<string[]> {
  return answerFromScript(await cases.get(caseId), await personas.get("calm"), [{ role: "doctor", content: question }])
    .factIds;
}

describe("agreement tags", () => {
  it("reads a statement with a tag as the question it states", () => {
    expect(normalizeUtterance("fever comes with shivering, no?")).toBe("fever comes with shivering?");
    expect(normalizeUtterance("Breathing is worse at night, right?")).toBe("Breathing is worse at night?");
    expect(normalizeUtterance("sugar ki goli roz lete ho na?")).toBe("sugar ki goli roz lete ho?");
    expect(normalizeUtterance("ulti ke baad aaram milta hai, hai na?")).toBe("ulti ke baad aaram milta hai?");
    expect(normalizeUtterance("you stopped the tablets last month, isn't it?")).toBe(
      "you stopped the tablets last month?",
    );
  });

  it("keeps words that only look like tags", () => {
    expect(normalizeUtterance("Which side, left or right?")).toBe("Which side, left or right?");
    expect(normalizeUtterance("Is your urine ok?")).toBe("Is your urine ok?");
    expect(normalizeUtterance("Where is it?")).toBe("Where is it?");
  });

  it("answers a tagged question like the plain one", async () => {
    const plain = await factsOf("acute-appendicitis", "Does the pain get worse when you cough?");
    expect(plain).toContain("hpi.aggravating.0");
    expect(await factsOf("acute-appendicitis", "the pain gets worse when you cough, no?")).toContain(
      "hpi.aggravating.0",
    );
    expect(await factsOf("acute-appendicitis", "pain badhta hai jab khaanste ho, hai na?")).toContain(
      "hpi.aggravating.0",
    );
  });
});

describe("forms of address", () => {
  it("drops a kin word used to address the patient, keeps one asked about", () => {
    expect(normalizeUtterance("Mausi kitne din se khansi hai?")).toBe("kitne din se khansi hai?");
    expect(normalizeUtterance("Chacha ko bhi sugar hai?")).toBe("Chacha ko bhi sugar hai?");
    expect(normalizeUtterance("Dada has the same cough?")).toBe("Dada has the same cough?");
    expect(normalizeUtterance("Sir dard kab se hai?")).toBe("Sir dard kab se hai?");
    expect(normalizeUtterance("Beta blockers le rahe ho?")).toBe("Beta blockers le rahe ho?");
    expect(normalizeUtterance("khana kab khaya tha didi, aur paani?")).toBe("khana kab khaya tha, aur paani?");
    expect(normalizeUtterance("father, brother, sister, anyone with TB?")).toBe(
      "father, brother, sister, anyone with TB?",
    );
  });

  it("does not read an addressed patient as a relative", async () => {
    const facts = await factsOf("dengue-fever", "Bhaiya bukhar kab se hai?");
    expect(facts).toEqual(expect.arrayContaining([expect.stringMatching(/^hpi\.(onset|duration)$/)]));
    expect(facts).not.toContain("family_history.0");
  });
});

describe("sequences", () => {
  it('reads "pehle ... phir" as the course of this illness, "pehle bhi" as the past', () => {
    expect(normalizeUtterance("pehle pet ke beech mein dard, phir right side?")).toBe(
      "at first pet ke beech mein dard, phir right side?",
    );
    expect(normalizeUtterance("pehle bhi aisa dard hua tha?")).toBe("pehle bhi aisa dard hua tha?");
    const intents = recognizeIntents("pehle pet ke beech mein dard tha, phir neeche right side aaya?");
    expect(intents.some((intent) => intent.kind === "topic" && intent.topic === "past_history")).toBe(false);
  });
});

describe("frames that override the bag of words", () => {
  it("reads food as the trigger of a complaint, not the diet", () => {
    const read = (text: string) => reconsiderLabel("diet", analyzeText(text), text);
    expect(read("Does the pain come after fatty food?")).toBe("aggravating");
    expect(read("tala hua khana khane ke baad dard aata hai?")).toBe("aggravating");
    expect(read("vomiting after eating outside food?")).toBe("aggravating");
    expect(read("What do you usually eat in a day?")).toBe("diet");
    expect(read("Veg or non-veg?")).toBe("diet");
  });

  it("reads ideas and expectations put back to the patient as questions", () => {
    const read = (text: string) => reconsiderLabel("plan", analyzeText(text), text);
    expect(read("you only want some injection to go home?")).toBe("expectations");
    expect(read("u dont want to stay in hospital?")).toBe("expectations");
    expect(read("you think it is from the water?")).toBe("ideas");
    expect(read("u want to pass urine again and again?")).toBe("plan");
  });

  it("answers a suggested expectation from the expectations fact", async () => {
    expect(
      await factsOf("peptic-ulcer-disease", "you only want some medicine for the acid and go home, correct?"),
    ).toContain("ice.expectations");
  });
});

describe("beliefs and short questions", () => {
  it("reads the open question's frame around a fear as the concerns, keeps 'what's bothering you' open", () => {
    const read = (text: string) => reconsiderLabel("open_question", analyzeText(text), text);
    expect(read("so what's the main fear?")).toBe("concerns");
    expect(read("what is your tension?")).toBe("concerns");
    expect(read("So, what's bothering you?")).toBe("open_question");
    expect(read("What's troubling you today?")).toBe("open_question");
  });

  it("answers a short question about a named condition before the next one", async () => {
    const facts = await factsOf("community-acquired-pneumonia", "BP sugar hai? kaunsi goli lete ho?");
    expect(facts).toEqual(expect.arrayContaining(["past_history.0", "medications.0"]));
  });
});

describe("where a complaint goes, and what it comes with", () => {
  it("reads a complaint going to a body part as where it spreads", async () => {
    expect(normalizeUtterance("does it go to your back?")).toBe("does it spreads to your back?");
    expect(normalizeUtterance("Are you going to the gym?")).toBe("Are you going to the gym?");
    expect(await factsOf("acute-coronary-syndrome", "pain going to the left hand also?")).toContain("hpi.location");
  });

  it("reads water drunk as water, not alcohol", () => {
    const read = (text: string) => reconsiderLabel("alcohol", analyzeText(text), text);
    expect(read("din mein kitna paani peete ho?")).toBe("diet");
    expect(read("peene ka paani kahan se aata hai?")).toBe("water_source");
    expect(read("daru ya paani, kya peete ho shaam ko?")).toBe("alcohol");
  });

  it('reads "comes when" as what brings the complaint on', () => {
    expect(analyzeText("cough comes when you lie down").concepts).toContain("cue_worse");
    expect(analyzeText("saans badhti hai jab chalte ho").concepts).toContain("cue_worse");
  });
});

describe("fears asked beside other people", () => {
  it("reads a 'what fear' question with no clinical word as the concerns", () => {
    const read = (text: string) => reconsiderLabel("associated", analyzeText(text), text);
    expect(read("ghar wale kuch kehte? kya darr hai mann mein?")).toBe("concerns");
    expect(read("Any fear of injections?")).toBe("associated");
  });

  it("hears 'not worth living' as the thoughts of self-harm, not the household", async () => {
    expect(await factsOf("depression", "do you ever feel it's not worth living anymore?")).toContain(
      "wellbeing.self_harm",
    );
  });
});
