import { z } from "zod";

/**
 * A fact of the case script. Authors may write a plain string (told only when asked) or
 * `{ text, volunteer: true }` for a fact the patient brings up unprompted.
 */
export const FactSchema = z.preprocess(
  (value) => (typeof value === "string" ? { text: value } : value),
  z.object({
    text: z.string().trim().min(1, "a fact must not be empty"),
    volunteer: z.boolean().default(false).describe("true: the patient mentions it without being asked"),
    patientWords: z
      .string()
      .trim()
      .min(1)
      .optional()
      .describe("how the patient says it, in the first person and lay words; default: a rewrite of `text`"),
  }),
);
/** A value of {@link FactSchema}, as validated. */
export type Fact = z.output<typeof FactSchema>;

const facts = () => z.array(FactSchema).default([]);

/** Zod schema of the demographics of a case script. */
export const DemographicsSchema = z.object({
  name: z.string().min(1).describe("what the patient is called in the dialogue"),
  age: z.number().int().min(0).max(120),
  sex: z.enum(["male", "female", "other"]),
  occupation: z.string().min(1),
  region: z.string().min(1).describe("where the patient lives, e.g. 'rural Bihar, India'"),
  language: z.string().min(1).describe("the language the patient speaks best"),
});

/** Zod schema of the history of present illness of a case script. */
export const HistoryOfPresentIllnessSchema = z.object({
  onset: FactSchema,
  duration: FactSchema,
  location: FactSchema.optional(),
  character: FactSchema.optional(),
  severity: z.number().min(0).max(10).describe("0-10, as the patient would rate it"),
  timing: FactSchema.optional(),
  aggravating: facts(),
  relieving: facts(),
  associated: facts().describe("associated symptoms"),
  negatives: facts().describe("pertinent negatives: symptoms the patient does not have"),
  feverPattern: FactSchema.optional().describe("how the fever behaves: continuous, evening rises, chills, how high"),
  weightChange: FactSchema.optional().describe("weight lost or gained, how much, over what time"),
});

/** Zod schema of the social history of a case script. */
export const SocialHistorySchema = z.object({
  tobacco: FactSchema,
  alcohol: FactSchema,
  diet: FactSchema.optional(),
  living: FactSchema.optional().describe("living situation"),
  occupation: FactSchema.optional().describe("work details and exposures"),
  sexual: FactSchema.optional().describe("sexual history: partners, protection"),
  travel: FactSchema.optional().describe("recent travel"),
  contacts: FactSchema.optional().describe("people around with a similar illness"),
  waterSource: FactSchema.optional().describe("where drinking water comes from, whether it is boiled or filtered"),
  exercise: FactSchema.optional().describe("physical activity"),
  other: facts().describe("anything else: pets, mosquito nets, money worries, ..."),
});

/** Mood, sleep and thoughts of self-harm: told truthfully when asked, never volunteered out of context. */
export const WellbeingSchema = z.strictObject({
  mood: FactSchema.optional(),
  sleep: FactSchema.optional(),
  selfHarm: FactSchema.optional().describe("thoughts of self-harm or suicide; never volunteered"),
});

/** Zod schema of the womens health of a case script. */
export const WomensHealthSchema = z.strictObject({
  menstrual: FactSchema.optional().describe("last period, cycle, flow"),
  obstetric: FactSchema.optional().describe("pregnancies, deliveries, miscarriages; could she be pregnant"),
  contraception: FactSchema.optional(),
});

/** Zod schema of the ideas concerns expectations of a case script. */
export const IdeasConcernsExpectationsSchema = z.object({
  ideas: FactSchema.describe("what the patient thinks is wrong (never the real diagnosis)"),
  concerns: FactSchema,
  expectations: FactSchema,
});

/** Zod schema of the vital signs of a case script. */
export const VitalSignsSchema = z.object({
  temperatureC: z.number().min(25).max(45),
  heartRate: z.number().int().min(20).max(250),
  respiratoryRate: z.number().int().min(4).max(80),
  bloodPressure: z.string().regex(/^\d{2,3}\/\d{2,3}$/, "expected systolic/diastolic, e.g. 120/80"),
  oxygenSaturation: z.number().min(50).max(100).optional(),
  weightKg: z.number().min(1).max(300).optional(),
});

/** Zod schema of the diagnosis of a case script. */
export const DiagnosisSchema = z.object({
  primary: z.string().min(1),
  /** Other names of the diagnosis that must never be said either (abbreviations, local names). */
  aliases: z.array(z.string().min(1)).default([]),
  differentials: z.array(z.string().min(1)).default([]),
});

/** A case script: everything the simulated patient knows, and the diagnosis it must never say. */
export const PatientCaseSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "expected lowercase letters, digits and dashes, e.g. 'dengue-fever'"),
  title: z.string().min(1),
  setting: z.string().min(1).optional().describe("where the encounter happens"),
  demographics: DemographicsSchema,
  openingStatement: z.string().min(1).describe("the patient's first words when asked what brings them in"),
  chiefComplaint: z.string().min(1),
  historyOfPresentIllness: HistoryOfPresentIllnessSchema,
  pastMedicalHistory: facts(),
  medications: facts(),
  allergies: facts(),
  familyHistory: facts(),
  vaccination: FactSchema.optional().describe("vaccines had, e.g. childhood schedule, typhoid, COVID"),
  wellbeing: WellbeingSchema.optional(),
  womensHealth: WomensHealthSchema.optional(),
  socialHistory: SocialHistorySchema,
  ideasConcernsExpectations: IdeasConcernsExpectationsSchema,
  vitalSigns: VitalSignsSchema,
  /** Findings revealed only when the student examines, keyed by system ("abdomen", "chest"). */
  examination: z.record(z.string(), z.string().min(1)).default({}),
  /** Results revealed only when the student orders the test, keyed by test name. */
  tests: z.record(z.string(), z.string().min(1)).default({}),
  /**
   * What ordering a test the case does not list shows: `not_available` (default) or `normal`
   * (a plausible normal result, for cases whose author says every other test is unremarkable).
   */
  unlistedTests: z.enum(["not_available", "normal"]).default("not_available"),
  diagnosis: DiagnosisSchema,
});
/** A value of {@link PatientCaseSchema}, as validated. */
export type PatientCase = z.output<typeof PatientCaseSchema>;
/** A case as written in a file, before defaults are applied. */
export type PatientCaseInput = z.input<typeof PatientCaseSchema>;
