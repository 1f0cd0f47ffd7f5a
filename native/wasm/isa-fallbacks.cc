// native/wasm/isa-fallbacks: x86 entry points some drivers name outside a TESSERA_X86 guard
// (optim-napi.cc's dispatch), resolved to the portable path in this build. activeIsa() is never
// an x86 path on wasm32, so these are never called; weak, so a real definition always wins.
// Also the machine probes binding.cc registers (probes.cc, threads and clocks, is not built):
// the wasm backend answers fmaPeak and triadBandwidth in JavaScript.
#include "../src/optim.h"
#include "../src/probes.h"

namespace tessera {

__attribute__((weak)) OptimRange optimAvx2() { return optimScalar(); }
__attribute__((weak)) OptimRange optimAvx512() { return optimScalar(); }
__attribute__((weak)) double fmaPeakGflops(int, double) { return 0; }
__attribute__((weak)) double triadBandwidthGBs(int, double, int) { return 0; }

}  // namespace tessera
