// native/reduce: reductions, cumulative sums and softmax over the middle axis of an
// [outer, size, inner] view, as the reference defines them (sums and products accumulate in
// double; max/min/argmax/argmin let NaN win; any/all test against 0).
#pragma once

#include "common.h"

namespace tessera {

enum class ReduceOp : int { Sum, Prod, Max, Min, Argmax, Argmin, Any, All, Count };
inline constexpr const char* kReduceNames[] = {"sum", "prod", "max", "min", "argmax", "argmin", "any", "all"};
static_assert(sizeof(kReduceNames) / sizeof(kReduceNames[0]) == static_cast<int>(ReduceOp::Count));

/** out[o, j] = reduce over t of x[o, t, j]; out holds outer * inner values (indices for arg*). */
void reduceKernel(ReduceOp op, const Array& x, i64 outer, i64 size, i64 inner, const Array& out);
/** Inclusive running sum along t (from the end when reverse). */
void cumsumKernel(const Array& x, i64 outer, i64 size, i64 inner, bool reverse, const Array& out);
/** Softmax or log-softmax along t; x and out are float32 or float64 of one type. */
void softmaxKernel(const Array& x, i64 outer, i64 size, i64 inner, bool log, const Array& out);

}  // namespace tessera
