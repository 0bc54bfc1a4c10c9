/**
 * A graphical model whose cliques form a forest: one potential per attribute and one per edge.
 * On a forest, belief propagation is exact, so the fitted model's marginals are always
 * consistent and non-negative, and sampling is exact. Fitting follows private-pgm's mirror
 * descent (McKenna, Sheldon, Miklau 2019, "Graphical-model based estimation and inference for
 * differential privacy"): minimise the squared error of the marginals against the noisy
 * measurements, divided by their noise scale, by gradient steps on the log-potentials with a
 * backtracking step size. Written by hand because no TypeScript library fits graphical models.
 */

/** A noisy linear measurement of one clique's marginal: y = diag(scale) * marginal + noise. */
export interface Measurement {
  /** One attribute, or an edge `[a, b]` (table laid out row-major, a's value major). */
  clique: readonly [number] | readonly [number, number];
  y: Float64Array;
  /** The noise standard deviation. */
  sigma: number;
  /** Diagonal of the measurement matrix (identity when absent). */
  scale?: Float64Array;
}

/** Marginals of every clique, scaled to the model's total. */
export interface Marginals {
  nodes: Float64Array[];
  edges: Float64Array[];
}

/** Options of {@link fitForestModel}. */
export interface FitOptions {
  /** Mirror-descent iterations (default 1000). */
  iterations?: number;
  /** Stops early when the loss improves by less than this fraction over 25 iterations (default 1e-8). */
  tolerance?: number;
  /** Called every 25 iterations with the iteration number. */
  onIteration?: (iteration: number) => void;
}

/** The result of {@link fitForestModel}. */
export interface ForestModel {
  sizes: readonly number[];
  edges: readonly (readonly [number, number])[];
  total: number;
  marginals: Marginals;
  loss: number;
  iterations: number;
}

interface Structure {
  sizes: readonly number[];
  edges: readonly (readonly [number, number])[];
  /** Attributes in breadth-first order, roots first within each tree. */
  order: number[];
  parent: Int32Array;
  /** The edge index linking an attribute to its parent (-1 for roots). */
  parentEdge: Int32Array;
  children: number[][];
}

function buildStructure(sizes: readonly number[], edges: readonly (readonly [number, number])[]): Structure {
  const count = sizes.length;
  const neighbours: { node: number; edge: number }[][] = Array.from({ length: count }, () => []);
  edges.forEach(([a, b], edge) => {
    neighbours[a]!.push({ node: b, edge });
    neighbours[b]!.push({ node: a, edge });
  });
  const parent = new Int32Array(count).fill(-1);
  const parentEdge = new Int32Array(count).fill(-1);
  const children: number[][] = Array.from({ length: count }, () => []);
  const visited = new Uint8Array(count);
  const order: number[] = [];
  for (let root = 0; root < count; root++) {
    if (visited[root]) continue;
    visited[root] = 1;
    const queue = [root];
    for (let head = 0; head < queue.length; head++) {
      const node = queue[head]!;
      order.push(node);
      for (const { node: next, edge } of neighbours[node]!) {
        if (visited[next]) continue;
        visited[next] = 1;
        parent[next] = node;
        parentEdge[next] = edge;
        children[node]!.push(next);
        queue.push(next);
      }
    }
  }
  if (order.length !== count) throw new Error("forest model: edges do not form a forest");
  return { sizes, edges, order, parent, parentEdge, children };
}

/** exp(theta - max(theta)), so the largest entry is 1. */
function potential(theta: Float64Array): Float64Array {
  let max = -Infinity;
  for (let index = 0; index < theta.length; index++) if (theta[index]! > max) max = theta[index]!;
  const out = new Float64Array(theta.length);
  for (let index = 0; index < theta.length; index++) out[index] = Math.exp(theta[index]! - max);
  return out;
}

function normalizeInPlace(vector: Float64Array, total: number): Float64Array {
  let sum = 0;
  for (let index = 0; index < vector.length; index++) sum += vector[index]!;
  if (sum > 0 && Number.isFinite(sum))
    for (let index = 0; index < vector.length; index++) vector[index]! *= total / sum;
  else vector.fill(total / vector.length);
  return vector;
}

/**
 * Exact marginals of the forest model with log-potentials `nodeTheta` and `edgeTheta` (sum-product
 * message passing, up the trees then down), each scaled to `total`.
 */
function computeMarginals(
  structure: Structure,
  nodeTheta: readonly Float64Array[],
  edgeTheta: readonly Float64Array[],
  total: number,
): Marginals {
  const { sizes, edges, order, parent, parentEdge, children } = structure;
  const phi = nodeTheta.map(potential);
  const psi = edgeTheta.map(potential);
  const inside: Float64Array[] = new Array(sizes.length);
  const up: Float64Array[] = new Array(sizes.length); // message from a node to its parent, over the parent's values
  for (let position = order.length - 1; position >= 0; position--) {
    const node = order[position]!;
    const belief = Float64Array.from(phi[node]!);
    for (const child of children[node]!) multiplyInPlace(belief, up[child]!);
    normalizeInPlace(belief, 1);
    inside[node] = belief;
    const edge = parentEdge[node]!;
    if (edge < 0) continue;
    up[node] = normalizeInPlace(sumOut(psi[edge]!, edges[edge]!, parent[node]!, belief, sizes), 1);
  }
  const down: Float64Array[] = new Array(sizes.length);
  const nodes: Float64Array[] = new Array(sizes.length);
  const edgeMarginals: Float64Array[] = new Array(edges.length);
  for (const node of order) {
    const fromAbove = down[node] ?? new Float64Array(sizes[node]!).fill(1);
    const belief = Float64Array.from(inside[node]!);
    multiplyInPlace(belief, fromAbove);
    nodes[node] = normalizeInPlace(belief, total);
    for (const child of children[node]!) {
      // Everything the node knows except what the child told it.
      const cavity = Float64Array.from(phi[node]!);
      multiplyInPlace(cavity, fromAbove);
      for (const other of children[node]!) if (other !== child) multiplyInPlace(cavity, up[other]!);
      normalizeInPlace(cavity, 1);
      const edge = parentEdge[child]!;
      down[child] = normalizeInPlace(sumOut(psi[edge]!, edges[edge]!, child, cavity, sizes), 1);
      edgeMarginals[edge] = normalizeInPlace(edgeTable(psi[edge]!, edges[edge]!, node, cavity, inside[child]!), total);
    }
  }
  return { nodes, edges: edgeMarginals };
}

function multiplyInPlace(target: Float64Array, factor: Float64Array): void {
  for (let index = 0; index < target.length; index++) target[index]! *= factor[index]!;
}

/**
 * sum over the `from` side of psi(a, b) * vector(from side), as a vector over `to`'s values;
 * `to` is one end of `edge` and the vector is over the other end.
 */
function sumOut(
  psi: Float64Array,
  edge: readonly [number, number],
  to: number,
  vector: Float64Array,
  sizes: readonly number[],
): Float64Array {
  const [a, b] = edge;
  const sizeA = sizes[a]!;
  const sizeB = sizes[b]!;
  if (to === a) {
    const out = new Float64Array(sizeA);
    for (let i = 0; i < sizeA; i++) {
      let sum = 0;
      const row = i * sizeB;
      for (let j = 0; j < sizeB; j++) sum += psi[row + j]! * vector[j]!;
      out[i] = sum;
    }
    return out;
  }
  const out = new Float64Array(sizeB);
  for (let i = 0; i < sizeA; i++) {
    const weight = vector[i]!;
    if (weight === 0) continue;
    const row = i * sizeB;
    for (let j = 0; j < sizeB; j++) out[j]! += psi[row + j]! * weight;
  }
  return out;
}

/** psi(a, b) * first(a side) * second(b side), where `firstNode` says which end `first` is over. */
function edgeTable(
  psi: Float64Array,
  edge: readonly [number, number],
  firstNode: number,
  first: Float64Array,
  second: Float64Array,
): Float64Array {
  const [a] = edge;
  const [overA, overB] = firstNode === a ? [first, second] : [second, first];
  const sizeA = overA.length;
  const sizeB = overB.length;
  const out = new Float64Array(sizeA * sizeB);
  for (let i = 0; i < sizeA; i++) {
    const weight = overA[i]!;
    const row = i * sizeB;
    for (let j = 0; j < sizeB; j++) out[row + j] = psi[row + j]! * weight * overB[j]!;
  }
  return out;
}

/**
 * The minimum-variance estimate of the number of rows from the measurements (each measurement's
 * entries, unscaled, sum to an unbiased estimate of the total), as private-pgm does.
 */
export function estimateTotal(measurements: readonly Measurement[]): number {
  let precision = 0;
  let weighted = 0;
  for (const { y, sigma, scale } of measurements) {
    let estimate = 0;
    let variance = 0;
    for (let index = 0; index < y.length; index++) {
      const inverse = scale ? 1 / scale[index]! : 1;
      estimate += y[index]! * inverse;
      variance += sigma * sigma * inverse * inverse;
    }
    precision += 1 / variance;
    weighted += estimate / variance;
  }
  return precision === 0 ? 1 : Math.max(1, weighted / precision);
}

function lossAndGradient(
  marginals: Marginals,
  measurements: readonly Measurement[],
  nodeGradient: Float64Array[],
  edgeGradient: Float64Array[],
  edgeIndex: Map<string, number>,
): number {
  for (const gradient of nodeGradient) gradient.fill(0);
  for (const gradient of edgeGradient) gradient.fill(0);
  let loss = 0;
  for (const { clique, y, sigma, scale } of measurements) {
    let marginal: Float64Array;
    let gradient: Float64Array;
    if (clique.length === 1) {
      marginal = marginals.nodes[clique[0]]!;
      gradient = nodeGradient[clique[0]]!;
    } else {
      const edge = edgeIndex.get(`${clique[0]},${clique[1]}`);
      if (edge === undefined) throw new Error(`forest model: no edge for measurement ${clique.join(",")}`);
      marginal = marginals.edges[edge]!;
      gradient = edgeGradient[edge]!;
    }
    for (let index = 0; index < y.length; index++) {
      const factor = scale ? scale[index]! : 1;
      const residual = (factor * marginal[index]! - y[index]!) / sigma;
      loss += 0.5 * residual * residual;
      gradient[index]! += (factor * residual) / sigma;
    }
  }
  return loss;
}

/**
 * Fits the forest model with cliques `edges` (plus every attribute) to noisy measurements by
 * mirror descent, and returns its marginals. Deterministic: no randomness is used.
 */
export function fitForestModel(
  sizes: readonly number[],
  edges: readonly (readonly [number, number])[],
  measurements: readonly Measurement[],
  options: FitOptions = {},
): ForestModel {
  const iterations = options.iterations ?? 1000;
  const tolerance = options.tolerance ?? 1e-8;
  const structure = buildStructure(sizes, edges);
  const total = estimateTotal(measurements);
  const edgeIndex = new Map(edges.map(([a, b], index) => [`${a},${b}`, index]));
  let nodeTheta: Float64Array[] = sizes.map((size) => new Float64Array(size));
  let edgeTheta: Float64Array[] = edges.map(([a, b]) => new Float64Array(sizes[a]! * sizes[b]!));
  let nodeGradient: Float64Array[] = sizes.map((size) => new Float64Array(size));
  let edgeGradient: Float64Array[] = edges.map(([a, b]) => new Float64Array(sizes[a]! * sizes[b]!));
  let spareNodeGradient: Float64Array[] = sizes.map((size) => new Float64Array(size));
  let spareEdgeGradient: Float64Array[] = edges.map(([a, b]) => new Float64Array(sizes[a]! * sizes[b]!));
  let marginals = computeMarginals(structure, nodeTheta, edgeTheta, total);
  let loss = lossAndGradient(marginals, measurements, nodeGradient, edgeGradient, edgeIndex);
  let alpha = 1 / total;
  const history: number[] = [loss];
  let iteration: number;
  for (iteration = 1; iteration <= iterations && loss > 0; iteration++) {
    alpha *= 2;
    for (let attempt = 0; attempt < 60; attempt++) {
      const nextNodeTheta = nodeTheta.map((theta, node) => step(theta, nodeGradient[node]!, alpha));
      const nextEdgeTheta = edgeTheta.map((theta, edge) => step(theta, edgeGradient[edge]!, alpha));
      const nextMarginals = computeMarginals(structure, nextNodeTheta, nextEdgeTheta, total);
      const nextLoss = lossAndGradient(nextMarginals, measurements, spareNodeGradient, spareEdgeGradient, edgeIndex);
      // Armijo: accept when the loss falls by at least half the decrease the gradient predicts.
      const predicted =
        dotDifference(nodeGradient, marginals.nodes, nextMarginals.nodes) +
        dotDifference(edgeGradient, marginals.edges, nextMarginals.edges);
      if (loss - nextLoss >= 0.5 * predicted || attempt === 59) {
        nodeTheta = nextNodeTheta;
        edgeTheta = nextEdgeTheta;
        marginals = nextMarginals;
        loss = nextLoss;
        [nodeGradient, spareNodeGradient] = [spareNodeGradient, nodeGradient];
        [edgeGradient, spareEdgeGradient] = [spareEdgeGradient, edgeGradient];
        break;
      }
      alpha *= 0.5;
    }
    history.push(loss);
    if (iteration % 25 === 0) options.onIteration?.(iteration);
    const before = history[history.length - 26];
    if (before !== undefined && before - loss <= tolerance * Math.abs(before)) break;
  }
  return { sizes, edges, total, marginals, loss, iterations: Math.min(iteration, iterations) };
}

function step(theta: Float64Array, gradient: Float64Array, alpha: number): Float64Array {
  const out = new Float64Array(theta.length);
  for (let index = 0; index < theta.length; index++) out[index] = theta[index]! - alpha * gradient[index]!;
  return out;
}

function dotDifference(gradients: readonly Float64Array[], before: Float64Array[], after: Float64Array[]): number {
  let sum = 0;
  gradients.forEach((gradient, clique) => {
    const from = before[clique]!;
    const to = after[clique]!;
    for (let index = 0; index < gradient.length; index++) sum += gradient[index]! * (from[index]! - to[index]!);
  });
  return sum;
}

/**
 * Draws `rows` rows from the fitted model, attribute by attribute down each tree. Counts are
 * rounded rather than drawn independently (as private-pgm's `synthetic_data` does): each value
 * gets the integer part of its expected count, and the remaining rows go to values chosen in
 * proportion to the fractional parts, so the sample's marginals follow the model closely.
 */
export function sampleForestModel(model: ForestModel, rows: number, random: () => number): Int32Array[] {
  const structure = buildStructure(model.sizes, model.edges);
  const { order, parent, parentEdge } = structure;
  const codes: Int32Array[] = model.sizes.map(() => new Int32Array(rows));
  for (const node of order) {
    const target = codes[node]!;
    const up = parent[node]!;
    if (up < 0) {
      const values = roundedSample(model.marginals.nodes[node]!, rows, random);
      target.set(values);
      continue;
    }
    const edge = parentEdge[node]!;
    const [a, b] = model.edges[edge]!;
    const table = model.marginals.edges[edge]!;
    const parentCodes = codes[up]!;
    const groups: number[][] = Array.from({ length: model.sizes[up]! }, () => []);
    for (let row = 0; row < rows; row++) groups[parentCodes[row]!]!.push(row);
    const sizeA = model.sizes[a]!;
    const sizeB = model.sizes[b]!;
    groups.forEach((group, value) => {
      if (group.length === 0) return;
      const conditional = new Float64Array(model.sizes[node]!);
      if (up === a) for (let j = 0; j < sizeB; j++) conditional[j] = table[value * sizeB + j]!;
      else for (let i = 0; i < sizeA; i++) conditional[i] = table[i * sizeB + value]!;
      const values = roundedSample(conditional, group.length, random);
      group.forEach((row, index) => (target[row] = values[index]!));
    });
  }
  return codes;
}

/** `count` values with the given (unnormalised) weights, by rounding the expected counts; shuffled. */
export function roundedSample(weights: Float64Array, count: number, random: () => number): Int32Array {
  let sum = 0;
  for (const weight of weights) sum += Math.max(0, weight);
  const size = weights.length;
  const integral = new Int32Array(size);
  const fractions = new Float64Array(size);
  let assigned = 0;
  for (let index = 0; index < size; index++) {
    const expected = sum > 0 ? (Math.max(0, weights[index]!) * count) / sum : count / size;
    integral[index] = Math.floor(expected);
    fractions[index] = expected - integral[index]!;
    assigned += integral[index]!;
  }
  // The remaining rows go to distinct values, chosen with probability proportional to the fractions.
  for (let extra = count - assigned; extra > 0; extra--) {
    let fractionSum = 0;
    for (const fraction of fractions) fractionSum += fraction;
    let chosen = -1;
    if (fractionSum > 0) {
      let target = random() * fractionSum;
      for (let index = 0; index < size; index++) {
        target -= fractions[index]!;
        if (target < 0 && fractions[index]! > 0) {
          chosen = index;
          break;
        }
      }
    }
    if (chosen < 0) chosen = Math.min(size - 1, Math.floor(random() * size));
    integral[chosen]!++;
    fractions[chosen] = 0;
  }
  const values = new Int32Array(count);
  let position = 0;
  for (let index = 0; index < size; index++) for (let k = 0; k < integral[index]!; k++) values[position++] = index;
  for (let index = count - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    const swap = values[index]!;
    values[index] = values[other]!;
    values[other] = swap;
  }
  return values;
}
