// test/helpers/native-settings: native kernel tests switch the addon's ISA path and thread count;
// this puts both back when the enclosing suite (or file) ends.
import { after } from "node:test";
import type { NativeAddon } from "../../src/backend/native/addon.js";

/** Saves the addon's ISA path and thread count now and restores them after the current suite. */
export function restoreNativeSettingsAfter(addon: NativeAddon): void {
  const isa = addon.getIsa();
  const threads = addon.getNumThreads();
  after(() => {
    addon.setIsa(isa);
    addon.setNumThreads(threads);
  });
}
