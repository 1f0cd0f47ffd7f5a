// native/cpu-features: CPUID + XGETBV checks. A feature counts only if the OS also saves the
// registers it needs (XCR0), otherwise the first AVX instruction would fault.
#include "cpu-features.h"

#include <atomic>
#include <initializer_list>
#include <cstring>

#if TESSERA_X86
#include <cpuid.h>
#endif

namespace tessera {
namespace {

struct Features {
  bool avx2 = false;    // AVX2 + FMA + OS YMM state
  bool avx512 = false;  // AVX-512 F/DQ/BW/VL + OS ZMM and opmask state
};

#if TESSERA_X86
std::uint64_t readXcr0() {
  std::uint32_t eax, edx;
  __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
  return (static_cast<std::uint64_t>(edx) << 32) | eax;
}
#endif

Features detect() {
  Features f;
#if TESSERA_X86
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  if (!__get_cpuid(0, &eax, &ebx, &ecx, &edx) || eax < 7) return f;
  __cpuid_count(1, 0, eax, ebx, ecx, edx);
  const bool osxsave = (ecx >> 27) & 1;
  const bool avx = (ecx >> 28) & 1;
  const bool fma = (ecx >> 12) & 1;
  if (!osxsave || !avx) return f;
  const std::uint64_t xcr0 = readXcr0();
  const bool ymmState = (xcr0 & 0x6) == 0x6;     // SSE + AVX state
  const bool zmmState = (xcr0 & 0xE6) == 0xE6;   // + opmask, ZMM_Hi256, Hi16_ZMM
  __cpuid_count(7, 0, eax, ebx, ecx, edx);
  const bool avx2 = (ebx >> 5) & 1;
  const bool avx512f = (ebx >> 16) & 1;
  const bool avx512dq = (ebx >> 17) & 1;
  const bool avx512bw = (ebx >> 30) & 1;
  const bool avx512vl = (ebx >> 31) & 1;
  f.avx2 = ymmState && avx2 && fma;
  f.avx512 = f.avx2 && zmmState && avx512f && avx512dq && avx512bw && avx512vl;
#endif
  return f;
}

const Features& features() {
  static const Features f = detect();
  return f;
}

std::atomic<int> active{-1};

}  // namespace

bool isaSupported(Isa isa) {
  switch (isa) {
    case Isa::Scalar:
      return true;
    case Isa::Avx2:
      return features().avx2;
    case Isa::Avx512:
      return features().avx512;
  }
  return false;
}

Isa bestIsa() {
  if (isaSupported(Isa::Avx512)) return Isa::Avx512;
  if (isaSupported(Isa::Avx2)) return Isa::Avx2;
  return Isa::Scalar;
}

Isa activeIsa() {
  int v = active.load(std::memory_order_relaxed);
  if (v < 0) {
    v = static_cast<int>(bestIsa());
    active.store(v, std::memory_order_relaxed);
  }
  return static_cast<Isa>(v);
}

bool setActiveIsa(Isa isa) {
  if (!isaSupported(isa)) return false;
  active.store(static_cast<int>(isa), std::memory_order_relaxed);
  return true;
}

const char* isaName(Isa isa) {
  switch (isa) {
    case Isa::Scalar:
      return "scalar";
    case Isa::Avx2:
      return "avx2";
    case Isa::Avx512:
      return "avx512";
  }
  return "unknown";
}

bool parseIsa(const char* name, Isa* out) {
  for (Isa isa : {Isa::Scalar, Isa::Avx2, Isa::Avx512}) {
    if (std::strcmp(name, isaName(isa)) == 0) {
      *out = isa;
      return true;
    }
  }
  return false;
}

}  // namespace tessera
