// backend/native/attention: the attention kernels of the addon as a partial kernel table (empty until the
// addon exports them: the reference kernels fill the gap).
import type { PartialKernels } from "../kernels.js";
import type { NativeAddon } from "./addon.js";

/** The attention kernels this addon exports. */
export function attentionKernels(_addon: NativeAddon): PartialKernels {
  return {};
}
