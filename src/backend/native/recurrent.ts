// backend/native/recurrent: the recurrent kernels of the addon as a partial kernel table (empty until the
// addon exports them: the reference kernels fill the gap).
import type { PartialKernels } from "../kernels.js";
import type { NativeAddon } from "./addon.js";

/** The recurrent kernels this addon exports. */
export function recurrentKernels(_addon: NativeAddon): PartialKernels {
  return {};
}
