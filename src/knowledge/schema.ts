import { z } from "zod";

/** A symptom id in the snake_case vocabulary of the widely used disease-symptom CSV set. */
export const SymptomIdSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/, "expected a snake_case symptom id, e.g. 'high_fever'");

/** How a symptom is said by a patient; drives queries, case facts and the contradiction check. */
export const SymptomEntrySchema = z.strictObject({
  /** A noun phrase a patient says after "I have" or "No", e.g. "a high fever", "pain in my joints". */
  lay: z.string().min(1),
  /** Words that show the symptom is meant when a patient says them (default: the lay phrase). */
  keywords: z.array(z.string().min(2)).default([]),
});
/** A value of {@link SymptomEntrySchema}, as validated. */
export type SymptomEntry = z.output<typeof SymptomEntrySchema>;

const sentence = () => z.string().min(1);

/** One disease of the knowledge base, written from medical facts, with Indian context. */
export const DiseaseSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "expected lowercase letters, digits and dashes"),
  name: z.string().min(1),
  /** Other names that count as naming the diagnosis (abbreviations, common names). */
  aliases: z.array(z.string().min(1)).default([]),
  category: z.string().min(1),
  description: z.string().min(1),
  /** Symptom id to severity weight (1 mild .. 7 severe); the first ones are the main complaint. */
  symptoms: z
    .record(SymptomIdSchema, z.number().int().min(1).max(7))
    .refine((value) => Object.keys(value).length >= 1, "a disease needs at least one symptom"),
  precautions: z.array(sentence()).length(4, "exactly 4 precautions"),
  demographics: z.strictObject({
    ages: z
      .tuple([z.number().int().min(0).max(110), z.number().int().min(0).max(110)])
      .describe("typical age range, inclusive"),
    sex: z.enum(["any", "male", "female"]).default("any").describe("who it mostly affects"),
    note: z.string().optional(),
  }),
  duration: z.strictObject({
    days: z
      .tuple([z.number().min(0.01), z.number().min(0.01)])
      .describe("typical time from onset to the visit, in days"),
    onset: z.enum(["sudden", "gradual"]),
  }),
  redFlags: z.array(sentence()).min(1),
  /** Always needs a doctor, whatever the symptoms' severity. */
  critical: z.boolean(),
  india: z.strictObject({
    prevalence: sentence().describe("regional and seasonal prevalence"),
    localNames: z
      .record(z.string(), z.string().min(1))
      .refine(
        (names) => "hindi" in names && Object.keys(names).length >= 2,
        "needs a Hindi name and at least one other Indian language",
      ),
    access: sentence().describe("rural/urban access factors"),
  }),
  /** First-person details for generated case scripts (all optional). */
  hpi: z
    .strictObject({
      /** The symptom that location and character describe; generated cases always include it. */
      about: SymptomIdSchema.optional(),
      location: z.string().optional(),
      character: z.string().optional(),
      timing: z.string().optional(),
      aggravating: z.array(z.string()).default([]),
      relieving: z.array(z.string()).default([]),
    })
    .default({ aggravating: [], relieving: [] }),
  /** First-person exposures and risk factors ("There is standing water near my house."). */
  exposures: z.array(z.string()).default([]),
  /** Social history that belongs to the disease (e.g. heavy drinking); overrides the sampled one. */
  social: z.strictObject({ tobacco: z.string().optional(), alcohol: z.string().optional() }).optional(),
  /** Vital-sign ranges that differ from normal; fever ranges are also derived from the symptoms. */
  vitals: z
    .strictObject({
      temperatureC: z.tuple([z.number(), z.number()]).optional(),
      heartRate: z.tuple([z.number(), z.number()]).optional(),
      systolic: z.tuple([z.number(), z.number()]).optional(),
      respiratoryRate: z.tuple([z.number(), z.number()]).optional(),
      oxygenSaturation: z.tuple([z.number(), z.number()]).optional(),
    })
    .optional(),
});
/** A value of {@link DiseaseSchema}, as validated. */
export type Disease = z.output<typeof DiseaseSchema>;
/** What {@link DiseaseSchema} accepts (before its defaults are filled in). */
export type DiseaseInput = z.input<typeof DiseaseSchema>;

/** The knowledge base file: diseases and the symptom lexicon they use. */
export const KnowledgeBaseSchema = z
  .strictObject({
    diseases: z.array(DiseaseSchema).min(1),
    symptoms: z.record(SymptomIdSchema, SymptomEntrySchema),
  })
  .superRefine((kb, context) => {
    const seen = new Set<string>();
    kb.diseases.forEach((disease, index) => {
      if (seen.has(disease.id))
        context.addIssue({
          code: "custom",
          path: ["diseases", index, "id"],
          message: `duplicate disease id "${disease.id}"`,
        });
      seen.add(disease.id);
      if (disease.hpi.about && !(disease.hpi.about in disease.symptoms))
        context.addIssue({
          code: "custom",
          path: ["diseases", index, "hpi", "about"],
          message: `"${disease.hpi.about}" is not one of the disease's symptoms`,
        });
      for (const symptom of Object.keys(disease.symptoms)) {
        if (!(symptom in kb.symptoms))
          context.addIssue({
            code: "custom",
            path: ["diseases", index, "symptoms", symptom],
            message: `symptom "${symptom}" is not in the symptom lexicon`,
          });
      }
    });
  });
/** A value of {@link KnowledgeBaseSchema}, as validated. */
export type KnowledgeBase = z.output<typeof KnowledgeBaseSchema>;
