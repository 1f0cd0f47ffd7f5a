// autograd/mode: whether ops record the graph. noGrad() turns recording off for a block.

let gradEnabled = true;

/** True when ops record how they were computed (the default). */
export function isGradEnabled(): boolean {
  return gradEnabled;
}

/**
 * Runs `fn` without recording a gradient graph (inference, optimizer updates).
 * @example
 * const y = noGrad(() => model.predict(x));
 */
export function noGrad<T>(fn: () => T): T {
  const previous = gradEnabled;
  gradEnabled = false;
  try {
    return fn();
  } finally {
    gradEnabled = previous;
  }
}

/** Runs `fn` with graph recording on, even inside noGrad. */
export function enableGrad<T>(fn: () => T): T {
  const previous = gradEnabled;
  gradEnabled = true;
  try {
    return fn();
  } finally {
    gradEnabled = previous;
  }
}

let transformDepth = 0;

/**
 * Whether a transform given `inputs` must build its gradients as a graph (createGraph): recording
 * is on and it runs inside another transform, or an input already carries a graph.
 */
export function buildsOnGraph(inputs: readonly { readonly requiresGrad: boolean }[]): boolean {
  return isGradEnabled() && (transformDepth > 0 || inputs.some((t) => t.requiresGrad));
}

/** Runs a transformed function: recording on, and nested transforms know they are nested. */
export function runTransformed<T>(fn: () => T): T {
  transformDepth++;
  try {
    return enableGrad(fn);
  } finally {
    transformDepth--;
  }
}
