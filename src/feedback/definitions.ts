import type { FeedbackItemId } from "./types.js";

/** What each item means, what a miss looks like, and the tip a miss earns; the README lists these. */
export interface ItemDefinition {
  label: string;
  /** When the item is met. */
  definition: string;
  /** Completes "Not asked: ..." (history) for a missed item. */
  missed: string;
  /** What to do next time. */
  tip: string;
  /** Lower comes first among the tips. */
  priority: number;
}

export const ITEM_DEFINITIONS: Record<FeedbackItemId, ItemDefinition> = {
  presenting_complaint: {
    label: "Presenting complaint",
    definition: "The student asked what brought the patient in (an opening question about the problem).",
    missed: "what brought the patient in.",
    tip: 'Start by asking what brought the patient in ("What brings you in today?") and let them finish.',
    priority: 2,
  },
  onset: {
    label: "Onset",
    definition: "Asked when or how the problem started (sudden or gradual).",
    missed: "when and how the problem started.",
    tip: "Ask when and how the problem started: suddenly or gradually, and what the patient was doing.",
    priority: 6,
  },
  duration: {
    label: "Duration",
    definition: 'Asked how long the problem has been going on ("when did it start" counts).',
    missed: "how long it has been going on.",
    tip: "Ask how long the problem has been going on.",
    priority: 6,
  },
  location: {
    label: "Location",
    definition: "Asked where the symptom is felt and whether it spreads.",
    missed: "where it is felt and whether it spreads.",
    tip: "Ask the patient to show where the symptom is and whether it spreads anywhere.",
    priority: 8,
  },
  character: {
    label: "Character",
    definition: "Asked what the symptom is like (sharp, dull, burning; dry or wet cough).",
    missed: "what the symptom feels like.",
    tip: 'Ask what the symptom feels like in the patient\'s own words ("How would you describe it?").',
    priority: 8,
  },
  severity: {
    label: "Severity",
    definition: "Asked how bad it is (a 0-10 scale, or how it limits daily life).",
    missed: "how severe it is.",
    tip: "Ask how severe it is on a 0 to 10 scale and how it affects daily life and work.",
    priority: 7,
  },
  timing: {
    label: "Timing",
    definition: "Asked about the pattern over time: constant or coming and going, time of day, frequency.",
    missed: "its pattern over the day.",
    tip: "Ask about the pattern: constant or coming and going, and worse at any time of day.",
    priority: 9,
  },
  aggravating_relieving: {
    label: "Aggravating and relieving factors",
    definition: "Asked what makes it worse or better, or what the patient has tried.",
    missed: "what makes it worse or better.",
    tip: "Ask what makes it worse and what makes it better, including anything already tried.",
    priority: 8,
  },
  associated_symptoms: {
    label: "Associated symptoms",
    definition: "Asked about other symptoms, generally or one by one, that the case has.",
    missed: "other symptoms that come with it.",
    tip: 'Ask about other symptoms ("Have you noticed anything else?"), then about specific ones.',
    priority: 4,
  },
  pertinent_negatives: {
    label: "Pertinent negatives",
    definition: "Asked about a specific symptom the patient does not have (a red flag or a symptom of a differential).",
    missed: "red-flag symptoms the patient might not have.",
    tip: 'Screen for red flags and symptoms of the main alternatives: a "no" is as useful as a "yes".',
    priority: 3,
  },
  past_history: {
    label: "Past medical history",
    definition: "Asked about previous illnesses, admissions, operations or long-term conditions.",
    missed: "previous illnesses and admissions.",
    tip: "Ask about past illnesses, hospital admissions and long-term conditions.",
    priority: 6,
  },
  medications: {
    label: "Medications",
    definition: "Asked what medicines the patient takes (prescribed, over the counter, traditional).",
    missed: "which medicines the patient takes.",
    tip: "Ask about every medicine: prescribed, bought over the counter, and traditional remedies.",
    priority: 5,
  },
  allergies: {
    label: "Allergies",
    definition: "Asked about allergies or reactions to medicines.",
    missed: "allergies.",
    tip: "Always ask about allergies before any treatment is discussed.",
    priority: 5,
  },
  family_history: {
    label: "Family history",
    definition: "Asked about illnesses in the family or in people around the patient.",
    missed: "illness in the family.",
    tip: "Ask whether anyone in the family, or around the patient, has had similar problems or illnesses.",
    priority: 7,
  },
  tobacco: {
    label: "Tobacco",
    definition: "Asked about smoking or chewing tobacco.",
    missed: "smoking or chewing tobacco.",
    tip: "Ask about tobacco, smoked and chewed (bidi, gutkha, khaini).",
    priority: 7,
  },
  alcohol: {
    label: "Alcohol",
    definition: "Asked about drinking alcohol.",
    missed: "alcohol.",
    tip: "Ask about alcohol: whether, what and how much.",
    priority: 7,
  },
  occupation: {
    label: "Occupation",
    definition: "Asked about the patient's work or studies.",
    missed: "the patient's work.",
    tip: "Ask about the patient's work: exposures, and what the illness means for their income.",
    priority: 8,
  },
  living_situation: {
    label: "Living situation",
    definition: "Asked where and with whom the patient lives, or about support at home.",
    missed: "where and with whom the patient lives.",
    tip: "Ask who the patient lives with and what their home is like.",
    priority: 9,
  },
  ideas: {
    label: "Ideas",
    definition: "Asked what the patient thinks is causing the problem.",
    missed: "what the patient thinks is wrong.",
    tip: 'Ask what the patient thinks is going on ("What do you think might be causing this?").',
    priority: 4,
  },
  concerns: {
    label: "Concerns",
    definition: "Asked what worries the patient.",
    missed: "what worries the patient.",
    tip: 'Ask what worries the patient most ("Is anything in particular worrying you?").',
    priority: 3,
  },
  expectations: {
    label: "Expectations",
    definition: "Asked what the patient hopes for from the visit.",
    missed: "what the patient hopes for from the visit.",
    tip: 'Ask what the patient hopes for from today ("What were you hoping we could do?").',
    priority: 4,
  },
  introduction: {
    label: "Introduction",
    definition: 'Gave their name and role (e.g. "I\'m Priya, a final-year medical student") in the first turns.',
    missed: "",
    tip: "Introduce yourself with your name and role before anything else.",
    priority: 1,
  },
  open_opening_question: {
    label: "Open opening question",
    definition: "The first question that takes history (after greetings and identity checks) is open.",
    missed: "",
    tip: "Make your first question open and listen before narrowing down.",
    priority: 2,
  },
  empathy: {
    label: "Empathy",
    definition: 'Acknowledged the patient\'s emotion or concern ("That must be worrying", "I can see this is hard").',
    missed: "",
    tip: "When the patient shows worry or distress, name it and acknowledge it before moving on.",
    priority: 2,
  },
  summarising: {
    label: "Summarising",
    definition:
      'Summarised the history back to the patient ("So, to summarise...", or a restatement of several facts).',
    missed: "",
    tip: "Summarise what you have heard before moving on, so the patient can correct you.",
    priority: 3,
  },
  checks_understanding: {
    label: "Checks understanding",
    definition: "Checked that the patient understood, or invited their questions.",
    missed: "",
    tip: 'Check understanding and invite questions ("Does that make sense? What questions do you have?").',
    priority: 4,
  },
  avoids_jargon: {
    label: "Avoids jargon",
    definition: "Met unless the student used a medical term without explaining it (the evidence quotes it).",
    missed: "",
    tip: "Use everyday words, or explain a medical term as soon as you use it.",
    priority: 3,
  },
  one_question_at_a_time: {
    label: "One question at a time",
    definition: "Met unless the student asked two or more questions in one turn.",
    missed: "",
    tip: "Ask one question at a time and wait for the answer.",
    priority: 3,
  },
  closing: {
    label: "Closing",
    definition: "In the last three turns, explained the next steps or closed the encounter.",
    missed: "",
    tip: "Close by explaining what happens next (examination, tests, plan) and thanking the patient.",
    priority: 4,
  },
};

/** The tip for a working diagnosis that was not stated or was wrong. */
export const IMPRESSION_TIPS = {
  not_stated: "State your working diagnosis at the end, and the tests that would confirm it.",
  incorrect: "Revisit your working diagnosis: check the key features and pertinent negatives against it.",
} as const;
