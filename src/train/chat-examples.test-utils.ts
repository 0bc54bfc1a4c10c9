/** A small chat data set shared by the training tests: five one-turn doctor/patient exchanges. */
export const CHAT_EXAMPLES = [
  "Where does it hurt?|In my chest, doctor.",
  "Since when?|Two days now.",
  "Any fever?|A little, at night.",
  "Do you smoke?|No, never.",
  "Any cough?|Yes, a dry one.",
].map((pair) => {
  const [question, answer] = pair.split("|");
  return {
    messages: [
      { role: "user", content: question },
      { role: "assistant", content: answer },
    ],
  };
});

/** The examples as JSONL text, one per line. */
export const CHAT_JSONL = CHAT_EXAMPLES.map((example) => JSON.stringify(example)).join("\n");
