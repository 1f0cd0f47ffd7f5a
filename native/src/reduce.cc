// native/reduce: reductions over the middle axis of [outer, size, inner]. Three shapes of work:
//   inner == 1, many rows: each row reduced by one thread (8 independent lanes, then combined);
//   inner == 1, few long rows: each row split into fixed chunks reduced in parallel and combined
//     in order, so the result does not depend on the thread count;
//   inner > 1: blocks of columns accumulated row by row over t, in the reference's order.
#include "reduce.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <type_traits>
#include <vector>

#include "parallel.h"

#if TESSERA_X86
#include <immintrin.h>
#endif

namespace tessera {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr i64 kChunk = 1 << 16;       // elements per partial when one row is split
constexpr i64 kMinPerThread = 1 << 15;  // elements a thread must get before a second one helps
constexpr i64 kColumnBlock = 256;     // columns accumulated together when inner > 1

/** The running state of one reduction; partials over consecutive ranges combine in order. */
struct Partial {
  double value = 0;
  i64 index = 0;     // arg*: position of the best value so far
  i64 nanAt = -1;    // first NaN position (max/min/arg*), -1 if none
  bool empty = true;
};

double identity(ReduceOp op) {
  switch (op) {
    case ReduceOp::Sum: case ReduceOp::Any: return 0;
    case ReduceOp::Prod: case ReduceOp::All: return 1;
    case ReduceOp::Max: case ReduceOp::Argmax: return -kInf;
    default: return kInf;
  }
}

/** Max (or min) of x[t0:t1] (ignoring NaN) and whether a NaN occurs; empty gives -inf (+inf). */
template <typename In, bool kMax>
double extremeOfRow(const In* x, i64 t0, i64 t1, bool& nan) {
  double best = kMax ? -kInf : kInf;
  bool anyNan = false;
  for (i64 t = t0; t < t1; t++) {
    const double v = static_cast<double>(x[t]);
    anyNan |= v != v;
    best = kMax ? (v > best ? v : best) : (v < best ? v : best);
  }
  nan = anyNan;
  return best;
}

#if TESSERA_X86
/**
 * float32 rows with SSE2 (baseline x86-64): four 4-lane accumulators. max_ps(v, m) is exactly
 * `v > m ? v : m`, so a NaN never wins a lane; an unordered self-compare flags it instead.
 */
template <bool kMax>
double extremeOfRowF32(const float* x, i64 t0, i64 t1, bool& nan) {
  if (t1 - t0 < 16) return extremeOfRow<float, kMax>(x, t0, t1, nan);
  __m128 m[4];
  __m128 unordered = _mm_setzero_ps();
  for (int j = 0; j < 4; j++) m[j] = _mm_set1_ps(x[t0]);
  i64 t = t0;
  for (; t + 16 <= t1; t += 16) {
    for (int j = 0; j < 4; j++) {
      const __m128 v = _mm_loadu_ps(x + t + 4 * j);
      unordered = _mm_or_ps(unordered, _mm_cmpunord_ps(v, v));
      m[j] = kMax ? _mm_max_ps(v, m[j]) : _mm_min_ps(v, m[j]);
    }
  }
  float lanes[16];
  for (int j = 0; j < 4; j++) _mm_storeu_ps(lanes + 4 * j, m[j]);
  bool tailNan = false;
  double best = extremeOfRow<float, kMax>(x, t, t1, tailNan);
  for (float v : lanes) best = kMax ? (v > best ? v : best) : (v < best ? v : best);
  nan = tailNan || _mm_movemask_ps(unordered) != 0;
  return best;
}
#endif

/** Reduces x[t * stride] for t in [t0, t1) into a fresh partial. */
template <typename In>
Partial reduceRange(ReduceOp op, const In* x, i64 stride, i64 t0, i64 t1) {
  Partial p;
  p.value = identity(op);
  p.empty = t0 >= t1;
  switch (op) {
    case ReduceOp::Sum: {
      if (stride == 1) {  // 8 independent double lanes: vectorizes, and stays accurate
        double lanes[8] = {0, 0, 0, 0, 0, 0, 0, 0};
        i64 t = t0;
        for (; t + 8 <= t1; t += 8)
          for (int j = 0; j < 8; j++) lanes[j] += static_cast<double>(x[t + j]);
        double acc = 0;
        for (; t < t1; t++) acc += static_cast<double>(x[t]);
        for (int j = 0; j < 8; j++) acc += lanes[j];
        p.value = acc;
      } else {
        double acc = 0;
        for (i64 t = t0; t < t1; t++) acc += static_cast<double>(x[t * stride]);
        p.value = acc;
      }
      return p;
    }
    case ReduceOp::Prod: {
      if constexpr (std::is_same_v<In, std::int32_t>) {
        // int32 products wrap exactly (Math.imul), as the reference computes them
        std::uint32_t acc = 1;
        for (i64 t = t0; t < t1; t++) acc *= static_cast<std::uint32_t>(x[t * stride]);
        p.value = static_cast<std::int32_t>(acc);
      } else {
        double acc = 1;
        for (i64 t = t0; t < t1; t++) acc *= static_cast<double>(x[t * stride]);
        p.value = acc;
      }
      return p;
    }
    case ReduceOp::Max:
    case ReduceOp::Min: {
      const bool isMax = op == ReduceOp::Max;
      if (stride == 1) {
        bool nan = false;
#if TESSERA_X86
        if constexpr (std::is_same_v<In, float>)
          p.value = isMax ? extremeOfRowF32<true>(x, t0, t1, nan) : extremeOfRowF32<false>(x, t0, t1, nan);
        else
#endif
          p.value = isMax ? extremeOfRow<In, true>(x, t0, t1, nan) : extremeOfRow<In, false>(x, t0, t1, nan);
        if (nan) p.nanAt = t0;  // max / min only need to know that there was one
        return p;
      }
      double best = p.value;
      for (i64 t = t0; t < t1; t++) {
        const double v = static_cast<double>(x[t * stride]);
        if (v != v) {
          p.nanAt = t;
          break;
        }
        best = isMax ? (v > best ? v : best) : (v < best ? v : best);
      }
      p.value = best;
      return p;
    }
    case ReduceOp::Argmax:
    case ReduceOp::Argmin: {
      const bool isMax = op == ReduceOp::Argmax;
      for (i64 t = t0; t < t1; t++) {
        const double v = static_cast<double>(x[t * stride]);
        if (v != v) {
          p.nanAt = t;
          break;
        }
        if (t == t0 || (isMax ? v > p.value : v < p.value)) {
          p.value = v;
          p.index = t;
        }
      }
      return p;
    }
    case ReduceOp::Any:
      for (i64 t = t0; t < t1; t++)
        if (x[t * stride] != 0) {
          p.value = 1;
          break;
        }
      return p;
    case ReduceOp::All:
      for (i64 t = t0; t < t1; t++)
        if (x[t * stride] == 0) {
          p.value = 0;
          break;
        }
      return p;
    case ReduceOp::Count: break;
  }
  return p;
}

/** left then right (right covers later positions); int32 products wrap like Math.imul. */
Partial combine(ReduceOp op, const Partial& left, const Partial& right, bool int32Input) {
  if (right.empty) return left;
  if (left.empty) return right;
  if (left.nanAt >= 0) return left;
  if (right.nanAt >= 0) return right;
  Partial p = left;
  switch (op) {
    case ReduceOp::Sum: p.value = left.value + right.value; break;
    case ReduceOp::Prod:
      p.value = int32Input ? static_cast<double>(static_cast<std::int32_t>(
                                 static_cast<std::uint32_t>(static_cast<std::int32_t>(left.value)) *
                                 static_cast<std::uint32_t>(static_cast<std::int32_t>(right.value))))
                           : left.value * right.value;
      break;
    case ReduceOp::Max: p.value = std::max(left.value, right.value); break;
    case ReduceOp::Min: p.value = std::min(left.value, right.value); break;
    case ReduceOp::Argmax: if (right.value > left.value) p = right; break;
    case ReduceOp::Argmin: if (right.value < left.value) p = right; break;
    case ReduceOp::Any: p.value = (left.value != 0 || right.value != 0) ? 1 : 0; break;
    case ReduceOp::All: p.value = (left.value != 0 && right.value != 0) ? 1 : 0; break;
    case ReduceOp::Count: break;
  }
  return p;
}

/** The number the reference writes for a finished reduction. */
double result(ReduceOp op, const Partial& p) {
  const bool arg = op == ReduceOp::Argmax || op == ReduceOp::Argmin;
  if (p.nanAt >= 0) return arg ? static_cast<double>(p.nanAt) : std::numeric_limits<double>::quiet_NaN();
  return arg ? static_cast<double>(p.index) : p.value;
}

template <typename Out>
void storeResult(const Array& out, i64 at, double v) {
  out.as<Out>()[at] = storeJs<Out>(v);
}

/** Columns [j0, j1) of row block o (inner > 1), accumulated over t in order. */
template <typename In, typename Out>
void reduceColumns(ReduceOp op, const In* x, i64 size, i64 inner, i64 o, i64 j0, i64 j1, const Array& out) {
  const In* base = x + o * size * inner;
  const i64 width = j1 - j0;
  if (op == ReduceOp::Argmax || op == ReduceOp::Argmin) {
    for (i64 j = j0; j < j1; j++)
      storeResult<Out>(out, o * inner + j, result(op, reduceRange(op, base + j, inner, 0, size)));
    return;
  }
  double acc[kColumnBlock];
  bool nan[kColumnBlock];
  const double init = identity(op);
  for (i64 j = 0; j < width; j++) {
    acc[j] = init;
    nan[j] = false;
  }
  for (i64 t = 0; t < size; t++) {
    const In* row = base + t * inner + j0;
    switch (op) {
      case ReduceOp::Sum: for (i64 j = 0; j < width; j++) acc[j] += static_cast<double>(row[j]); break;
      case ReduceOp::Prod:
        if constexpr (std::is_same_v<In, std::int32_t>) {
          for (i64 j = 0; j < width; j++)
            acc[j] = static_cast<std::int32_t>(static_cast<std::uint32_t>(static_cast<std::int32_t>(acc[j])) *
                                               static_cast<std::uint32_t>(row[j]));
        } else {
          for (i64 j = 0; j < width; j++) acc[j] *= static_cast<double>(row[j]);
        }
        break;
      case ReduceOp::Max:
        for (i64 j = 0; j < width; j++) {
          const double v = static_cast<double>(row[j]);
          nan[j] |= v != v;
          acc[j] = v > acc[j] ? v : acc[j];
        }
        break;
      case ReduceOp::Min:
        for (i64 j = 0; j < width; j++) {
          const double v = static_cast<double>(row[j]);
          nan[j] |= v != v;
          acc[j] = v < acc[j] ? v : acc[j];
        }
        break;
      case ReduceOp::Any: for (i64 j = 0; j < width; j++) acc[j] = (acc[j] != 0 || row[j] != 0) ? 1 : 0; break;
      case ReduceOp::All: for (i64 j = 0; j < width; j++) acc[j] = (acc[j] != 0 && row[j] != 0) ? 1 : 0; break;
      default: break;
    }
  }
  for (i64 j = 0; j < width; j++)
    storeResult<Out>(out, o * inner + j0 + j, nan[j] ? std::numeric_limits<double>::quiet_NaN() : acc[j]);
}

template <typename In, typename Out>
void reduceTyped(ReduceOp op, const In* x, i64 outer, i64 size, i64 inner, const Array& out) {
  if (inner == 1 && outer < numThreads() && size >= 2 * kChunk) {
    // few long rows: fixed chunks in parallel, combined in order (thread-count independent)
    const i64 chunks = (size + kChunk - 1) / kChunk;
    std::vector<Partial> partials(static_cast<std::size_t>(chunks));
    for (i64 o = 0; o < outer; o++) {
      const In* row = x + o * size;
      parallelFor(static_cast<int>(chunks), [&](int c) {
        partials[c] = reduceRange(op, row, 1, c * kChunk, std::min(size, (c + 1) * kChunk));
      });
      Partial total;
      for (const Partial& p : partials) total = combine(op, total, p, std::is_same_v<In, std::int32_t>);
      storeResult<Out>(out, o, result(op, total));
    }
    return;
  }
  if (inner == 1) {
    parallelChunks(outer, std::max<i64>(1, kMinPerThread / std::max<i64>(size, 1)), [&](i64 o0, i64 o1) {
      for (i64 o = o0; o < o1; o++) storeResult<Out>(out, o, result(op, reduceRange(op, x + o * size, 1, 0, size)));
    }, 1);
    return;
  }
  const i64 blocks = (inner + kColumnBlock - 1) / kColumnBlock;
  const i64 units = outer * blocks;
  const i64 perUnit = std::max<i64>(1, size * std::min(inner, kColumnBlock));
  parallelChunks(units, std::max<i64>(1, kMinPerThread / perUnit), [&](i64 u0, i64 u1) {
    for (i64 u = u0; u < u1; u++) {
      const i64 o = u / blocks, j0 = (u % blocks) * kColumnBlock;
      reduceColumns<In, Out>(op, x, size, inner, o, j0, std::min(inner, j0 + kColumnBlock), out);
    }
  }, 1);
}

}  // namespace

void reduceKernel(ReduceOp op, const Array& x, i64 outer, i64 size, i64 inner, const Array& out) {
  if (outer == 0 || inner == 0) return;
  withDType(x.dtype, [&](auto inTag) {
    using In = decltype(inTag);
    withDType(out.dtype, [&](auto outTag) {
      using Out = decltype(outTag);
      reduceTyped<In, Out>(op, x.as<const In>(), outer, size, inner, out);
    });
  });
}

}  // namespace tessera
