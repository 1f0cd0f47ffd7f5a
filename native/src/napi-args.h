// native/napi-args: argument checking for the N-API entry points. Every length, count and
// stride is validated here, before any kernel runs, so a wrong call throws a JS error instead
// of reading or writing outside a typed array.
#pragma once

#include <napi.h>

#include <cstdint>
#include <string>

#include "common.h"

namespace tessera {

using ArrayArg = Array;

/** Largest count accepted anywhere (2^53: exact in a double, far above any real array). */
constexpr i64 kMaxCount = i64{1} << 53;

[[noreturn]] inline void throwType(const Napi::Env& env, const std::string& message) {
  throw Napi::TypeError::New(env, "tessera native: " + message);
}
[[noreturn]] inline void throwRange(const Napi::Env& env, const std::string& message) {
  throw Napi::RangeError::New(env, "tessera native: " + message);
}

inline ArrayArg arrayArg(const Napi::CallbackInfo& info, std::size_t index, const char* what) {
  const Napi::Env env = info.Env();
  napi_value value = info[index];
  bool isTyped = false;
  if (napi_is_typedarray(env, value, &isTyped) != napi_ok || !isTyped)
    throwType(env, std::string(what) + " must be a typed array");
  napi_typedarray_type type;
  std::size_t length = 0;
  void* data = nullptr;
  if (napi_get_typedarray_info(env, value, &type, &length, &data, nullptr, nullptr) != napi_ok)
    throwType(env, std::string(what) + ": cannot read typed array");
  ArrayArg arg;
  arg.data = data;
  arg.length = static_cast<i64>(length);
  switch (type) {
    case napi_float32_array:
      arg.dtype = DType::Float32;
      break;
    case napi_float64_array:
      arg.dtype = DType::Float64;
      break;
    case napi_int32_array:
      arg.dtype = DType::Int32;
      break;
    case napi_uint8_array:
      arg.dtype = DType::Uint8;
      break;
    default:
      throwType(env, std::string(what) + " must be a Float32Array, Float64Array, Int32Array or Uint8Array");
  }
  return arg;
}

inline bool isNullish(const Napi::Value& v) { return v.IsNull() || v.IsUndefined(); }

/** An integer argument in [lo, hi]. */
inline i64 intArg(const Napi::CallbackInfo& info, std::size_t index, const char* what, i64 lo = 0,
                  i64 hi = kMaxCount) {
  const Napi::Env env = info.Env();
  double v = 0;
  if (napi_get_value_double(env, info[index], &v) != napi_ok) throwType(env, std::string(what) + " must be a number");
  if (!(v >= static_cast<double>(lo) && v <= static_cast<double>(hi)) || v != std::floor(v))
    throwRange(env, std::string(what) + " must be an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) +
                        "] (got " + std::to_string(v) + ")");
  return static_cast<i64>(v);
}

inline bool boolArg(const Napi::CallbackInfo& info, std::size_t index) {
  bool v = false;
  if (napi_get_value_bool(info.Env(), info[index], &v) == napi_ok) return v;
  return intArg(info, index, "flag", 0, 1) != 0;
}

/** a * b, saturating at kMaxCount (inputs are non-negative and at most kMaxCount). */
inline i64 mulCapped(i64 a, i64 b) {
  if (a == 0 || b == 0) return 0;
  if (a > kMaxCount / b) return kMaxCount + 1;
  return a * b;
}

inline void requireLength(const Napi::Env& env, const ArrayArg& arg, i64 needed, const char* what) {
  if (arg.length < needed)
    throwRange(env, std::string(what) + " has " + std::to_string(arg.length) + " elements, needs " +
                        std::to_string(needed));
}

/**
 * Reads `count` integers starting at `offset` of a Float64Array the JS loader packed (shapes,
 * strides, offsets), checking that each is an integer in [lo, hi].
 */
inline void metaInts(const Napi::Env& env, const ArrayArg& meta, i64 offset, i64 count, i64 lo, i64 hi, i64* out,
                     const char* what) {
  if (meta.dtype != DType::Float64) throwType(env, "meta must be a Float64Array");
  if (offset < 0 || count < 0 || offset + count > meta.length) throwRange(env, std::string(what) + ": meta too short");
  const double* v = meta.as<double>() + offset;
  for (i64 i = 0; i < count; i++) {
    if (!(v[i] >= static_cast<double>(lo) && v[i] <= static_cast<double>(hi)) || v[i] != std::floor(v[i]))
      throwRange(env, std::string(what) + ": expected integers in [" + std::to_string(lo) + ", " + std::to_string(hi) +
                          "] (got " + std::to_string(v[i]) + ")");
    out[i] = static_cast<i64>(v[i]);
  }
}

}  // namespace tessera
