// native/recurrent-sequence: whole-sequence LSTM and GRU kernels (no masks): the time loop runs here, so a
// step costs no JS call, and the batch rows are split over the threads, each thread carrying its
// block of rows through every step. The rows of a recurrence are independent, so the threads
// never wait for each other between steps. Each step's product with U runs on the thread that owns
// the rows, through the GEMM micro-kernel on a copy of U packed once per call (PackedRight).
#include <algorithm>
#include <cstring>

#include "cpu-features.h"
#include "gemm.h"
#include "recurrent.h"
#include "thread-pool.h"

namespace tessera {
namespace {

/** Rows a thread should get at least (a smaller block makes the per-step GEMM inefficient). */
constexpr i64 kMinRowsPerThread = 16;

thread_local AlignedBuffer sequenceScratch;

/** Per-thread work memory of `count` values of T (contents undefined). */
template <typename T>
T* scratchOf(i64 count) {
  return static_cast<T*>(sequenceScratch.reserve(static_cast<std::size_t>(count) * sizeof(T)));
}

/** Input time of processing step s. */
TESSERA_INLINE i64 timeOf(const SequenceShape& s, i64 step) { return s.backwards ? s.steps - 1 - step : step; }

/** The GEMM micro-kernel of the active ISA path (its tile and packing routines). */
template <typename T>
const GemmKernel<T>& activeGemmKernel() {
#if TESSERA_X86
  switch (activeIsa()) {
    case Isa::Avx512: return gemmKernelAvx512<T>();
    case Isa::Avx2: return gemmKernelAvx2<T>();
    case Isa::Scalar: break;
  }
#endif
  return gemmKernelScalar<T>();
}

/**
 * The right-hand matrix of every step's product (U, or U^T for the state gradient), packed once
 * per sequence into the micro-kernel's NR-column panels, k blocks of at most KC rows one after the
 * other; the threads share it read-only. Then C (m, n) = A (m, k) @ B (+ bias) for the few rows
 * of one thread costs only the packing of A and the tiles: no per-step repacking of U and no
 * split of a small product over threads.
 */
template <typename T>
class PackedRight {
 public:
  /** B (k, n) from U: stored (k, n), or (n, k) when transposed (B = U^T). */
  PackedRight(const T* u, i64 k, i64 n, bool transposed) : kr_(activeGemmKernel<T>()), k_(k), n_(n) {
    const i64 nr = kr_.nr;
    panels_ = (n + nr - 1) / nr;
    blocks_ = k == 0 ? 0 : (k + kr_.kc - 1) / kr_.kc;
    kc_ = blocks_ == 0 ? 0 : (k + blocks_ - 1) / blocks_;
    data_ = static_cast<T*>(buffer_.reserve(static_cast<std::size_t>(std::max<i64>(1, panels_ * nr * k)) * sizeof(T)));
    for (i64 blk = 0; blk < blocks_; blk++) {
      const i64 p0 = blk * kc_, kc = std::min(kc_, k - p0);
      T* dst = data_ + p0 * panels_ * nr;
      if (transposed) kr_.packColumns(u + p0, k, kc, n, kr_.nr, dst);
      else kr_.packRows(u + p0 * n, n, kc, n, kr_.nr, dst);
    }
  }

  /** C (m, n) = A (m, k) @ B + bias (bias (n) or null); A rows are contiguous, k apart. */
  void multiply(const T* a, i64 m, T* c, const T* bias) const {
    const int mr = kr_.mr, nr = kr_.nr;
    if (blocks_ == 0) {  // k = 0: the product is empty
      for (i64 i = 0; i < m; i++)
        for (i64 j = 0; j < n_; j++) c[i * n_ + j] = bias != nullptr ? bias[j] : T(0);
      return;
    }
    const i64 rowPanels = (m + mr - 1) / mr;
    T* ap = static_cast<T*>(aPanels.reserve(static_cast<std::size_t>(rowPanels * mr * kc_) * sizeof(T)));
    for (i64 blk = 0; blk < blocks_; blk++) {
      const i64 p0 = blk * kc_, kc = std::min(kc_, k_ - p0);
      for (i64 ib = 0; ib < rowPanels; ib++) {
        const i64 i0 = ib * mr;
        kr_.packColumns(a + i0 * k_ + p0, k_, kc, std::min<i64>(mr, m - i0), mr, ap + ib * mr * kc);
      }
      const T* bBlock = data_ + p0 * panels_ * nr;
      for (i64 jb = 0; jb < panels_; jb++) {
        const i64 j0 = jb * nr;
        for (i64 ib = 0; ib < rowPanels; ib++) {
          const i64 i0 = ib * mr;
          TileArgs<T> t;
          t.kc = kc;
          t.ap = ap + ib * mr * kc;
          t.bp = bBlock + jb * nr * kc;
          t.bStride = nr;
          t.c = c + i0 * n_ + j0;
          t.ldc = n_;
          t.rows = static_cast<int>(std::min<i64>(mr, m - i0));
          t.cols = static_cast<int>(std::min<i64>(nr, n_ - j0));
          t.accumulate = blk > 0;
          t.epilogue = blk == blocks_ - 1;
          t.bias = bias != nullptr ? bias + j0 : nullptr;
          t.activation = Activation::None;
          kr_.tile(t);
        }
      }
    }
  }

 private:
  static thread_local AlignedBuffer aPanels;
  const GemmKernel<T>& kr_;
  i64 k_, n_, panels_ = 0, blocks_ = 0, kc_ = 0;
  AlignedBuffer buffer_;
  T* data_ = nullptr;
};

template <typename T>
thread_local AlignedBuffer PackedRight<T>::aPanels;

/** Calls body(b0, b1) for contiguous row blocks covering [0, batch), one per thread. */
template <typename F>
void overRowBlocks(i64 batch, F&& body) {
  const i64 byRows = batch / kMinRowsPerThread;
  const int parts = static_cast<int>(std::max<i64>(1, std::min<i64>(numThreads(), byRows)));
  if (parts <= 1) {
    if (batch > 0) body(i64{0}, batch);
    return;
  }
  parallelTeam(parts, [&](int part, int count) {
    // blocks of whole 8-row groups, so the GEMM row panels stay full
    const i64 groups = (batch + 7) / 8;
    const i64 b0 = std::min(batch, groups * part / count * 8);
    const i64 b1 = std::min(batch, groups * (part + 1) / count * 8);
    if (b0 < b1) body(b0, b1);
  });
}

}  // namespace

template <typename T>
void lstmSequenceKernel(const T* xProj, const T* u, const T* h0, const T* c0, T* h, T* c, T* gates,
                        const SequenceShape& s) {
  const i64 B = s.cell.batch, H = s.cell.units, G = 4 * H, T_ = s.steps;
  const auto cell = rowsFor<T>(activeRecurrent()).lstm;
  const PackedRight<T> right(u, H, G, false);
  overRowBlocks(B, [&](i64 b0, i64 b1) {
    const i64 rows = b1 - b0;
    T* rec = scratchOf<T>(rows * G);
    for (i64 step = 0; step < T_; step++) {
      const i64 t = timeOf(s, step);
      const T* hPrev = step == 0 ? h0 : h + timeOf(s, step - 1) * B * H;
      const T* cPrev = step == 0 ? c0 : c + timeOf(s, step - 1) * B * H;
      right.multiply(hPrev + b0 * H, rows, rec, nullptr);
      const i64 z = t * B * G + b0 * G;
      const i64 st = t * B * H + b0 * H;
      cell(xProj + z, rec, cPrev + b0 * H, gates + z, c + st, h + st, s.cell, 0, rows);
    }
  });
}

template <typename T>
void lstmSequenceBackwardKernel(const T* gates, const T* c, const T* c0, const T* u, const T* dhOut, const T* dcOut,
                                T* dz, T* dh0, T* dc0, const SequenceShape& s) {
  const i64 B = s.cell.batch, H = s.cell.units, G = 4 * H, T_ = s.steps;
  const auto cellBackward = rowsFor<T>(activeRecurrent()).lstmBackward;
  const PackedRight<T> right(u, G, H, true);  // U^T: U is stored (H, 4H)
  overRowBlocks(B, [&](i64 b0, i64 b1) {
    const i64 rows = b1 - b0;
    const i64 n = rows * H;
    // dh0 and dc0 carry the running gradients of this block's state; dcPrev alternates with dc
    T* dh = dh0 + b0 * H;
    T* dc = dc0 + b0 * H;
    T* dcPrev = scratchOf<T>(n);
    std::fill(dh, dh + n, T(0));
    std::fill(dc, dc + n, T(0));
    for (i64 step = T_ - 1; step >= 0; step--) {
      const i64 t = timeOf(s, step);
      const i64 st = t * B * H + b0 * H;
      const T* dhT = dhOut + st;
      const T* dcT = dcOut + st;
      for (i64 i = 0; i < n; i++) dh[i] += dhT[i];
      for (i64 i = 0; i < n; i++) dc[i] += dcT[i];
      const T* cPrev = step == 0 ? c0 + b0 * H : c + timeOf(s, step - 1) * B * H + b0 * H;
      T* dzT = dz + t * B * G + b0 * G;
      cellBackward(gates + t * B * G + b0 * G, cPrev, c + st, dh, dc, dzT, dcPrev, s.cell, 0, rows);
      right.multiply(dzT, rows, dh, nullptr);  // dh_prev = dz U^T
      std::swap(dc, dcPrev);
    }
    if (dc != dc0 + b0 * H) std::memcpy(dc0 + b0 * H, dc, static_cast<std::size_t>(n) * sizeof(T));
  });
}

template <typename T>
void gruSequenceKernel(const T* xProj, const T* u, const T* bias, const T* h0, T* h, T* gates, T* rec,
                       const SequenceShape& s) {
  const i64 B = s.cell.batch, H = s.cell.units, G = 3 * H, T_ = s.steps;
  const auto cell = rowsFor<T>(activeRecurrent()).gru;
  const PackedRight<T> right(u, H, G, false);
  overRowBlocks(B, [&](i64 b0, i64 b1) {
    const i64 rows = b1 - b0;
    for (i64 step = 0; step < T_; step++) {
      const i64 t = timeOf(s, step);
      const T* hPrev = (step == 0 ? h0 : h + timeOf(s, step - 1) * B * H) + b0 * H;
      const i64 z = t * B * G + b0 * G;
      right.multiply(hPrev, rows, rec + z, bias);
      cell(xProj + z, rec + z, hPrev, gates + z, h + t * B * H + b0 * H, s.cell, 0, rows);
    }
  });
}

template <typename T>
void gruSequenceBackwardKernel(const T* gates, const T* rec, const T* h, const T* h0, const T* u, const T* dhOut, T* dx,
                               T* drec, T* dh0, const SequenceShape& s) {
  const i64 B = s.cell.batch, H = s.cell.units, G = 3 * H, T_ = s.steps;
  const auto cellBackward = rowsFor<T>(activeRecurrent()).gruBackward;
  const PackedRight<T> right(u, G, H, true);  // U^T: U is stored (H, 3H)
  overRowBlocks(B, [&](i64 b0, i64 b1) {
    const i64 rows = b1 - b0;
    const i64 n = rows * H;
    T* dh = dh0 + b0 * H;  // the running gradient of this block's state
    T* direct = scratchOf<T>(n);
    std::fill(dh, dh + n, T(0));
    for (i64 step = T_ - 1; step >= 0; step--) {
      const i64 t = timeOf(s, step);
      const T* dhT = dhOut + t * B * H + b0 * H;
      for (i64 i = 0; i < n; i++) dh[i] += dhT[i];
      const T* hPrev = (step == 0 ? h0 : h + timeOf(s, step - 1) * B * H) + b0 * H;
      const i64 z = t * B * G + b0 * G;
      cellBackward(gates + z, rec + z, hPrev, dh, dx + z, drec + z, direct, s.cell, 0, rows);
      right.multiply(drec + z, rows, dh, nullptr);  // dh_prev = drec U^T + the direct part
      for (i64 i = 0; i < n; i++) dh[i] += direct[i];
    }
  });
}

template void lstmSequenceKernel<float>(const float*, const float*, const float*, const float*, float*, float*, float*,
                                        const SequenceShape&);
template void lstmSequenceKernel<double>(const double*, const double*, const double*, const double*, double*, double*,
                                         double*, const SequenceShape&);
template void lstmSequenceBackwardKernel<float>(const float*, const float*, const float*, const float*, const float*,
                                                const float*, float*, float*, float*, const SequenceShape&);
template void lstmSequenceBackwardKernel<double>(const double*, const double*, const double*, const double*,
                                                 const double*, const double*, double*, double*, double*,
                                                 const SequenceShape&);
template void gruSequenceKernel<float>(const float*, const float*, const float*, const float*, float*, float*, float*,
                                       const SequenceShape&);
template void gruSequenceKernel<double>(const double*, const double*, const double*, const double*, double*, double*,
                                        double*, const SequenceShape&);
template void gruSequenceBackwardKernel<float>(const float*, const float*, const float*, const float*, const float*,
                                               const float*, float*, float*, float*, const SequenceShape&);
template void gruSequenceBackwardKernel<double>(const double*, const double*, const double*, const double*,
                                                const double*, const double*, double*, double*, double*,
                                                const SequenceShape&);

}  // namespace tessera
