// native/epilogue-backward: dispatch of the epilogue adjoint to the active ISA path and its N-API
// entry point. Rows are split over the thread pool once a call holds enough work to pay for waking
// a second thread; each part sums its bias gradient into its own doubles, and the parts are added
// up in a fixed order afterwards.
//   epilogueBackward(y, dy, dz?, dBias?, rows, cols, activation)
// activation: 0 none, 1 relu, 2 sigmoid, 3 tanh. All arrays float32 or float64 (one dtype per
// call); y, dy and dz hold rows x cols elements, dBias cols; dz may be null only for none. Wrong
// types throw a TypeError, short arrays or bad sizes a RangeError, before any kernel runs.
#include "epilogue-backward.h"

#include <algorithm>
#include <string>
#include <type_traits>
#include <vector>

#include "cpu-features.h"
#include "exports.h"
#include "napi-args.h"
#include "thread-pool.h"

namespace tessera {
namespace {

/** Elements a thread should get at least: small calls stay on the caller. */
constexpr i64 kMinElementsPerThread = 64 * 1024;

const EpilogueIsa& activeEpilogue() {
#if TESSERA_X86
  switch (activeIsa()) {
    case Isa::Avx512: return epilogueAvx512();
    case Isa::Avx2: return epilogueAvx2();
    case Isa::Scalar: break;
  }
#endif
  return epilogueScalar();
}

template <typename T>
EpilogueRowsFn<T> rowsOf(const EpilogueIsa& isa) {
  if constexpr (std::is_same_v<T, float>) return isa.f32;
  else return isa.f64;
}

}  // namespace

template <typename T>
void epilogueBackwardKernel(const T* y, const T* dy, T* dz, T* dBias, i64 rows, i64 cols, EpilogueAct act) {
  const auto fn = rowsOf<T>(activeEpilogue());
  const i64 width = dBias != nullptr ? cols : 0;
  const i64 work = rows * std::max<i64>(1, cols);
  const int wanted = static_cast<int>(std::max<i64>(1, std::min<i64>(numThreads(), work / kMinElementsPerThread)));
  const int parts = static_cast<int>(std::min<i64>(wanted, std::max<i64>(1, rows)));
  std::vector<double> partials(static_cast<std::size_t>(parts * width), 0.0);
  int used = 1;
  if (parts <= 1) {
    fn(y, dy, dz, width > 0 ? partials.data() : nullptr, cols, 0, rows, act);
  } else {
    parallelTeam(parts, [&](int part, int count) {
      if (part == 0) used = count;
      const i64 r0 = rows * part / count, r1 = rows * (part + 1) / count;
      if (r0 < r1) fn(y, dy, dz, width > 0 ? partials.data() + part * width : nullptr, cols, r0, r1, act);
    });
  }
  if (dBias == nullptr) return;
  for (int p = 1; p < used; p++)
    for (i64 c = 0; c < width; c++) partials[c] += partials[p * width + c];
  for (i64 c = 0; c < cols; c++) dBias[c] = static_cast<T>(partials[c]);
}

template void epilogueBackwardKernel<float>(const float*, const float*, float*, float*, i64, i64, EpilogueAct);
template void epilogueBackwardKernel<double>(const double*, const double*, double*, double*, i64, i64, EpilogueAct);

namespace {

Napi::Value EpilogueBackward(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  const std::string prefix = "epilogueBackward: ";
  if (info.Length() < 7) throwType(env, prefix + "expected 7 arguments");
  static const char* const names[] = {"y", "dy", "dz", "dBias"};
  Array a[4];
  bool present[4];
  for (int i = 0; i < 4; i++) {
    present[i] = !(i >= 2 && isNullish(info[i]));
    if (!present[i]) continue;
    a[i] = arrayArg(info, i, (prefix + names[i]).c_str());
    if (a[i].dtype != DType::Float32 && a[i].dtype != DType::Float64)
      throwType(env, prefix + names[i] + " must be a Float32Array or Float64Array");
    if (a[i].dtype != a[0].dtype) throwType(env, prefix + "all arrays must share one dtype");
  }
  const i64 rows = intArg(info, 4, (prefix + "rows").c_str());
  const i64 cols = intArg(info, 5, (prefix + "cols").c_str());
  const auto act = static_cast<EpilogueAct>(intArg(info, 6, (prefix + "activation").c_str(), 0, 3));
  if (!present[2] && act != EpilogueAct::None) throwRange(env, prefix + "dz may be null only for activation none");
  const i64 matrix = mulCapped(rows, cols);
  if (matrix > kMaxCount) throwRange(env, prefix + "rows x cols is too large");
  for (int i = 0; i < 3; i++)
    if (present[i]) requireLength(env, a[i], matrix, (prefix + names[i]).c_str());
  if (present[3]) requireLength(env, a[3], cols, (prefix + "dBias").c_str());
  withDType(a[0].dtype, [&](auto zero) {
    using T = decltype(zero);
    if constexpr (std::is_floating_point_v<T>)
      epilogueBackwardKernel<T>(a[0].as<T>(), a[1].as<T>(), present[2] ? a[2].as<T>() : nullptr,
                                present[3] ? a[3].as<T>() : nullptr, rows, cols, act);
  });
  return env.Undefined();
}

}  // namespace

void registerEpilogue(Napi::Env env, Napi::Object exports) {
  exports.Set("epilogueBackward", Napi::Function::New(env, EpilogueBackward, "epilogueBackward"));
}

}  // namespace tessera
