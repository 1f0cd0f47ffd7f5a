// native/elementwise-ops: the scalar meaning of every unary and binary op, on doubles, exactly
// as the reference backend (JS Math) defines it. The vector loops must agree with these.
#pragma once

#include <cmath>
#include <limits>

#include "common.h"
#include "elementwise.h"

namespace tessera {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/** Math.max: NaN if either is NaN, and +0 beats -0. */
TESSERA_INLINE double jsMax(double a, double b) {
  if (a != a || b != b) return kNaN;
  if (a == b) return std::signbit(a) ? b : a;
  return a > b ? a : b;
}
/** Math.min: NaN if either is NaN, and -0 beats +0. */
TESSERA_INLINE double jsMin(double a, double b) {
  if (a != a || b != b) return kNaN;
  if (a == b) return std::signbit(a) ? a : b;
  return a < b ? a : b;
}

/** The reference sigmoid: two forms so that neither overflows. */
TESSERA_INLINE double sigmoidRef(double x) {
  if (x >= 0) return 1.0 / (1.0 + std::exp(-x));
  const double e = std::exp(x);
  return e / (1.0 + e);
}

/** JS `a ** b`, which differs from C pow for a NaN exponent and for (+-1) ** +-Infinity. */
TESSERA_INLINE double jsPow(double a, double b) {
  if (b != b) return kNaN;
  if (std::isinf(b) && std::fabs(a) == 1.0) return kNaN;
  return std::pow(a, b);
}

/** Floored modulo (Python / NumPy `%`): the result takes the divisor's sign. */
TESSERA_INLINE double floorMod(double a, double b) {
  const double r = std::fmod(a, b);
  return r != 0 && ((r < 0) != (b < 0)) ? r + b : r;
}

/** Math.imul: both operands converted with ToInt32, the product wrapped to 32 bits. */
TESSERA_INLINE std::int32_t imulJs(double a, double b) {
  const std::uint32_t x = static_cast<std::uint32_t>(storeJs<std::int32_t>(a));
  const std::uint32_t y = static_cast<std::uint32_t>(storeJs<std::int32_t>(b));
  return static_cast<std::int32_t>(x * y);
}

/** The reference's int32 power: exact two's-complement wrapping by squaring with imul. */
inline double int32Pow(double a, double b) {
  if (b < 0) return std::trunc(jsPow(a, b));  // 1, -1 or 0 (or a division by zero for a == 0)
  std::int32_t result = 1;
  std::int32_t base = storeJs<std::int32_t>(a);
  for (double e = b; e > 0; e = std::floor(e / 2)) {
    if (std::fmod(e, 2.0) == 1.0) result = imulJs(result, base);
    base = imulJs(base, base);
  }
  return result;
}

/**
 * The reference computes int32 results of square, mul and pow with 32-bit wrapping (a float64
 * product could lose low bits before the store wraps it); other ops go through double.
 */
inline bool int32Exact(UnaryOp op) { return op == UnaryOp::Square; }
inline bool int32Exact(BinaryOp op) { return op == BinaryOp::Mul || op == BinaryOp::Pow; }

inline double unaryRef(UnaryOp op, double x) {
  switch (op) {
    case UnaryOp::Neg: return -x;
    case UnaryOp::Abs: return std::fabs(x);
    case UnaryOp::Exp: return std::exp(x);
    case UnaryOp::Log: return std::log(x);
    case UnaryOp::Log1p: return std::log1p(x);
    case UnaryOp::Expm1: return std::expm1(x);
    case UnaryOp::Sqrt: return std::sqrt(x);
    case UnaryOp::Rsqrt: return 1.0 / std::sqrt(x);
    case UnaryOp::Square: return x * x;
    case UnaryOp::Reciprocal: return 1.0 / x;
    case UnaryOp::Sin: return std::sin(x);
    case UnaryOp::Cos: return std::cos(x);
    case UnaryOp::Tan: return std::tan(x);
    case UnaryOp::Tanh: return std::tanh(x);
    case UnaryOp::Sigmoid: return sigmoidRef(x);
    case UnaryOp::Relu: return x > 0 ? x : (x == x ? 0.0 : x);
    case UnaryOp::Softplus: return jsMax(x, 0.0) + std::log1p(std::exp(-std::fabs(x)));
    case UnaryOp::Erf: return std::erf(x);
    case UnaryOp::Sign: return x > 0 ? 1.0 : (x < 0 ? -1.0 : x);
    case UnaryOp::Floor: return std::floor(x);
    case UnaryOp::Ceil: return std::ceil(x);
    case UnaryOp::Round: return std::nearbyint(x);  // default rounding mode: half to even
    case UnaryOp::IsNaN: return x != x ? 1.0 : 0.0;
    case UnaryOp::IsFinite: return std::isfinite(x) ? 1.0 : 0.0;
    case UnaryOp::LogicalNot: return x == 0 ? 1.0 : 0.0;
    case UnaryOp::Count: break;
  }
  return kNaN;
}

inline double binaryRef(BinaryOp op, double a, double b) {
  switch (op) {
    case BinaryOp::Add: return a + b;
    case BinaryOp::Sub: return a - b;
    case BinaryOp::Mul: return a * b;
    case BinaryOp::Div: return a / b;
    case BinaryOp::Pow: return jsPow(a, b);
    case BinaryOp::Maximum: return jsMax(a, b);
    case BinaryOp::Minimum: return jsMin(a, b);
    case BinaryOp::Mod: return floorMod(a, b);
    case BinaryOp::Atan2: return std::atan2(a, b);
    case BinaryOp::Equal: return a == b;
    case BinaryOp::NotEqual: return a != b;
    case BinaryOp::Less: return a < b;
    case BinaryOp::LessEqual: return a <= b;
    case BinaryOp::Greater: return a > b;
    case BinaryOp::GreaterEqual: return a >= b;
    case BinaryOp::LogicalAnd: return a != 0 && b != 0;
    case BinaryOp::LogicalOr: return a != 0 || b != 0;
    case BinaryOp::LogicalXor: return (a != 0) != (b != 0);
    case BinaryOp::Count: break;
  }
  return kNaN;
}

/** unaryRef, but with the reference's int32 rules when the result is stored as int32. */
inline double unaryRefFor(DType out, UnaryOp op, double x) {
  if (out == DType::Int32 && op == UnaryOp::Square) return imulJs(x, x);
  return unaryRef(op, x);
}
inline double binaryRefFor(DType out, BinaryOp op, double a, double b) {
  if (out == DType::Int32 && op == BinaryOp::Mul) return imulJs(a, b);
  if (out == DType::Int32 && op == BinaryOp::Pow) return int32Pow(a, b);
  return binaryRef(op, a, b);
}

/** Ops whose result is a 0/1 byte whatever the input type. */
inline bool binaryWritesBool(BinaryOp op) { return op >= BinaryOp::Equal; }
inline bool unaryWritesBool(UnaryOp op) { return op >= UnaryOp::IsNaN; }

}  // namespace tessera
