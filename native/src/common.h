// native/common: small shared definitions for every translation unit of the addon: integer
// types, the instruction-set enum, aligned scratch buffers and JS-compatible number conversions.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>

#if defined(__x86_64__) || defined(_M_X64)
#define TESSERA_X86 1
#else
#define TESSERA_X86 0
#endif

#define TESSERA_INLINE inline __attribute__((always_inline))

namespace tessera {

using i64 = std::int64_t;

/** Instruction-set paths compiled into the addon, from most portable to fastest. */
enum class Isa : int { Scalar = 0, Avx2 = 1, Avx512 = 2 };

/** Activations the GEMM epilogue fuses after the bias add (same order as the JS side). */
enum class Activation : int { None = 0, Relu = 1, Sigmoid = 2, Tanh = 3 };

/** Element types of the typed arrays Tessera uses (bool is stored as 0/1 bytes). */
enum class DType { Float32, Float64, Int32, Uint8 };

/** A typed array's memory, borrowed for the duration of one call (zero-copy). */
struct Array {
  void* data = nullptr;
  i64 length = 0;
  DType dtype = DType::Float32;

  template <typename T>
  T* as() const {
    return static_cast<T*>(data);
  }
};

/** Calls f(T{}) with T the C++ element type of `dtype`. */
template <typename F>
TESSERA_INLINE decltype(auto) withDType(DType dtype, F&& f) {
  switch (dtype) {
    case DType::Float32:
      return f(float{});
    case DType::Float64:
      return f(double{});
    case DType::Int32:
      return f(std::int32_t{});
    case DType::Uint8:
      break;
  }
  return f(std::uint8_t{});
}

/** A 64-byte aligned, growable scratch buffer (contents are not preserved on growth). */
class AlignedBuffer {
 public:
  AlignedBuffer() = default;
  AlignedBuffer(const AlignedBuffer&) = delete;
  AlignedBuffer& operator=(const AlignedBuffer&) = delete;
  ~AlignedBuffer() { std::free(data_); }

  /** At least `bytes` of 64-byte aligned memory. */
  void* reserve(std::size_t bytes) {
    if (bytes <= capacity_) return data_;
    std::free(data_);
    std::size_t rounded = (bytes + 4095) & ~static_cast<std::size_t>(4095);
    data_ = std::aligned_alloc(64, rounded);
    if (data_ == nullptr) {
      capacity_ = 0;
      throw std::bad_alloc();
    }
    capacity_ = rounded;
    return data_;
  }

 private:
  void* data_ = nullptr;
  std::size_t capacity_ = 0;
};

/**
 * Converts a double the way a JS typed-array store does (ToInt32 / ToUint8 / float rounding),
 * so native kernels write exactly what the reference kernels write.
 */
template <typename T>
TESSERA_INLINE T storeJs(double v);

template <>
TESSERA_INLINE double storeJs<double>(double v) {
  return v;
}
template <>
TESSERA_INLINE float storeJs<float>(double v) {
  return static_cast<float>(v);
}
/** ECMAScript ToInt32: NaN and infinities give 0, otherwise truncate and wrap modulo 2^32. */
template <>
TESSERA_INLINE std::int32_t storeJs<std::int32_t>(double v) {
  if (v > -2147483649.0 && v < 2147483648.0) return static_cast<std::int32_t>(v);
  if (!std::isfinite(v)) return 0;
  double t = std::fmod(std::trunc(v), 4294967296.0);
  if (t < 0) t += 4294967296.0;
  return static_cast<std::int32_t>(static_cast<std::uint32_t>(t));
}
/** ECMAScript ToUint8: NaN and infinities give 0, otherwise truncate and wrap modulo 256. */
template <>
TESSERA_INLINE std::uint8_t storeJs<std::uint8_t>(double v) {
  if (v >= 0.0 && v < 256.0) return static_cast<std::uint8_t>(v);
  if (!std::isfinite(v)) return 0;
  double t = std::fmod(std::trunc(v), 256.0);
  if (t < 0) t += 256.0;
  return static_cast<std::uint8_t>(t);
}

}  // namespace tessera
