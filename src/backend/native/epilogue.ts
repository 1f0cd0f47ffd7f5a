// backend/native/epilogue: the GEMM epilogue adjoint of the addon (native/src/epilogue-backward.cc)
// as a partial kernel table; an addon built before it existed leaves it to the reference.
import type { FloatArray } from "../../core/dtype.js";
import type { EpilogueActivation, PartialKernels } from "../kernels.js";
import type { NativeAddon } from "./addon.js";

/** The epilogue exports of the addon (optional: older builds lack them). */
export interface EpilogueAddon {
  epilogueBackward?(
    y: FloatArray,
    dy: FloatArray,
    dz: FloatArray | null,
    dBias: FloatArray | null,
    rows: number,
    cols: number,
    activation: number,
  ): void;
}

/** The addon's activation codes (native/src/epilogue-backward.h EpilogueAct). */
const CODES: Record<EpilogueActivation, number> = { none: 0, relu: 1, sigmoid: 2, tanh: 3 };

/** The epilogue kernels this addon exports. */
export function epilogueKernels(nativeAddon: NativeAddon): PartialKernels {
  const addon = nativeAddon as NativeAddon & EpilogueAddon;
  const { epilogueBackward } = addon;
  if (!epilogueBackward) return {};
  return {
    epilogueBackward: (y, dy, dz, dBias, p) =>
      epilogueBackward.call(addon, y, dy, dz, dBias, p.rows, p.cols, CODES[p.activation]),
  };
}
