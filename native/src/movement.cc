// native/movement: strided copies walk the view as runs along its last axis (memcpy when both
// sides are contiguous there); gather and scatter-add move whole rows of `inner` elements.
// Element values are copied as is between equal types, and converted like a JS typed-array
// store between different ones.
#include "movement.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <type_traits>

#include "parallel.h"

namespace tessera {
namespace {

constexpr i64 kMinPerThread = 1 << 15;

/** Drops size-1 axes and merges axes both sides walk contiguously (as elementwise does). */
BroadcastView simplify(const BroadcastView& in) {
  BroadcastView v;
  v.operands = 2;
  for (int d = 0; d < in.rank; d++) {
    if (in.shape[d] == 1) continue;
    if (v.rank > 0) {
      const int last = v.rank - 1;
      if (v.strides[0][last] == in.strides[0][d] * in.shape[d] && v.strides[1][last] == in.strides[1][d] * in.shape[d]) {
        v.shape[last] *= in.shape[d];
        v.strides[0][last] = in.strides[0][d];
        v.strides[1][last] = in.strides[1][d];
        continue;
      }
    }
    v.shape[v.rank] = in.shape[d];
    v.strides[0][v.rank] = in.strides[0][d];
    v.strides[1][v.rank] = in.strides[1][d];
    v.rank++;
  }
  if (v.rank == 0) {
    v.rank = 1;
    v.shape[0] = 1;
    v.strides[0][0] = v.strides[1][0] = 0;
  }
  return v;
}

/** Copies the runs covering flat view positions [begin, end). */
template <typename S, typename D>
void copyRange(const S* src, D* dst, const BroadcastView& v, i64 begin, i64 end) {
  i64 index[kMaxRank];
  i64 s = 0, d = 0, rest = begin;
  for (int a = v.rank - 1; a >= 0; a--) {
    index[a] = rest % v.shape[a];
    rest /= v.shape[a];
    s += index[a] * v.strides[0][a];
    d += index[a] * v.strides[1][a];
  }
  const int last = v.rank - 1;
  const i64 ss = v.strides[0][last], ds = v.strides[1][last];
  i64 pos = begin;
  while (pos < end) {
    const i64 len = std::min(v.shape[last] - index[last], end - pos);
    if constexpr (std::is_same_v<S, D>) {
      if (ss == 1 && ds == 1) std::memcpy(dst + d, src + s, sizeof(S) * static_cast<std::size_t>(len));
      else for (i64 i = 0; i < len; i++) dst[d + i * ds] = src[s + i * ss];
    } else {
      for (i64 i = 0; i < len; i++) dst[d + i * ds] = storeJs<D>(static_cast<double>(src[s + i * ss]));
    }
    pos += len;
    index[last] += len;
    s += len * ss;
    d += len * ds;
    for (int a = last; a > 0 && index[a] == v.shape[a]; a--) {
      index[a] = 0;
      index[a - 1]++;
      s += v.strides[0][a - 1] - v.shape[a] * v.strides[0][a];
      d += v.strides[1][a - 1] - v.shape[a] * v.strides[1][a];
    }
  }
}

/**
 * True when no two view positions write the same destination element, checked as: sorted by
 * stride, each axis steps over everything the smaller axes span. Only then may threads split it.
 */
bool destinationIsInjective(const BroadcastView& v) {
  i64 order[kMaxRank];
  for (int a = 0; a < v.rank; a++) order[a] = a;
  std::sort(order, order + v.rank, [&](i64 x, i64 y) {
    return std::abs(v.strides[1][x]) < std::abs(v.strides[1][y]);
  });
  i64 span = 1;  // elements covered by the axes so far
  for (int i = 0; i < v.rank; i++) {
    const i64 a = order[i];
    if (v.shape[a] == 1) continue;
    if (std::abs(v.strides[1][a]) < span) return false;
    span = std::abs(v.strides[1][a]) * v.shape[a];
  }
  return true;
}

template <typename T>
TESSERA_INLINE T addJs(T a, T b) {
  if constexpr (std::is_floating_point_v<T>) return a + b;  // float sums round like the reference
  else return storeJs<T>(static_cast<double>(a) + static_cast<double>(b));
}

}  // namespace

void stridedCopyKernel(const Array& src, i64 srcOffset, const Array& dst, i64 dstOffset, BroadcastView view) {
  view.operands = 2;
  i64 total = 1;
  for (int a = 0; a < view.rank; a++) total *= view.shape[a];
  if (total == 0) return;
  const BroadcastView v = simplify(view);
  const bool parallel = destinationIsInjective(v);
  withDType(src.dtype, [&](auto st) {
    using S = decltype(st);
    withDType(dst.dtype, [&](auto dt) {
      using D = decltype(dt);
      const S* s = src.as<const S>() + srcOffset;
      D* d = dst.as<D>() + dstOffset;
      if (!parallel) {
        copyRange(s, d, v, 0, total);
        return;
      }
      parallelChunks(total, kMinPerThread, [&](i64 begin, i64 end) { copyRange(s, d, v, begin, end); });
    });
  });
}

void gatherKernel(const Array& x, i64 outer, i64 size, i64 inner, const std::int32_t* indices, i64 count,
                  const Array& out) {
  const i64 rows = outer * count;
  if (rows == 0 || inner == 0) return;
  withDType(x.dtype, [&](auto xt) {
    using S = decltype(xt);
    withDType(out.dtype, [&](auto ot) {
      using D = decltype(ot);
      const S* px = x.as<const S>();
      D* po = out.as<D>();
      parallelChunks(rows, std::max<i64>(1, kMinPerThread / inner), [&](i64 r0, i64 r1) {
        for (i64 r = r0; r < r1; r++) {
          const i64 o = r / count, t = r % count;
          const S* from = px + (o * size + indices[t]) * inner;
          D* to = po + r * inner;
          if constexpr (std::is_same_v<S, D>) std::memcpy(to, from, sizeof(S) * static_cast<std::size_t>(inner));
          else for (i64 j = 0; j < inner; j++) to[j] = storeJs<D>(static_cast<double>(from[j]));
        }
      }, 1);
    });
  });
}

void scatterAddKernel(const Array& updates, i64 outer, i64 size, i64 inner, const std::int32_t* indices, i64 count,
                      const Array& out) {
  if (outer == 0 || count == 0 || inner == 0) return;
  withDType(updates.dtype, [&](auto ut) {
    using U = decltype(ut);
    withDType(out.dtype, [&](auto ot) {
      using D = decltype(ot);
      const U* pu = updates.as<const U>();
      D* po = out.as<D>();
      // threads split outer blocks and column ranges, never t: repeated indices must add in order
      const i64 blocks = (inner + 255) / 256;
      parallelChunks(outer * blocks, std::max<i64>(1, kMinPerThread / std::max<i64>(1, count * std::min<i64>(inner, 256))),
                     [&](i64 u0, i64 u1) {
        for (i64 u = u0; u < u1; u++) {
          const i64 o = u / blocks, j0 = (u % blocks) * 256, j1 = std::min(inner, j0 + 256);
          for (i64 t = 0; t < count; t++) {
            const U* from = pu + (o * count + t) * inner;
            D* to = po + (o * size + indices[t]) * inner;
            for (i64 j = j0; j < j1; j++) {
              if constexpr (std::is_same_v<U, D>) to[j] = addJs<D>(to[j], from[j]);
              else to[j] = storeJs<D>(static_cast<double>(to[j]) + static_cast<double>(from[j]));
            }
          }
        }
      }, 1);
    });
  });
}

void castKernel(const Array& x, const Array& out) {
  const i64 n = x.length;
  withDType(x.dtype, [&](auto xt) {
    using S = decltype(xt);
    withDType(out.dtype, [&](auto ot) {
      using D = decltype(ot);
      const S* px = x.as<const S>();
      D* po = out.as<D>();
      parallelChunks(n, kMinPerThread, [&](i64 begin, i64 end) {
        for (i64 i = begin; i < end; i++) {
          if constexpr (std::is_same_v<D, std::uint8_t>) po[i] = px[i] != 0 ? 1 : 0;  // bool: NaN is true
          else if constexpr (std::is_same_v<S, D>) po[i] = px[i];
          else po[i] = storeJs<D>(static_cast<double>(px[i]));                        // ToInt32 truncates
        }
      });
    });
  });
}

}  // namespace tessera
