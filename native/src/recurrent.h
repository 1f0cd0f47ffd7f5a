// native/recurrent: the pointwise part of one LSTM / GRU time step, gates fused, and its adjoint
// (contract and specification: src/backend/fused/{lstm,gru}-{cell,sequence}.ts). B batch
// rows, H units; gate blocks [i f g o] (LSTM) and [z r h] (GRU) along each row. The rows are split
// over the thread pool; each row runs in chunks of units through loops compiled once per ISA path
// (recurrent-isa.inc), float32 sigmoid / tanh on vector polynomials, float64 through libm.
#pragma once

#include "common.h"

namespace tessera {

/** The cell activations, in the order of their codes on the JS side (the addon exports them as cellActivations; src/backend/fused/cell-shared.ts). */
enum class CellAct : int { Tanh = 0, Sigmoid = 1, Relu = 2, Linear = 3, HardSigmoid = 4, Count = 5 };

inline constexpr const char* kCellActNames[] = {"tanh", "sigmoid", "relu", "linear", "hard_sigmoid"};
static_assert(sizeof(kCellActNames) / sizeof(kCellActNames[0]) == static_cast<int>(CellAct::Count));

/** One step's geometry and activations. */
struct CellShape {
  i64 batch = 0;
  i64 units = 0;
  CellAct act = CellAct::Tanh;     // candidate / output activation
  CellAct recAct = CellAct::Sigmoid;  // gate activation
};

/**
 * The row loops of one ISA path, for rows [b0, b1). Argument order follows the JS kernels:
 *   lstm:         x, rec, cPrev -> gates, c, h
 *   lstmBackward: gates, cPrev, c, dh, dc -> dz, dcPrev
 *   gru:          x, rec, hPrev -> gates, h
 *   gruBackward:  gates, rec, hPrev, dh -> dx, drec, dhPrev
 */
template <typename T>
struct RecurrentRows {
  void (*lstm)(const T* x, const T* rec, const T* cPrev, T* gates, T* c, T* h, const CellShape& s, i64 b0, i64 b1);
  void (*lstmBackward)(const T* gates, const T* cPrev, const T* c, const T* dh, const T* dc, T* dz, T* dcPrev,
                       const CellShape& s, i64 b0, i64 b1);
  void (*gru)(const T* x, const T* rec, const T* hPrev, T* gates, T* h, const CellShape& s, i64 b0, i64 b1);
  void (*gruBackward)(const T* gates, const T* rec, const T* hPrev, const T* dh, T* dx, T* drec, T* dhPrev,
                      const CellShape& s, i64 b0, i64 b1);
};

struct RecurrentIsa {
  RecurrentRows<float> f32;
  RecurrentRows<double> f64;
};

const RecurrentIsa& recurrentScalar();
#if TESSERA_X86
const RecurrentIsa& recurrentAvx2();
const RecurrentIsa& recurrentAvx512();
#endif

/** The row loops of the active ISA path. */
const RecurrentIsa& activeRecurrent();

template <typename T>
const RecurrentRows<T>& rowsFor(const RecurrentIsa& isa);
template <>
inline const RecurrentRows<float>& rowsFor<float>(const RecurrentIsa& isa) {
  return isa.f32;
}
template <>
inline const RecurrentRows<double>& rowsFor<double>(const RecurrentIsa& isa) {
  return isa.f64;
}

/** The kernels on the active ISA path, rows split over the thread pool (callers checked lengths). */
template <typename T>
void lstmCellKernel(const T* x, const T* rec, const T* cPrev, T* gates, T* c, T* h, const CellShape& s);
template <typename T>
void lstmCellBackwardKernel(const T* gates, const T* cPrev, const T* c, const T* dh, const T* dc, T* dz, T* dcPrev,
                            const CellShape& s);
template <typename T>
void gruCellKernel(const T* x, const T* rec, const T* hPrev, T* gates, T* h, const CellShape& s);
template <typename T>
void gruCellBackwardKernel(const T* gates, const T* rec, const T* hPrev, const T* dh, T* dx, T* drec, T* dhPrev,
                           const CellShape& s);

}  // namespace tessera

namespace tessera {

/** Geometry of a whole-sequence kernel: T steps of one cell, processed last to first when backwards. */
struct SequenceShape {
  CellShape cell;
  i64 steps = 0;
  bool backwards = false;
};

/**
 * A whole LSTM recurrence without masks (contract: Kernels.lstmSequence): per processing step,
 * rec = h_prev U on the GEMM, then the cell; rows are split over the threads, each running its
 * block of rows through every step (the rows are independent), so the per-step GEMMs stay small
 * and no thread waits for another between steps.
 */
template <typename T>
void lstmSequenceKernel(const T* xProj, const T* u, const T* h0, const T* c0, T* h, T* c, T* gates,
                        const SequenceShape& s);
/** Its backpropagation through time (contract: Kernels.lstmSequenceBackward), rows split likewise. */
template <typename T>
void lstmSequenceBackwardKernel(const T* gates, const T* c, const T* c0, const T* u, const T* dhOut, const T* dcOut,
                                T* dz, T* dh0, T* dc0, const SequenceShape& s);
/** A whole reset-after GRU recurrence without masks (contract: Kernels.gruSequence); bias may be null. */
template <typename T>
void gruSequenceKernel(const T* xProj, const T* u, const T* bias, const T* h0, T* h, T* gates, T* rec,
                       const SequenceShape& s);
/** Its backpropagation through time (contract: Kernels.gruSequenceBackward). */
template <typename T>
void gruSequenceBackwardKernel(const T* gates, const T* rec, const T* h, const T* h0, const T* u, const T* dhOut, T* dx,
                               T* drec, T* dh0, const SequenceShape& s);

}  // namespace tessera
