// native/binding: the addon's entry point. Registers every kernel group and the controls the
// loader, tests and benchmarks use: ISA choice, thread count and the machine probes.
#include <napi.h>

#include <cstdlib>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "cpu-features.h"
#include "exports.h"
#include "napi-args.h"
#include "probes.h"
#include "thread-pool.h"

namespace tessera {
namespace {

Napi::Value GetIsa(const Napi::CallbackInfo& info) { return Napi::String::New(info.Env(), isaName(activeIsa())); }

/** setIsa("avx512" | "avx2" | "scalar"): forces a path; throws if this CPU lacks it. */
Napi::Value SetIsa(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsString()) throwType(env, "setIsa: expected an ISA name");
  const std::string name = info[0].As<Napi::String>().Utf8Value();
  Isa isa;
  if (!parseIsa(name.c_str(), &isa)) throwRange(env, "setIsa: unknown ISA \"" + name + "\" (expected avx512, avx2, scalar)");
  if (!setActiveIsa(isa)) throwRange(env, "setIsa: this CPU does not support " + name);
  return env.Undefined();
}

/** The ISA paths this CPU supports, fastest first. */
Napi::Value SupportedIsas(const Napi::CallbackInfo& info) {
  Napi::Array list = Napi::Array::New(info.Env());
  uint32_t i = 0;
  for (Isa isa : {Isa::Avx512, Isa::Avx2, Isa::Scalar}) {
    if (isaSupported(isa)) list.Set(i++, Napi::String::New(info.Env(), isaName(isa)));
  }
  return list;
}

Napi::Value GetNumThreads(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), numThreads()); }

Napi::Value SetNumThreads(const Napi::CallbackInfo& info) {
  setNumThreads(static_cast<int>(intArg(info, 0, "setNumThreads: count", 1, 1024)));
  return info.Env().Undefined();
}

Napi::Value AvailableCores(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), availableCores()); }

/** fmaPeak(threads, seconds): measured FP32 GFLOP/s of pure FMA streams on the active ISA. */
Napi::Value FmaPeak(const Napi::CallbackInfo& info) {
  const int threads = static_cast<int>(intArg(info, 0, "fmaPeak: threads", 1, 1024));
  double seconds = 0.2;
  if (info.Length() > 1) seconds = info[1].As<Napi::Number>().DoubleValue();
  if (!(seconds > 0 && seconds <= 10)) throwRange(info.Env(), "fmaPeak: seconds must be in (0, 10]");
  return Napi::Number::New(info.Env(), fmaPeakGflops(threads, seconds));
}

/** triadBandwidth(threads, megabytesPerArray, repeats): best GB/s of a = b + s c. */
Napi::Value TriadBandwidth(const Napi::CallbackInfo& info) {
  const int threads = static_cast<int>(intArg(info, 0, "triadBandwidth: threads", 1, 1024));
  const i64 mb = intArg(info, 1, "triadBandwidth: megabytes", 1, 4096);
  const int repeats = static_cast<int>(intArg(info, 2, "triadBandwidth: repeats", 1, 1000));
  return Napi::Number::New(info.Env(), triadBandwidthGBs(threads, static_cast<double>(mb), repeats));
}

/**
 * Training allocates and drops typed arrays of a few MB every step (activations, gates,
 * gradients). glibc serves each one above 128 KB with its own mmap, so every step pays the
 * mapping, a page fault per 4 KB and the unmapping (measured: 2.5 ms for a fresh 4 MB
 * Float32Array, 0.4 ms from the heap). Serving blocks up to 32 MB from the heap and trimming it
 * only past 64 MB free keeps that memory in the process for reuse. Environment settings of the
 * same knobs (MALLOC_MMAP_THRESHOLD_, MALLOC_TRIM_THRESHOLD_) take precedence.
 */
void tuneAllocator() {
#if defined(__GLIBC__)
  if (std::getenv("MALLOC_MMAP_THRESHOLD_") == nullptr) mallopt(M_MMAP_THRESHOLD, 32 << 20);
  if (std::getenv("MALLOC_TRIM_THRESHOLD_") == nullptr) mallopt(M_TRIM_THRESHOLD, 64 << 20);
#endif
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  tuneAllocator();
  exports.Set("abiVersion", Napi::Number::New(env, kAbiVersion));
  exports.Set("getIsa", Napi::Function::New(env, GetIsa, "getIsa"));
  exports.Set("setIsa", Napi::Function::New(env, SetIsa, "setIsa"));
  exports.Set("supportedIsas", Napi::Function::New(env, SupportedIsas, "supportedIsas"));
  exports.Set("getNumThreads", Napi::Function::New(env, GetNumThreads, "getNumThreads"));
  exports.Set("setNumThreads", Napi::Function::New(env, SetNumThreads, "setNumThreads"));
  exports.Set("availableCores", Napi::Function::New(env, AvailableCores, "availableCores"));
  exports.Set("fmaPeak", Napi::Function::New(env, FmaPeak, "fmaPeak"));
  exports.Set("triadBandwidth", Napi::Function::New(env, TriadBandwidth, "triadBandwidth"));
  registerGemm(env, exports);
  registerElementwise(env, exports);
  registerReduce(env, exports);
  registerMovement(env, exports);
  registerWindow(env, exports);
  registerRecurrent(env, exports);
  registerAttention(env, exports);
  registerNorm(env, exports);
  registerOptim(env, exports);
  registerConv(env, exports);
  registerEpilogue(env, exports);
  registerNoise(env, exports);
  return exports;
}

}  // namespace
}  // namespace tessera

static Napi::Object InitModule(Napi::Env env, Napi::Object exports) { return tessera::Init(env, exports); }

NODE_API_MODULE(tessera_native, InitModule)
