// native/recurrent-sequence: whole-sequence LSTM and GRU kernels (no masks): the time loop runs here, so a
// step costs no JS call, and the batch rows are split over the threads, each thread carrying its
// block of rows through every step. The rows of a recurrence are independent, so the threads
// never wait for each other between steps, and each step's GEMM (rows x H times U) runs on the
// thread that owns the rows (a GEMM called inside a pool task runs on the calling thread).
#include <algorithm>
#include <cstring>

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

/** C (m, n) = A (m, k) @ B (+ bias (n)), with B stored (k, n), or (n, k) when transB. */
template <typename T>
void smallGemm(const T* a, const T* b, T* c, i64 m, i64 n, i64 k, bool transB, const T* bias = nullptr) {
  GemmProblem<T> pr;
  pr.a = a;
  pr.b = b;
  pr.c = c;
  pr.batch = 1;
  pr.m = m;
  pr.n = n;
  pr.k = k;
  pr.transA = false;
  pr.transB = transB;
  pr.aBatchStride = 0;
  pr.bBatchStride = 0;
  pr.bias = bias;
  pr.activation = Activation::None;
  gemm<T>(pr);
}

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
  overRowBlocks(B, [&](i64 b0, i64 b1) {
    const i64 rows = b1 - b0;
    T* rec = scratchOf<T>(rows * G);
    for (i64 step = 0; step < T_; step++) {
      const i64 t = timeOf(s, step);
      const T* hPrev = step == 0 ? h0 : h + timeOf(s, step - 1) * B * H;
      const T* cPrev = step == 0 ? c0 : c + timeOf(s, step - 1) * B * H;
      smallGemm(hPrev + b0 * H, u, rec, rows, G, H, false);
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
      smallGemm(dzT, u, dh, rows, H, G, true);  // dh_prev = dz U^T (U stored (H, 4H))
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
  overRowBlocks(B, [&](i64 b0, i64 b1) {
    const i64 rows = b1 - b0;
    for (i64 step = 0; step < T_; step++) {
      const i64 t = timeOf(s, step);
      const T* hPrev = (step == 0 ? h0 : h + timeOf(s, step - 1) * B * H) + b0 * H;
      const i64 z = t * B * G + b0 * G;
      smallGemm(hPrev, u, rec + z, rows, G, H, false, bias);
      cell(xProj + z, rec + z, hPrev, gates + z, h + t * B * H + b0 * H, s.cell, 0, rows);
    }
  });
}

template <typename T>
void gruSequenceBackwardKernel(const T* gates, const T* rec, const T* h, const T* h0, const T* u, const T* dhOut, T* dx,
                               T* drec, T* dh0, const SequenceShape& s) {
  const i64 B = s.cell.batch, H = s.cell.units, G = 3 * H, T_ = s.steps;
  const auto cellBackward = rowsFor<T>(activeRecurrent()).gruBackward;
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
      smallGemm(drec + z, u, dh, rows, H, G, true);  // dh_prev = drec U^T + the direct part
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
