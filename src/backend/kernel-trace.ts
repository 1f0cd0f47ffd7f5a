// backend/kernel-trace: a kernel table whose every entry hands its call to a tracer, which runs the
// kernel itself. The inference plan (models/inference-plan) runs a forward pass with such a table
// answering kernels() (registry.withKernelTable), keeps the calls it saw, and later replays them
// without the ops, layers and allocations around them.
import type { AnyKernel } from "./fused/define.js";
import type { Kernels } from "./kernels.js";

/** Receives each call: the entry's name ("matmul", "unary.relu"), the real kernel and its arguments. */
export type KernelTracer = (name: string, kernel: AnyKernel, args: unknown[]) => void;

function traced(name: string, kernel: AnyKernel, tracer: KernelTracer): AnyKernel {
  return (...args: unknown[]) => tracer(name, kernel, args);
}

/** `base` with every kernel (group members such as unary.relu included) routed through `tracer`. */
export function tracedKernels(base: Kernels, tracer: KernelTracer): Kernels {
  const table: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(base)) {
    if (typeof entry === "function") {
      table[key] = traced(key, entry as AnyKernel, tracer);
      continue;
    }
    const group: Record<string, AnyKernel> = {};
    for (const [op, kernel] of Object.entries(entry as Record<string, AnyKernel>))
      group[op] = traced(`${key}.${op}`, kernel, tracer);
    table[key] = group;
  }
  return table as unknown as Kernels;
}
