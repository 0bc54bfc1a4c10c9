import { describe, expect, it } from "vitest";
import { cases, personas } from "../../library/index.js";
import { answerFromScript } from "./answer.js";
import { analyzeText } from "./lexicon.js";

async function factsOf(caseId: string, question: string): Promise<string[]> {
  return answerFromScript(await cases.get(caseId), await personas.get("calm"), [{ role: "doctor", content: question }])
    .factIds;
}

describe("regional-language clinic words", () => {
  it("reads the common complaint words of several Indian languages as the same concepts", () => {
    const expectations: [string, string][] = [
      ["kaichal eppo vandhadhu", "fever"], // Tamil
      ["jwaram unda", "fever"], // Telugu
      ["jwara ide", "fever"], // Kannada
      ["jwaro aayo", "fever"], // Nepali
      ["bomi hoyeche", "vomit"], // Bengali
      ["vaanthi varudha", "vomit"], // Tamil
      ["khokla yeto", "cough"], // Marathi
      ["irumal irukka", "cough"], // Tamil
      ["shwash kosto hoy", "breathless"], // Bengali
      ["prosrab e jwala", "urine"], // Bengali
      ["lagvi la jalte", "urine"], // Marathi
      ["paikhana kemon", "stool"], // Bengali
      ["raate ghum hoy", "sleep"], // Bengali
      ["thookam varudha", "sleep"], // Tamil
      ["khide kome geche", "appetite"], // Bengali
      ["aakali ledu", "appetite"], // Telugu
      ["ojon komeche", "weight"], // Bengali
      ["edai kuranjudha", "weight"], // Tamil
      ["raksi khanu huncha", "alcohol"], // Nepali
      ["tamul khao", "tobacco"], // Assamese
      ["naabhi ke paas", "abdomen"], // Hindi
    ];
    for (const [text, concept] of expectations) expect(analyzeText(text).concepts, text).toContain(concept);
  });

  it("reads regional question words for when, where and how long", () => {
    expect(analyzeText("kobe theke jor").concepts).toContain("cue_howlong");
    expect(analyzeText("kuthe dukhtay").concepts).toEqual(expect.arrayContaining(["cue_where", "pain"]));
    expect(analyzeText("vali enga irukku").concepts).toEqual(expect.arrayContaining(["cue_where", "pain"]));
    expect(analyzeText("daggu enni rojulu").concepts).toEqual(expect.arrayContaining(["cue_howlong", "cough"]));
  });

  it("keeps words that mean something else in English or Hindi as they were", () => {
    // "pani" is water in Hindi (fever only in Malayalam); "pot" alone is not the stomach.
    expect(analyzeText("pani kahan se peete ho").concepts).not.toContain("fever");
    expect(analyzeText("do you smoke pot").concepts).not.toContain("abdomen");
    expect(analyzeText("night shift at work").concepts).not.toContain("cue_where");
  });

  it("answers regional-language history questions from the right facts", async () => {
    expect(await factsOf("dengue-fever", "Kaichal eppo irundhu aarambichadhu?")).toEqual(
      expect.arrayContaining([expect.stringMatching(/^hpi\.(onset|duration)$/)]),
    );
    expect(await factsOf("dengue-fever", "Kothay byatha?")).toContain("hpi.location");
    expect(await factsOf("pulmonary-tuberculosis", "Daggu evlo naala irukku?")).toEqual(
      expect.arrayContaining([expect.stringMatching(/^hpi\.(onset|duration)$/)]),
    );
    expect(await factsOf("gallstones-biliary-colic", "Raksi kati khanu hunchha?")).toContain("social.alcohol");
  });
});
