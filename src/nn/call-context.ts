// nn/call-context: the layer call in progress. Nested apply() calls inherit its `training` flag,
// and each top-level call starts a new forward pass, which retires the activity losses collected
// during the previous one.

let contextTraining: boolean | null = null;
let callDepth = 0;
let forwardPass = 0;

/** Runs `fn` as one layer call with the resolved training flag (explicit, else inherited, else false). */
export function withCallContext<T>(training: boolean | undefined, fn: (training: boolean) => T): T {
  const resolved = training ?? contextTraining ?? false;
  if (callDepth === 0) forwardPass++;
  const previous = contextTraining;
  callDepth++;
  contextTraining = resolved;
  try {
    return fn(resolved);
  } finally {
    callDepth--;
    contextTraining = previous;
  }
}

/** The id of the current (or last) top-level forward pass. */
export function currentForwardPass(): number {
  return forwardPass;
}
