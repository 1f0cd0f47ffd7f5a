// native/cpu-features: run-time detection of the instruction sets this CPU and OS support
// (CPUID + XGETBV) and the process-wide choice of which compiled path the kernels take.
#pragma once

#include "common.h"

namespace tessera {

/** True when both the CPU and the OS (saved register state) support `isa`. */
bool isaSupported(Isa isa);
/** The fastest supported path. */
Isa bestIsa();
/** The path kernels take now (the best one unless forced with setActiveIsa). */
Isa activeIsa();
/** Forces a path; returns false (and changes nothing) when it is not supported. */
bool setActiveIsa(Isa isa);
const char* isaName(Isa isa);
/** Parses "scalar" / "avx2" / "avx512"; returns false for other names. */
bool parseIsa(const char* name, Isa* out);

}  // namespace tessera
