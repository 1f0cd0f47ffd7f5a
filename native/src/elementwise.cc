// native/elementwise: drives the element-wise kernels. Broadcast views are simplified (size-1
// axes dropped, contiguous axes merged) and walked as runs along the last axis; runs with unit
// or zero strides go to the ISA's vectorized loops, everything else to the generic path, which
// computes in double and stores like a JS typed array does.
#include "elementwise.h"

#include <cstring>
#include <type_traits>

#include "cpu-features.h"
#include "elementwise-ops.h"
#include "parallel.h"

namespace tessera {
namespace {

// Minimum elements per thread: below this, waking a second thread costs more than it saves.
constexpr i64 kCheapGrain = 1 << 15;    // add, mul, compare: memory bound
constexpr i64 kCostlyGrain = 1 << 12;   // exp, log, pow: tens of cycles per element

const ElementwiseIsa& isaTable() {
#if TESSERA_X86
  switch (activeIsa()) {
    case Isa::Avx512: return elementwiseAvx512();
    case Isa::Avx2: return elementwiseAvx2();
    case Isa::Scalar: break;
  }
#endif
  return elementwiseScalar();
}

bool costlyUnary(UnaryOp op) {
  switch (op) {
    case UnaryOp::Neg: case UnaryOp::Abs: case UnaryOp::Sqrt: case UnaryOp::Square: case UnaryOp::Reciprocal:
    case UnaryOp::Relu: case UnaryOp::Sign: case UnaryOp::Floor: case UnaryOp::Ceil: case UnaryOp::Round:
    case UnaryOp::IsNaN: case UnaryOp::IsFinite: case UnaryOp::LogicalNot: case UnaryOp::Rsqrt:
      return false;
    default:
      return true;
  }
}

bool costlyBinary(BinaryOp op) { return op == BinaryOp::Pow || op == BinaryOp::Mod || op == BinaryOp::Atan2; }

template <typename T>
TESSERA_INLINE double load(const void* p, i64 i) {
  return static_cast<double>(static_cast<const T*>(p)[i]);
}

/** Drops size-1 axes and merges neighbours that every operand walks contiguously. */
BroadcastView simplify(const BroadcastView& in) {
  BroadcastView v;
  v.operands = in.operands;
  for (int d = 0; d < in.rank; d++) {
    if (in.shape[d] == 1) continue;
    if (v.rank > 0) {
      const int last = v.rank - 1;
      bool mergeable = true;
      for (int o = 0; o < in.operands; o++)
        mergeable = mergeable && v.strides[o][last] == in.strides[o][d] * in.shape[d];
      if (mergeable) {
        v.shape[last] *= in.shape[d];
        for (int o = 0; o < in.operands; o++) v.strides[o][last] = in.strides[o][d];
        continue;
      }
    }
    v.shape[v.rank] = in.shape[d];
    for (int o = 0; o < in.operands; o++) v.strides[o][v.rank] = in.strides[o][d];
    v.rank++;
  }
  if (v.rank == 0) {  // a scalar: one element
    v.rank = 1;
    v.shape[0] = 1;
    for (int o = 0; o < in.operands; o++) v.strides[o][0] = 0;
  }
  return v;
}

/**
 * Calls run(outIndex, offsets, length) for the runs along the last axis that cover output
 * elements [begin, end); offsets[o] is operand o's element offset at the run's start.
 */
template <typename F>
void forEachRun(const BroadcastView& v, i64 begin, i64 end, F&& run) {
  i64 index[kMaxRank];
  i64 offsets[3] = {0, 0, 0};
  i64 rest = begin;
  for (int d = v.rank - 1; d >= 0; d--) {
    index[d] = rest % v.shape[d];
    rest /= v.shape[d];
    for (int o = 0; o < v.operands; o++) offsets[o] += index[d] * v.strides[o][d];
  }
  const int last = v.rank - 1;
  i64 pos = begin;
  while (pos < end) {
    const i64 len = std::min(v.shape[last] - index[last], end - pos);
    run(pos, offsets, len);
    pos += len;
    index[last] += len;
    for (int o = 0; o < v.operands; o++) offsets[o] += len * v.strides[o][last];
    for (int d = last; d > 0 && index[d] == v.shape[d]; d--) {
      index[d] = 0;
      index[d - 1]++;
      for (int o = 0; o < v.operands; o++)
        offsets[o] += v.strides[o][d - 1] - v.shape[d] * v.strides[o][d];
    }
  }
}

template <typename Out>
constexpr DType dtypeOf() {
  if constexpr (std::is_same_v<Out, float>) return DType::Float32;
  else if constexpr (std::is_same_v<Out, double>) return DType::Float64;
  else if constexpr (std::is_same_v<Out, std::int32_t>) return DType::Int32;
  else return DType::Uint8;
}

template <typename In, typename Out>
void unaryGeneric(UnaryOp op, const In* x, Out* out, i64 n) {
  for (i64 i = 0; i < n; i++) out[i] = storeJs<Out>(unaryRefFor(dtypeOf<Out>(), op, static_cast<double>(x[i])));
}

template <typename In, typename Out>
void binaryRunGeneric(BinaryOp op, const In* a, i64 sa, const In* b, i64 sb, Out* out, i64 n) {
  // int32 add/sub/compare: exact in double, so the generic formula is the reference's
  for (i64 i = 0; i < n; i++)
    out[i] = storeJs<Out>(
        binaryRefFor(dtypeOf<Out>(), op, static_cast<double>(a[i * sa]), static_cast<double>(b[i * sb])));
}

/** Operands a and b share a type; `out` may differ (bool results, odd combinations). */
template <typename In>
void binaryRun(BinaryOp op, const ElementwiseIsa& isa, const In* a, i64 sa, const In* b, i64 sb, const Array& out,
               i64 outIndex, i64 n) {
  const bool unitStrides = (sa == 0 || sa == 1) && (sb == 0 || sb == 1);
  const bool boolOut = binaryWritesBool(op);
  if constexpr (std::is_same_v<In, float> || std::is_same_v<In, double>) {
    const DType self = std::is_same_v<In, float> ? DType::Float32 : DType::Float64;
    if (unitStrides && out.dtype == (boolOut ? DType::Uint8 : self)) {
      const std::size_t width = boolOut ? 1 : sizeof(In);
      void* dst = static_cast<char*>(out.data) + outIndex * width;
      const bool done = std::is_same_v<In, float>
                            ? isa.binaryF32(op, reinterpret_cast<const float*>(a), sa,
                                            reinterpret_cast<const float*>(b), sb, dst, n)
                            : isa.binaryF64(op, reinterpret_cast<const double*>(a), sa,
                                            reinterpret_cast<const double*>(b), sb, dst, n);
      if (done) return;
    }
  }
  withDType(out.dtype, [&](auto tag) {
    using Out = decltype(tag);
    binaryRunGeneric(op, a, sa, b, sb, out.as<Out>() + outIndex, n);
  });
}

template <typename T>
void whereRun(const std::uint8_t* cond, i64 sc, const T* a, i64 sa, const T* b, i64 sb, T* out, i64 n) {
  for (i64 i = 0; i < n; i++) out[i] = cond[i * sc] ? a[i * sa] : b[i * sb];
}

}  // namespace

void unaryKernel(UnaryOp op, const Array& x, const Array& out) {
  const i64 n = x.length;
  const ElementwiseIsa& isa = isaTable();
  const i64 grain = costlyUnary(op) ? kCostlyGrain : kCheapGrain;
  const bool sameFloat = x.dtype == out.dtype && (x.dtype == DType::Float32 || x.dtype == DType::Float64);
  if (sameFloat && !unaryWritesBool(op)) {
    parallelChunks(n, grain, [&](i64 begin, i64 end) {
      if (x.dtype == DType::Float32) isa.unaryF32(op, x.as<float>() + begin, out.as<float>() + begin, end - begin);
      else isa.unaryF64(op, x.as<double>() + begin, out.as<double>() + begin, end - begin);
    });
    return;
  }
  withDType(x.dtype, [&](auto inTag) {
    using In = decltype(inTag);
    withDType(out.dtype, [&](auto outTag) {
      using Out = decltype(outTag);
      parallelChunks(n, grain, [&](i64 begin, i64 end) {
        unaryGeneric<In, Out>(op, x.as<In>() + begin, out.as<Out>() + begin, end - begin);
      });
    });
  });
}

void binaryKernel(BinaryOp op, const Array& a, const Array& b, const Array& out, BroadcastView view) {
  view.operands = 2;
  const BroadcastView v = simplify(view);
  i64 total = 1;
  for (int d = 0; d < v.rank; d++) total *= v.shape[d];
  if (total == 0) return;
  const ElementwiseIsa& isa = isaTable();
  const int last = v.rank - 1;
  const i64 sa = v.strides[0][last], sb = v.strides[1][last];
  const i64 grain = costlyBinary(op) ? kCostlyGrain : kCheapGrain;
  const auto runAll = [&](auto tag, const auto* pa, const auto* pb) {
    (void)tag;
    parallelChunks(total, grain, [&](i64 begin, i64 end) {
      forEachRun(v, begin, end, [&](i64 pos, const i64* off, i64 len) {
        binaryRun(op, isa, pa + off[0], sa, pb + off[1], sb, out, pos, len);
      });
    });
  };
  if (a.dtype == b.dtype) {
    withDType(a.dtype, [&](auto tag) {
      using T = decltype(tag);
      runAll(tag, a.as<const T>(), b.as<const T>());
    });
    return;
  }
  // mixed operand types (the ops layer never sends them): convert both through double
  parallelChunks(total, grain, [&](i64 begin, i64 end) {
    forEachRun(v, begin, end, [&](i64 pos, const i64* off, i64 len) {
      withDType(a.dtype, [&](auto ta) {
        using A = decltype(ta);
        withDType(b.dtype, [&](auto tb) {
          using B = decltype(tb);
          withDType(out.dtype, [&](auto to) {
            using O = decltype(to);
            for (i64 i = 0; i < len; i++) {
              const double x = static_cast<double>(a.as<const A>()[off[0] + i * sa]);
              const double y = static_cast<double>(b.as<const B>()[off[1] + i * sb]);
              out.as<O>()[pos + i] = storeJs<O>(binaryRefFor(out.dtype, op, x, y));
            }
          });
        });
      });
    });
  });
}

void whereKernel(const Array& cond, const Array& a, const Array& b, const Array& out, BroadcastView view) {
  view.operands = 3;
  const BroadcastView v = simplify(view);
  i64 total = 1;
  for (int d = 0; d < v.rank; d++) total *= v.shape[d];
  if (total == 0) return;
  const int last = v.rank - 1;
  const i64 sc = v.strides[0][last], sa = v.strides[1][last], sb = v.strides[2][last];
  const std::uint8_t* c = cond.as<const std::uint8_t>();
  parallelChunks(total, kCheapGrain, [&](i64 begin, i64 end) {
    forEachRun(v, begin, end, [&](i64 pos, const i64* off, i64 len) {
      if (a.dtype == out.dtype && b.dtype == out.dtype) {
        withDType(out.dtype, [&](auto tag) {
          using T = decltype(tag);
          whereRun(c + off[0], sc, a.as<const T>() + off[1], sa, b.as<const T>() + off[2], sb, out.as<T>() + pos, len);
        });
        return;
      }
      withDType(out.dtype, [&](auto to) {
        using O = decltype(to);
        for (i64 i = 0; i < len; i++) {
          const Array& src = c[off[0] + i * sc] ? a : b;
          const i64 at = c[off[0] + i * sc] ? off[1] + i * sa : off[2] + i * sb;
          const double value = withDType(src.dtype, [&](auto ts) {
            using S = decltype(ts);
            return static_cast<double>(src.as<const S>()[at]);
          });
          out.as<O>()[pos + i] = storeJs<O>(value);
        }
      });
    });
  });
}

}  // namespace tessera
