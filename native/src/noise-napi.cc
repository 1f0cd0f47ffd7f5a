// native/noise-napi: the entry points of the Gaussian-noise and dropout kernels. out must be a Float32Array or
// Float64Array of at least n elements; std and scale finite numbers; the key and stream words
// uint32; the block offset an integer with offset + ceil(n / 4) <= 2^53. Wrong types throw a
// TypeError, short arrays or bad values a RangeError, before the kernel runs.
//   gaussianNoise(out, n, std, scale, key0, key1, stream, offset)
//   dropout(x, out, n, scale, threshold, key0, key1, stream, offset)   (threshold in [0, 2^32])
#include <cmath>
#include <string>
#include <type_traits>

#include "exports.h"
#include "napi-args.h"
#include "noise.h"

namespace tessera {
namespace {

double finiteArg(const Napi::CallbackInfo& info, std::size_t index, const char* what) {
  double v = 0;
  if (napi_get_value_double(info.Env(), info[index], &v) != napi_ok)
    throwType(info.Env(), std::string("gaussianNoise: ") + what + " must be a number");
  if (!std::isfinite(v)) throwRange(info.Env(), std::string("gaussianNoise: ") + what + " must be finite");
  return v;
}

Napi::Value GaussianNoise(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  if (info.Length() < 8) throwType(env, "gaussianNoise: expected 8 arguments");
  const Array out = arrayArg(info, 0, "gaussianNoise: out");
  if (out.dtype != DType::Float32 && out.dtype != DType::Float64)
    throwType(env, "gaussianNoise: out must be a Float32Array or Float64Array");
  NoiseCall call;
  call.n = intArg(info, 1, "gaussianNoise: n");
  requireLength(env, out, call.n, "gaussianNoise: out");
  call.std = finiteArg(info, 2, "std");
  call.scale = finiteArg(info, 3, "scale");
  constexpr i64 kMaxWord = 0xffffffffll;
  call.key0 = static_cast<std::uint32_t>(intArg(info, 4, "gaussianNoise: key0", 0, kMaxWord));
  call.key1 = static_cast<std::uint32_t>(intArg(info, 5, "gaussianNoise: key1", 0, kMaxWord));
  call.stream = static_cast<std::uint32_t>(intArg(info, 6, "gaussianNoise: stream", 0, kMaxWord));
  call.offset = static_cast<std::uint64_t>(intArg(info, 7, "gaussianNoise: offset", 0, kMaxCount - (call.n + 3) / 4));
  withDType(out.dtype, [&](auto zero) {
    using T = decltype(zero);
    if constexpr (std::is_floating_point_v<T>) gaussianNoiseKernel<T>(out.as<T>(), call);
  });
  return env.Undefined();
}

/** dropout(x, out, n, scale, threshold, key0, key1, stream, offset); dropoutBackward takes dy, dx. */
Napi::Value Dropout(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  if (info.Length() < 9) throwType(env, "dropout: expected 9 arguments");
  const Array x = arrayArg(info, 0, "dropout: x");
  const Array out = arrayArg(info, 1, "dropout: out");
  if (out.dtype != DType::Float32 && out.dtype != DType::Float64)
    throwType(env, "dropout: out must be a Float32Array or Float64Array");
  if (x.dtype != out.dtype) throwType(env, "dropout: x and out must have the same type");
  NoiseCall call;
  call.n = intArg(info, 2, "dropout: n");
  requireLength(env, x, call.n, "dropout: x");
  requireLength(env, out, call.n, "dropout: out");
  double scale = 0;
  if (napi_get_value_double(env, info[3], &scale) != napi_ok) throwType(env, "dropout: scale must be a number");
  if (!std::isfinite(scale)) throwRange(env, "dropout: scale must be finite");
  call.scale = scale;
  constexpr i64 kMaxWord = 0xffffffffll;
  call.threshold = static_cast<std::uint64_t>(intArg(info, 4, "dropout: threshold", 0, kMaxWord + 1));
  call.key0 = static_cast<std::uint32_t>(intArg(info, 5, "dropout: key0", 0, kMaxWord));
  call.key1 = static_cast<std::uint32_t>(intArg(info, 6, "dropout: key1", 0, kMaxWord));
  call.stream = static_cast<std::uint32_t>(intArg(info, 7, "dropout: stream", 0, kMaxWord));
  call.offset = static_cast<std::uint64_t>(intArg(info, 8, "dropout: offset", 0, kMaxCount - (call.n + 3) / 4));
  if (out.dtype == DType::Float64) dropoutKernel<double>(x.as<const double>(), out.as<double>(), call);
  else dropoutKernel<float>(x.as<const float>(), out.as<float>(), call);
  return env.Undefined();
}

}  // namespace

void registerNoise(Napi::Env env, Napi::Object exports) {
  exports.Set("gaussianNoise", Napi::Function::New(env, GaussianNoise, "gaussianNoise"));
  // the adjoint is the same mask on dy (backend/fused/dropout)
  exports.Set("dropout", Napi::Function::New(env, Dropout, "dropout"));
  exports.Set("dropoutBackward", Napi::Function::New(env, Dropout, "dropoutBackward"));
}

}  // namespace tessera
