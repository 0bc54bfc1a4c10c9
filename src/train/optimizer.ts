/** AdamW with decoupled weight decay, the learning-rate schedule, and global-norm clipping. */
import type { TrainableParam } from "./model.js";

/** AdamW hyper-parameters. */
export interface AdamWOptions {
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
}

/** AdamW state: first and second moments per parameter, and the step count. */
export class AdamW {
  readonly m: Float32Array[];
  readonly v: Float32Array[];
  step = 0;

  constructor(
    private readonly params: readonly TrainableParam[],
    private readonly options: AdamWOptions,
  ) {
    this.m = params.map((p) => new Float32Array(p.value.length));
    this.v = params.map((p) => new Float32Array(p.value.length));
  }

  /** One update with learning rate `lr` (PyTorch's AdamW: decay applied as p −= lr·wd·p). */
  update(lr: number): void {
    this.step++;
    const { beta1, beta2, eps, weightDecay } = this.options;
    const c1 = 1 - beta1 ** this.step;
    const c2 = 1 - beta2 ** this.step;
    this.params.forEach((p, j) => {
      const m = this.m[j] as Float32Array;
      const v = this.v[j] as Float32Array;
      const decay = p.decay ? 1 - lr * weightDecay : 1;
      for (let i = 0; i < p.value.length; i++) {
        const g = p.grad[i] ?? 0;
        const mi = beta1 * (m[i] ?? 0) + (1 - beta1) * g;
        const vi = beta2 * (v[i] ?? 0) + (1 - beta2) * g * g;
        m[i] = mi;
        v[i] = vi;
        p.value[i] = (p.value[i] ?? 0) * decay - (lr * (mi / c1)) / (Math.sqrt(vi / c2) + eps);
      }
    });
  }
}

/** Global L2 norm of all gradients. */
export function gradNorm(params: readonly TrainableParam[]): number {
  let sum = 0;
  for (const p of params) for (const g of p.grad) sum += g * g;
  return Math.sqrt(sum);
}

/** Scales gradients so their global norm is at most `max` (0 = no clipping); returns the norm before. */
export function clipGradients(params: readonly TrainableParam[], max: number): number {
  const norm = gradNorm(params);
  if (max > 0 && norm > max) {
    const s = max / (norm + 1e-6);
    for (const p of params) for (let i = 0; i < p.grad.length; i++) p.grad[i] = (p.grad[i] ?? 0) * s;
  }
  return norm;
}

/** Learning-rate schedules after warmup. */
export type LrSchedule = "cosine" | "linear" | "constant";

/** Learning rate at optimizer step `step` (0-based): linear warmup, then the decay to 0 at `total`. */
export function learningRate(
  step: number,
  total: number,
  peak: number,
  warmupSteps: number,
  schedule: LrSchedule,
): number {
  if (warmupSteps > 0 && step < warmupSteps) return (peak * (step + 1)) / warmupSteps;
  if (schedule === "constant") return peak;
  const progress = Math.min(1, (step - warmupSteps) / Math.max(1, total - warmupSteps));
  return schedule === "linear" ? peak * (1 - progress) : peak * 0.5 * (1 + Math.cos(Math.PI * progress));
}
