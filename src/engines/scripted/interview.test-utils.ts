/** The social history and ideas/concerns part of a textbook interview, as the scripted engine's tests ask it. */
export const SOCIAL_AND_ICE_QUESTIONS = [
  "Do you smoke?",
  "Do you drink alcohol?",
  "What do you do for work?",
  "Who do you live with?",
  "What do you think is causing this?",
  "What worries you most?",
];
