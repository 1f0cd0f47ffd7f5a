// ml/lbfgs: limited-memory BFGS (Nocedal & Wright, algorithms 7.4 and 3.5-3.6) for smooth
// unconstrained minimisation over a float64 vector: the two-loop recursion gives the direction,
// a line search enforcing the strong Wolfe conditions gives the step. Used by LogisticRegression.

/** Writes the gradient at x into grad and returns the objective value. */
export type Objective = (x: Float64Array, grad: Float64Array) => number;

export interface LbfgsOptions {
  /** Iterations at most (default 100). */
  maxIter?: number;
  /** Stop when the largest gradient entry is at most gtol (default 1e-5). */
  gtol?: number;
  /** Stop when the relative objective decrease is at most ftol (default 64 * machine epsilon, as SciPy). */
  ftol?: number;
  /** Correction pairs kept (default 10). */
  memory?: number;
}

export interface LbfgsResult {
  x: Float64Array;
  value: number;
  nIter: number;
  converged: boolean;
}

const C1 = 1e-4;
const C2 = 0.9;

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (const v of a) m = Math.max(m, Math.abs(v));
  return m;
}

/** Minimises `objective` from x0 (not modified). */
export function minimizeLbfgs(
  objective: Objective,
  x0: Float64Array,
  options: LbfgsOptions = {},
): LbfgsResult {
  const maxIter = options.maxIter ?? 100;
  const gtol = options.gtol ?? 1e-5;
  const ftol = options.ftol ?? 64 * Number.EPSILON;
  const memory = options.memory ?? 10;
  const n = x0.length;
  let x = x0.slice();
  let grad = new Float64Array(n);
  let value = objective(x, grad);
  const sList: Float64Array[] = [];
  const yList: Float64Array[] = [];
  const rho: number[] = [];
  const direction = new Float64Array(n);
  const alphas = new Float64Array(memory);
  let trialX = new Float64Array(n);
  let trialGrad = new Float64Array(n);
  if (maxAbs(grad) <= gtol) return { x, value, nIter: 0, converged: true };
  for (let iter = 1; iter <= maxIter; iter++) {
    // Two-loop recursion: direction = -H grad.
    for (let i = 0; i < n; i++) direction[i] = -grad[i]!;
    for (let k = sList.length - 1; k >= 0; k--) {
      alphas[k] = rho[k]! * dot(sList[k]!, direction);
      const yk = yList[k]!;
      for (let i = 0; i < n; i++) direction[i]! -= alphas[k]! * yk[i]!;
    }
    const last = sList.length - 1;
    const gamma =
      last >= 0
        ? dot(sList[last]!, yList[last]!) / dot(yList[last]!, yList[last]!)
        : 1 / Math.max(1, Math.sqrt(dot(grad, grad)));
    for (let i = 0; i < n; i++) direction[i]! *= gamma;
    for (let k = 0; k < sList.length; k++) {
      const beta = rho[k]! * dot(yList[k]!, direction);
      const sk = sList[k]!;
      for (let i = 0; i < n; i++) direction[i]! += (alphas[k]! - beta) * sk[i]!;
    }
    let slope0 = dot(grad, direction);
    if (slope0 >= 0) {
      // Not a descent direction (numerical trouble): restart from steepest descent.
      sList.length = 0;
      yList.length = 0;
      rho.length = 0;
      for (let i = 0; i < n; i++) direction[i] = -grad[i]!;
      slope0 = -dot(grad, grad);
    }
    let lastStep = Number.NaN;
    let lastValue = Number.NaN;
    const evaluate = (step: number): [number, number] => {
      for (let i = 0; i < n; i++) trialX[i] = x[i]! + step * direction[i]!;
      lastStep = step;
      lastValue = objective(trialX, trialGrad);
      return [lastValue, dot(trialGrad, direction)];
    };
    const step = wolfeStep(evaluate, value, slope0);
    if (step === null) return { x, value, nIter: iter, converged: false };
    // trialX / trialGrad must hold the accepted step (the search may have probed another one last).
    const newValue = step === lastStep ? lastValue : evaluate(step)[0];
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = trialX[i]! - x[i]!;
      y[i] = trialGrad[i]! - grad[i]!;
    }
    const sy = dot(s, y);
    if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
      sList.push(s);
      yList.push(y);
      rho.push(1 / sy);
      if (sList.length > memory) {
        sList.shift();
        yList.shift();
        rho.shift();
      }
    }
    const decrease = (value - newValue) / Math.max(Math.abs(value), Math.abs(newValue), 1);
    [x, trialX] = [trialX, x];
    [grad, trialGrad] = [trialGrad, grad];
    value = newValue;
    if (maxAbs(grad) <= gtol || decrease <= ftol) return { x, value, nIter: iter, converged: true };
  }
  return { x, value, nIter: maxIter, converged: false };
}

/** A step length meeting the strong Wolfe conditions, or null when none was found. */
function wolfeStep(evaluate: (step: number) => [number, number], f0: number, slope0: number): number | null {
  let previous = 0;
  let fPrevious = f0;
  let slopePrevious = slope0;
  let step = 1;
  for (let i = 0; i < 30; i++) {
    const [f, slope] = evaluate(step);
    if (f > f0 + C1 * step * slope0 || (i > 0 && f >= fPrevious)) {
      return zoom(evaluate, f0, slope0, previous, fPrevious, slopePrevious, step, f);
    }
    if (Math.abs(slope) <= -C2 * slope0) return step;
    if (slope >= 0) return zoom(evaluate, f0, slope0, step, f, slope, previous, fPrevious);
    previous = step;
    fPrevious = f;
    slopePrevious = slope;
    step *= 2;
  }
  return null;
}

function zoom(
  evaluate: (step: number) => [number, number],
  f0: number,
  slope0: number,
  low: number,
  fLow: number,
  slopeLow: number,
  high: number,
  fHigh: number,
): number | null {
  for (let i = 0; i < 50; i++) {
    // Minimiser of the quadratic through (low, fLow, slopeLow) and (high, fHigh), kept inside the bracket.
    const width = high - low;
    const denominator = 2 * (fHigh - fLow - slopeLow * width);
    let step = denominator > 0 ? low - (slopeLow * width * width) / denominator : low + width / 2;
    const lo = Math.min(low, high);
    const hi = Math.max(low, high);
    if (!(step > lo + 0.1 * (hi - lo) && step < hi - 0.1 * (hi - lo))) step = low + width / 2;
    const [f, slope] = evaluate(step);
    if (f > f0 + C1 * step * slope0 || f >= fLow) {
      high = step;
      fHigh = f;
    } else {
      if (Math.abs(slope) <= -C2 * slope0) return step;
      if (slope * (high - low) >= 0) {
        high = low;
        fHigh = fLow;
      }
      low = step;
      fLow = f;
      slopeLow = slope;
    }
    if (Math.abs(high - low) < 1e-16) return f < f0 ? step : null;
  }
  return fLow < f0 ? low : null;
}
