// native/elementwise: unary, binary (broadcast) and where kernels. Semantics follow the
// reference backend exactly: each op is defined on doubles and the result stored the way a JS
// typed-array store converts (float rounding, ToInt32, ToUint8); float ops whose float result
// equals that (add, mul, sqrt, floor, ...) run natively and vectorized, and float32 exp, log,
// tanh and sigmoid use vector polynomials within a few ulp.
#pragma once

#include "common.h"

namespace tessera {

// Order matches the names below (and the loader maps names to these codes).
enum class UnaryOp : int {
  Neg, Abs, Exp, Log, Log1p, Expm1, Sqrt, Rsqrt, Square, Reciprocal, Sin, Cos, Tan, Tanh, Sigmoid,
  Relu, Softplus, Erf, Sign, Floor, Ceil, Round, IsNaN, IsFinite, LogicalNot, Count
};
enum class BinaryOp : int {
  Add, Sub, Mul, Div, Pow, Maximum, Minimum, Mod, Atan2, Equal, NotEqual, Less, LessEqual, Greater,
  GreaterEqual, LogicalAnd, LogicalOr, LogicalXor, Count
};

inline constexpr const char* kUnaryNames[] = {
    "neg", "abs", "exp", "log", "log1p", "expm1", "sqrt", "rsqrt", "square", "reciprocal", "sin", "cos", "tan",
    "tanh", "sigmoid", "relu", "softplus", "erf", "sign", "floor", "ceil", "round", "isNaN", "isFinite",
    "logicalNot"};
inline constexpr const char* kBinaryNames[] = {
    "add", "sub", "mul", "div", "pow", "maximum", "minimum", "mod", "atan2", "equal", "notEqual", "less",
    "lessEqual", "greater", "greaterEqual", "logicalAnd", "logicalOr", "logicalXor"};
static_assert(sizeof(kUnaryNames) / sizeof(kUnaryNames[0]) == static_cast<int>(UnaryOp::Count));
static_assert(sizeof(kBinaryNames) / sizeof(kBinaryNames[0]) == static_cast<int>(BinaryOp::Count));

/** Most dimensions a broadcast view may have (far above any real tensor). */
constexpr int kMaxRank = 64;

/**
 * An output shape and, per operand, element strides into that operand (0 on broadcast axes).
 * Callers have checked that every operand index stays inside its array.
 */
struct BroadcastView {
  int rank = 0;
  int operands = 0;
  i64 shape[kMaxRank];
  i64 strides[3][kMaxRank];
};

/** out[i] = op(x[i]) for i < x.length (out.length == x.length). */
void unaryKernel(UnaryOp op, const Array& x, const Array& out);
/** out[idx] = op(a[idx . aStrides], b[idx . bStrides]); out is contiguous. */
void binaryKernel(BinaryOp op, const Array& a, const Array& b, const Array& out, BroadcastView view);
/** out[idx] = cond[...] ? a[...] : b[...], broadcast like binaryKernel (three operands). */
void whereKernel(const Array& cond, const Array& a, const Array& b, const Array& out, BroadcastView view);

/** Element-wise loops over contiguous runs, compiled once per ISA path (elementwise-isa.inc). */
struct ElementwiseIsa {
  /** out[i] = op(x[i]) for float32/float64 x and out of the same type; false if not handled. */
  bool (*unaryF32)(UnaryOp op, const float* x, float* out, i64 n);
  bool (*unaryF64)(UnaryOp op, const double* x, double* out, i64 n);
  /**
   * out[i] = op(a[i * sa], b[i * sb]) with sa, sb in {0, 1}; out is float (arithmetic) or
   * bytes (comparisons, logic). Returns false when the op is not handled here.
   */
  bool (*binaryF32)(BinaryOp op, const float* a, i64 sa, const float* b, i64 sb, void* out, i64 n);
  bool (*binaryF64)(BinaryOp op, const double* a, i64 sa, const double* b, i64 sb, void* out, i64 n);
  /** Softmax (or log-softmax) of one contiguous row of n values, out may alias x. */
  void (*softmaxRowF32)(const float* x, float* out, i64 n, bool log);
  void (*softmaxRowF64)(const double* x, double* out, i64 n, bool log);
};

const ElementwiseIsa& elementwiseScalar();
#if TESSERA_X86
const ElementwiseIsa& elementwiseAvx2();
const ElementwiseIsa& elementwiseAvx512();
#endif

}  // namespace tessera
