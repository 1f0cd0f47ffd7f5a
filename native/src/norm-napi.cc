// native/norm-napi: entry points of the layer-norm, RMS-norm and GELU kernels. Every array must be
// float32 or float64 (one dtype per call) and long enough for the shape; optional parameters
// (gamma, beta, scale and their gradients) may be null. Wrong types throw a TypeError, short
// arrays or bad sizes a RangeError, before any kernel runs.
//   layerNorm(x, gamma?, beta?, out, mean, rstd, rows, cols, epsilon)
//   layerNormBackward(dy, x, gamma?, mean, rstd, dx, dgamma?, dbeta?, rows, cols)
//   rmsNorm(x, scale?, out, rstd, rows, cols, epsilon)
//   rmsNormBackward(dy, x, scale?, rstd, dx, dscale?, rows, cols)
//   gelu(x, out, approximate)            (n = x.length)
//   geluBackward(x, dy, dx, approximate) (n = x.length)
//   swiglu(gate, up, out, n)
//   swigluBackward(gate, up, dy, dGate, dUp, n)
#include <string>
#include <type_traits>

#include "exports.h"
#include "napi-args.h"
#include "norm.h"

namespace tessera {
namespace {

/** How long an operand must be, in units of the shape. */
enum class Extent { Matrix, Cols, Rows };

struct Operand {
  const char* name;
  Extent extent;
  bool optional;
};

/** Reads the N operands (null allowed where optional), checks dtype and lengths, then rows, cols. */
template <int N>
NormShape readCall(const Napi::CallbackInfo& info, const char* op, const Operand (&spec)[N], bool withEpsilon,
                   Array (&arrays)[N], bool (&present)[N]) {
  const Napi::Env env = info.Env();
  const std::string prefix = std::string(op) + ": ";
  const std::size_t expected = N + 2 + (withEpsilon ? 1 : 0);
  if (info.Length() < expected) throwType(env, prefix + "expected " + std::to_string(expected) + " arguments");
  bool haveDtype = false;
  DType dtype = DType::Float32;
  for (int i = 0; i < N; i++) {
    present[i] = !(spec[i].optional && isNullish(info[i]));
    if (!present[i]) continue;
    arrays[i] = arrayArg(info, i, (prefix + spec[i].name).c_str());
    if (arrays[i].dtype != DType::Float32 && arrays[i].dtype != DType::Float64)
      throwType(env, prefix + spec[i].name + " must be a Float32Array or Float64Array");
    if (haveDtype && arrays[i].dtype != dtype) throwType(env, prefix + "all arrays must share one dtype");
    dtype = arrays[i].dtype;
    haveDtype = true;
  }
  NormShape s;
  s.rows = intArg(info, N, (prefix + "rows").c_str());
  s.cols = intArg(info, N + 1, (prefix + "cols").c_str());
  if (withEpsilon) {
    double eps = 0;
    if (napi_get_value_double(env, info[N + 2], &eps) != napi_ok) throwType(env, prefix + "epsilon must be a number");
    if (!std::isfinite(eps)) throwRange(env, prefix + "epsilon must be finite");
    s.epsilon = eps;
  }
  const i64 matrix = mulCapped(s.rows, s.cols);
  if (matrix > kMaxCount) throwRange(env, prefix + "rows x cols is too large");
  for (int i = 0; i < N; i++) {
    if (!present[i]) continue;
    const i64 needed = spec[i].extent == Extent::Matrix ? matrix : spec[i].extent == Extent::Cols ? s.cols : s.rows;
    requireLength(env, arrays[i], needed, (prefix + spec[i].name).c_str());
  }
  return s;
}

template <typename T>
const T* in(const Array& a, bool present) {
  return present ? a.as<T>() : nullptr;
}
template <typename T>
T* outArg(const Array& a, bool present) {
  return present ? a.as<T>() : nullptr;
}

Napi::Value LayerNorm(const Napi::CallbackInfo& info) {
  static const Operand spec[] = {{"x", Extent::Matrix, false},   {"gamma", Extent::Cols, true},
                                 {"beta", Extent::Cols, true},   {"out", Extent::Matrix, false},
                                 {"mean", Extent::Rows, false},  {"rstd", Extent::Rows, false}};
  Array a[6];
  bool p[6];
  const NormShape s = readCall(info, "layerNorm", spec, true, a, p);
  withDType(a[0].dtype, [&](auto zero) {
    using T = decltype(zero);
    if constexpr (std::is_floating_point_v<T>)
      layerNormKernel<T>(a[0].as<T>(), in<T>(a[1], p[1]), in<T>(a[2], p[2]), a[3].as<T>(), a[4].as<T>(),
                         a[5].as<T>(), s);
  });
  return info.Env().Undefined();
}

Napi::Value LayerNormBackward(const Napi::CallbackInfo& info) {
  static const Operand spec[] = {{"dy", Extent::Matrix, false},   {"x", Extent::Matrix, false},
                                 {"gamma", Extent::Cols, true},    {"mean", Extent::Rows, false},
                                 {"rstd", Extent::Rows, false},    {"dx", Extent::Matrix, false},
                                 {"dgamma", Extent::Cols, true},   {"dbeta", Extent::Cols, true}};
  Array a[8];
  bool p[8];
  const NormShape s = readCall(info, "layerNormBackward", spec, false, a, p);
  withDType(a[0].dtype, [&](auto zero) {
    using T = decltype(zero);
    if constexpr (std::is_floating_point_v<T>)
      layerNormBackwardKernel<T>(a[0].as<T>(), a[1].as<T>(), in<T>(a[2], p[2]), a[3].as<T>(), a[4].as<T>(),
                                 a[5].as<T>(), outArg<T>(a[6], p[6]), outArg<T>(a[7], p[7]), s);
  });
  return info.Env().Undefined();
}

Napi::Value RmsNorm(const Napi::CallbackInfo& info) {
  static const Operand spec[] = {{"x", Extent::Matrix, false},
                                 {"scale", Extent::Cols, true},
                                 {"out", Extent::Matrix, false},
                                 {"rstd", Extent::Rows, false}};
  Array a[4];
  bool p[4];
  const NormShape s = readCall(info, "rmsNorm", spec, true, a, p);
  withDType(a[0].dtype, [&](auto zero) {
    using T = decltype(zero);
    if constexpr (std::is_floating_point_v<T>)
      rmsNormKernel<T>(a[0].as<T>(), in<T>(a[1], p[1]), a[2].as<T>(), a[3].as<T>(), s);
  });
  return info.Env().Undefined();
}

Napi::Value RmsNormBackward(const Napi::CallbackInfo& info) {
  static const Operand spec[] = {{"dy", Extent::Matrix, false}, {"x", Extent::Matrix, false},
                                 {"scale", Extent::Cols, true},  {"rstd", Extent::Rows, false},
                                 {"dx", Extent::Matrix, false},  {"dscale", Extent::Cols, true}};
  Array a[6];
  bool p[6];
  const NormShape s = readCall(info, "rmsNormBackward", spec, false, a, p);
  withDType(a[0].dtype, [&](auto zero) {
    using T = decltype(zero);
    if constexpr (std::is_floating_point_v<T>)
      rmsNormBackwardKernel<T>(a[0].as<T>(), a[1].as<T>(), in<T>(a[2], p[2]), a[3].as<T>(), a[4].as<T>(),
                               outArg<T>(a[5], p[5]), s);
  });
  return info.Env().Undefined();
}

/** Reads N float arrays of one dtype, each at least as long as the first, and the approximate flag. */
template <int N>
bool readGelu(const Napi::CallbackInfo& info, const char* op, const char* const (&names)[N], Array (&arrays)[N]) {
  const Napi::Env env = info.Env();
  const std::string prefix = std::string(op) + ": ";
  if (info.Length() < static_cast<std::size_t>(N + 1))
    throwType(env, prefix + "expected " + std::to_string(N + 1) + " arguments");
  for (int i = 0; i < N; i++) {
    arrays[i] = arrayArg(info, i, (prefix + names[i]).c_str());
    if (arrays[i].dtype != DType::Float32 && arrays[i].dtype != DType::Float64)
      throwType(env, prefix + names[i] + " must be a Float32Array or Float64Array");
    if (arrays[i].dtype != arrays[0].dtype) throwType(env, prefix + "all arrays must share one dtype");
    requireLength(env, arrays[i], arrays[0].length, (prefix + names[i]).c_str());
  }
  return boolArg(info, N);
}

Napi::Value Gelu(const Napi::CallbackInfo& info) {
  static const char* const names[] = {"x", "out"};
  Array a[2];
  const bool approximate = readGelu(info, "gelu", names, a);
  withDType(a[0].dtype, [&](auto zero) {
    using T = decltype(zero);
    if constexpr (std::is_floating_point_v<T>) geluKernel<T>(a[0].as<T>(), a[1].as<T>(), a[0].length, approximate);
  });
  return info.Env().Undefined();
}

Napi::Value GeluBackward(const Napi::CallbackInfo& info) {
  static const char* const names[] = {"x", "dy", "dx"};
  Array a[3];
  const bool approximate = readGelu(info, "geluBackward", names, a);
  withDType(a[0].dtype, [&](auto zero) {
    using T = decltype(zero);
    if constexpr (std::is_floating_point_v<T>)
      geluBackwardKernel<T>(a[0].as<T>(), a[1].as<T>(), a[2].as<T>(), a[0].length, approximate);
  });
  return info.Env().Undefined();
}

/** Reads N float arrays of one dtype, each at least n long, and n (the last argument). */
template <int N>
i64 readSwiglu(const Napi::CallbackInfo& info, const char* op, const char* const (&names)[N], Array (&arrays)[N]) {
  const Napi::Env env = info.Env();
  const std::string prefix = std::string(op) + ": ";
  if (info.Length() < static_cast<std::size_t>(N + 1))
    throwType(env, prefix + "expected " + std::to_string(N + 1) + " arguments");
  const i64 n = intArg(info, N, (prefix + "n").c_str());
  for (int i = 0; i < N; i++) {
    arrays[i] = arrayArg(info, i, (prefix + names[i]).c_str());
    if (arrays[i].dtype != DType::Float32 && arrays[i].dtype != DType::Float64)
      throwType(env, prefix + names[i] + " must be a Float32Array or Float64Array");
    if (arrays[i].dtype != arrays[0].dtype) throwType(env, prefix + "all arrays must share one dtype");
    requireLength(env, arrays[i], n, (prefix + names[i]).c_str());
  }
  return n;
}

Napi::Value Swiglu(const Napi::CallbackInfo& info) {
  static const char* const names[] = {"gate", "up", "out"};
  Array a[3];
  const i64 n = readSwiglu(info, "swiglu", names, a);
  withDType(a[0].dtype, [&](auto zero) {
    using T = decltype(zero);
    if constexpr (std::is_floating_point_v<T>) swigluKernel<T>(a[0].as<T>(), a[1].as<T>(), a[2].as<T>(), n);
  });
  return info.Env().Undefined();
}

Napi::Value SwigluBackward(const Napi::CallbackInfo& info) {
  static const char* const names[] = {"gate", "up", "dy", "dGate", "dUp"};
  Array a[5];
  const i64 n = readSwiglu(info, "swigluBackward", names, a);
  withDType(a[0].dtype, [&](auto zero) {
    using T = decltype(zero);
    if constexpr (std::is_floating_point_v<T>)
      swigluBackwardKernel<T>(a[0].as<T>(), a[1].as<T>(), a[2].as<T>(), a[3].as<T>(), a[4].as<T>(), n);
  });
  return info.Env().Undefined();
}

}  // namespace

void registerNorm(Napi::Env env, Napi::Object exports) {
  exports.Set("layerNorm", Napi::Function::New(env, LayerNorm, "layerNorm"));
  exports.Set("layerNormBackward", Napi::Function::New(env, LayerNormBackward, "layerNormBackward"));
  exports.Set("rmsNorm", Napi::Function::New(env, RmsNorm, "rmsNorm"));
  exports.Set("rmsNormBackward", Napi::Function::New(env, RmsNormBackward, "rmsNormBackward"));
  exports.Set("gelu", Napi::Function::New(env, Gelu, "gelu"));
  exports.Set("geluBackward", Napi::Function::New(env, GeluBackward, "geluBackward"));
  exports.Set("swiglu", Napi::Function::New(env, Swiglu, "swiglu"));
  exports.Set("swigluBackward", Napi::Function::New(env, SwigluBackward, "swigluBackward"));
}

}  // namespace tessera
