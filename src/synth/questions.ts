/**
 * The doctor's side of a synthetic interview: the steps of a history (after the Calgary-Cambridge
 * guide: greeting, open question, each part of the history, ideas/concerns/expectations, empathy,
 * closing) and several phrasings of each. Every phrasing is one the scripted engine's intent
 * recogniser maps to the step's topic (a test checks this), so answers stay on the question.
 */
export type QuestionStep =
  | "greeting"
  | "open_question"
  | "onset"
  | "duration"
  | "location"
  | "character"
  | "severity"
  | "timing"
  | "aggravating"
  | "relieving"
  | "associated"
  | "symptom_check"
  | "past_history"
  | "medications"
  | "allergies"
  | "family_history"
  | "tobacco"
  | "alcohol"
  | "living"
  | "occupation"
  | "travel"
  | "contacts"
  | "mood"
  | "sleep"
  | "weight_change"
  | "ideas"
  | "concerns"
  | "expectations"
  | "empathy"
  | "closing";

export const DOCTOR_NAMES = ["Mehta", "Iyer", "Sen", "Kapoor", "Rao", "Fernandes", "Qureshi", "Bhat", "Joshi", "Menon"];

export const PHRASINGS: Readonly<Record<QuestionStep, readonly string[]>> = {
  greeting: [
    "Hello, I am Dr. {doctor}, one of the junior doctors.",
    "Good morning, my name is Dr. {doctor}.",
    "Namaste, I'm a medical student.",
    "Hi, I'm Dr. {doctor}. Please have a seat.",
    "Good afternoon, I'm Dr. {doctor}.",
  ],
  open_question: [
    "What brings you in today?",
    "What seems to be the problem?",
    "Tell me about what has been happening.",
    "What happened, what brought you here today?",
    "What's the matter today?",
  ],
  onset: [
    "When did it start?",
    "When did this first start?",
    "How did it begin, suddenly or gradually?",
    "How did it start?",
  ],
  duration: [
    "How long has this been going on?",
    "For how many days have you had this?",
    "How long have you had these symptoms?",
  ],
  location: ["Where do you feel it?", "Which part of your body is it in?", "Can you point to where it is?"],
  character: ["What does it feel like?", "Can you describe it for me?"],
  severity: ["How bad is it, on a scale of 0 to 10?", "How severe is it?", "If you rate it out of 10, how bad is it?"],
  timing: [
    "Is it there all the time, or does it come and go?",
    "Is there any pattern to it, like a time of day?",
    "How often does it happen?",
  ],
  aggravating: ["Does anything make it worse?", "What makes it worse?"],
  relieving: ["Does anything make it better?", "Have you tried anything for it?", "What gives you relief?"],
  associated: [
    "Have you noticed any other symptoms?",
    "Anything else you have noticed?",
    "Apart from this, any other problems?",
  ],
  symptom_check: [
    "Do you have a cough?",
    "Have you had any fever?",
    "Any vomiting?",
    "Have you noticed any rash?",
    "Any headache?",
    "Have you had any loose motions?",
    "Do you feel breathless?",
    "Have you noticed any night sweats?",
    "Any pain when passing urine?",
    "Have you noticed any yellow colour in your eyes?",
    "Any chest pain?",
    "Do you feel tired?",
  ],
  past_history: [
    "Have you had any illnesses in the past?",
    "Any past medical problems?",
    "Have you ever been admitted to hospital?",
    "Any long-term illnesses?",
  ],
  medications: ["Are you taking any medicines?", "Have you taken any tablets for this?", "Any regular medications?"],
  allergies: ["Do you have any allergies?", "Are you allergic to anything?"],
  family_history: [
    "Does anyone in your family have similar problems?",
    "Does anything run in the family?",
    "Are your parents well?",
  ],
  tobacco: ["Do you smoke or chew tobacco?", "Any smoking or tobacco?"],
  alcohol: ["Do you drink alcohol?", "How much alcohol do you have in a week?"],
  living: ["Who do you live with?", "Who else lives with you at home?"],
  occupation: ["What do you do for work?", "What is your job?", "Tell me a bit about your work."],
  travel: ["Have you travelled anywhere recently?", "Any recent travel?", "Have you been out of station lately?"],
  contacts: [
    "Has anyone around you been unwell?",
    "Any contact with someone who was sick?",
    "Does anyone else at home have the same problem?",
  ],
  mood: ["How has your mood been?", "Have you been feeling low?", "Do you still enjoy things?"],
  sleep: ["How is your sleep?", "Are you sleeping well?", "Neend theek aati hai?"],
  weight_change: ["Have you lost weight?", "Any change in your weight?"],
  ideas: [
    "What do you think is causing this?",
    "Do you have any idea what it might be?",
    "What do you think it could be?",
  ],
  concerns: [
    "Is there anything that worries you about this?",
    "What are you most worried about?",
    "Are you concerned about anything in particular?",
  ],
  expectations: [
    "What are you hoping we can do for you today?",
    "What would you like from today's visit?",
    "What do you expect from this visit?",
  ],
  empathy: [
    "I'm sorry to hear that. It must be hard for you.",
    "I understand, that must be difficult.",
    "That sounds difficult, I'm sorry.",
  ],
  closing: [
    "Thank you, that's all my questions for now.",
    "Thank you. I will discuss this with my senior and come back.",
    "Okay, thank you for answering. Take care.",
  ],
};

/** History steps in the order a doctor takes them; a plan keeps this order. */
export const HISTORY_ORDER: readonly QuestionStep[] = [
  "onset",
  "duration",
  "location",
  "character",
  "severity",
  "timing",
  "aggravating",
  "relieving",
  "associated",
  "symptom_check",
  "past_history",
  "medications",
  "allergies",
  "family_history",
  "tobacco",
  "alcohol",
  "living",
  "occupation",
  "travel",
  "contacts",
  "mood",
  "sleep",
  "weight_change",
  "ideas",
  "concerns",
  "expectations",
];
