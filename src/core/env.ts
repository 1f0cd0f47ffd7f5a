// core/env: the host's environment variables and warnings where there is a host (Node), read
// through globalThis so the portable core imports nothing from node:*; in a browser both are no-ops.

interface HostProcess {
  env?: Record<string, string | undefined>;
  emitWarning?: (message: string, options: { code: string }) => void;
}

function host(): HostProcess | undefined {
  return (globalThis as { process?: HostProcess }).process;
}

/** The variable's value, or undefined when it is unset or empty (or there is no environment). */
export function envVariable(name: string): string | undefined {
  const value = host()?.env?.[name];
  return value === undefined || value === "" ? undefined : value;
}

/** A process warning with a code (Node's process.emitWarning); nothing without a host. */
export function hostWarning(message: string, code: string): void {
  host()?.emitWarning?.(message, { code });
}
