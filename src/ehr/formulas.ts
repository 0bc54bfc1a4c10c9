/**
 * The named equations observations may use instead of a distribution (`formula:` in
 * data/ehr/observations.yaml). Each takes the values computed so far for the visit.
 */
export type FormulaInputs = (variable: string) => number;

/**
 * CKD-EPI 2021 creatinine equation (Inker et al., NEJM 2021), without race:
 * eGFR = 142 × min(Scr/κ, 1)^α × max(Scr/κ, 1)^-1.200 × 0.9938^age × 1.012 [if female],
 * κ = 0.7 (female) or 0.9 (male), α = -0.241 (female) or -0.302 (male); Scr in mg/dL.
 */
export function ckdEpi2021(creatinine: number, age: number, female: boolean): number {
  const kappa = female ? 0.7 : 0.9;
  const alpha = female ? -0.241 : -0.302;
  const ratio = creatinine / kappa;
  return 142 * Math.min(ratio, 1) ** alpha * Math.max(ratio, 1) ** -1.2 * 0.9938 ** age * (female ? 1.012 : 1);
}

/**
 * Hankinson 1999 (NHANES III) predicted FEV1 and FVC in litres for Caucasian adults, height in cm:
 * value = b0 + b1·age + b2·age² + b3·height².
 */
export function hankinsonPredicted(measure: "fev1" | "fvc", age: number, heightCm: number, female: boolean): number {
  const coefficients = {
    fev1: female ? [0.4333, -0.00361, -0.000194, 0.00011496] : [0.5536, -0.01303, -0.000172, 0.00014098],
    fvc: female ? [-0.356, 0.0187, -0.000382, 0.00014815] : [-0.1933, 0.00064, -0.000269, 0.00018642],
  }[measure];
  const [b0, b1, b2, b3] = coefficients as [number, number, number, number];
  const adultAge = Math.max(age, 18);
  return b0 + b1 * adultAge + b2 * adultAge * adultAge + b3 * heightCm * heightCm;
}

/** The formulas by the name the data files use. */
export const FORMULAS: Record<string, (get: FormulaInputs) => number> = {
  "weight-from-bmi": (get) => get("bmi") * (get("height") / 100) ** 2,
  "friedewald-total": (get) => get("ldl") + get("hdl") + get("triglycerides") / 5,
  "ckd-epi-2021": (get) => ckdEpi2021(get("creatinine"), get("age"), get("female") === 1),
  "transferrin-saturation": (get) => (get("iron") / get("tibc")) * 100,
  "hankinson-fev1": (get) =>
    (hankinsonPredicted("fev1", get("age"), get("height"), get("female") === 1) * get("fev1-percent")) / 100,
  "fvc-from-ratio": (get) => get("fev1") / (get("fev1-fvc") / 100),
};

/** The inputs each formula reads, so the generator computes them even when they are not written. */
export const FORMULA_INPUTS: Record<string, string[]> = {
  "weight-from-bmi": ["bmi", "height"],
  "friedewald-total": ["ldl", "hdl", "triglycerides"],
  "ckd-epi-2021": ["creatinine"],
  "transferrin-saturation": ["iron", "tibc"],
  "hankinson-fev1": ["height", "fev1-percent"],
  "fvc-from-ratio": ["fev1", "fev1-fvc"],
};
