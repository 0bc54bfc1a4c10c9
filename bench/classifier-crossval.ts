/**
 * Held-out check of the question classifier: k-fold cross-validation over the paraphrase bank,
 * where a fold holds out whole phrasings (all their expanded variants), so a phrasing is scored
 * by a model that never saw it. Prints accuracy per label (weakest first), the commonest
 * confusions, and the training time of the full model.
 * Run: npx tsx bench/classifier-crossval.ts [--folds 5]
 */
import {
  featuresOf,
  SoftmaxModel,
  TRAINING_EPOCHS,
  TRAINING_SEED,
  classifyQuestion,
} from "../src/engines/scripted/classifier.js";
import { expandParaphrases, PARAPHRASES, QUESTION_LABELS } from "../src/engines/scripted/paraphrases.js";

const args = process.argv.slice(2);
const folds = Number(args[args.indexOf("--folds") + 1] ?? 5) || 5;

const started = performance.now();
classifyQuestion("warm up");
console.log(`full model trained in ${((performance.now() - started) / 1000).toFixed(2)} s`);

// Each phrasing's variants: expandParaphrases emits six per phrasing, in bank order.
const expanded = expandParaphrases();
const phrasings = QUESTION_LABELS.flatMap((label) => PARAPHRASES[label].map((text) => ({ text, label })));
const perPhrasing = expanded.length / phrasings.length;
const counts = new Map<string, { right: number; total: number }>();
const confusions = new Map<string, number>();
let right = 0;
for (let fold = 0; fold < folds; fold++) {
  const training = expanded
    .filter((_, index) => Math.floor(index / perPhrasing) % folds !== fold)
    .map(({ text, label }) => ({ features: featuresOf(text), label: QUESTION_LABELS.indexOf(label) }));
  const model = new SoftmaxModel(QUESTION_LABELS.length);
  model.train(training, TRAINING_EPOCHS, TRAINING_SEED);
  phrasings.forEach((phrasing, index) => {
    if (index % folds !== fold) return;
    const text = phrasing.text
      .replace(/\{doctor\}/g, "Rao")
      .replace(/\{s\}/g, "fever")
      .replace(/\{it\}/g, "it");
    const scores = model.scores(featuresOf(text));
    let best = 0;
    for (let c = 1; c < scores.length; c++) if (scores[c]! > scores[best]!) best = c;
    const predicted = QUESTION_LABELS[best]!;
    const count = counts.get(phrasing.label) ?? { right: 0, total: 0 };
    count.total++;
    if (predicted === phrasing.label) {
      count.right++;
      right++;
    } else {
      const key = `${phrasing.label} -> ${predicted}`;
      confusions.set(key, (confusions.get(key) ?? 0) + 1);
      if (args.includes("--verbose")) console.log(`  ${key}: ${text}`);
    }
    counts.set(phrasing.label, count);
  });
}
console.log(
  `held-out accuracy ${((100 * right) / phrasings.length).toFixed(1)}% over ${phrasings.length} phrasings (${folds} folds)`,
);
for (const [label, count] of [...counts].sort((a, b) => a[1].right / a[1].total - b[1].right / b[1].total).slice(0, 20))
  console.log(`  ${label.padEnd(16)} ${((100 * count.right) / count.total).toFixed(0).padStart(3)}% of ${count.total}`);
console.log("commonest confusions:");
for (const [key, count] of [...confusions].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`  ${count}  ${key}`);
