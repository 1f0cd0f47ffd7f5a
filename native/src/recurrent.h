// native/recurrent: the pointwise part of one LSTM / GRU time step, gates fused, and its adjoint
// (contracts: src/backend/kernels.ts; specification: src/backend/reference/recurrent.ts). B batch
// rows, H units; gate blocks [i f g o] (LSTM) and [z r h] (GRU) along each row. The rows are split
// over the thread pool; each row runs in chunks of units through loops compiled once per ISA path
// (recurrent-isa.inc), float32 sigmoid / tanh on vector polynomials, float64 through libm.
#pragma once

#include "common.h"

namespace tessera {

/** The cell activations, in the order of their codes on the JS side (src/backend/native/recurrent.ts). */
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
