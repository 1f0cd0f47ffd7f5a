// native/optim: the fused optimizer update kernels (Adam/AdamW, SGD, RMSprop, Adagrad, Adamax,
// Nadam, Adadelta, Lion), accelerated copies of the update rules beside each optimizer
// (src/optim/<name>.ts, e.g. adamRule). Like those rules they compute in the parameter's precision
// (float32 operations for Float32Array parameters, double for Float64Array), scalars rounded to
// it once, in the same expression order and without fused multiply-adds, so their results equal
// the reference bit for bit. The loops are written once (optim-isa.inc) and compiled per ISA
// path: 1, 8 / 4 (AVX2) or 16 / 8 (AVX-512) floats / doubles at a time.
#pragma once

#include "common.h"

namespace tessera {

/** Which update rule a job runs, and the order of its scalars in OptimJob::k. */
enum class OptimKind : int {
  Adam,     // k: alpha, 1 - beta1, 1 - beta2, epsilon, decay;  s0 m, s1 v, s2 vHat (amsgrad)
  Sgd,      // k: lr, momentum, nesterov (0/1), decay;          s0 velocity (momentum)
  Rmsprop,  // k: lr, rho, 1 - rho, momentum, epsilon, decay;    s0 velocity, s1 average, s2 momentum
  Adagrad,  // k: lr, epsilon, decay;                            s0 accumulator
  Adamax,   // k: lr, 1 - beta1, beta2, epsilon, 1 - beta1^t, decay;  s0 m, s1 u
  Nadam,    // k: lr, 1 - beta1, 1 - beta2, epsilon, mu_{t+1}, 1 - uProduct mu_{t+1}, 1 - mu_t,
            //    1 - uProduct, 1 - beta2^t, decay;                     s0 m, s1 v
  Adadelta, // k: lr, rho, 1 - rho, epsilon, decay;                    s0 Eg, s1 Ed
  Lion,     // k: lr, beta1, 1 - beta1, beta2, 1 - beta2, decay;       s0 m
};

/** Number of scalars each kind reads from k. */
constexpr int kOptimScalars[] = {5, 4, 6, 3, 6, 10, 5, 6};
constexpr int kOptimMaxScalars = 10;

/**
 * One update over a parameter of `length` elements. All arrays share `dtype` (float32 or
 * float64) and length; optional slots are null when absent. `decay` (last scalar) 0 skips the
 * weight-decay store.
 */
struct OptimJob {
  OptimKind kind = OptimKind::Adam;
  DType dtype = DType::Float32;
  i64 length = 0;
  void* param = nullptr;
  const void* grad = nullptr;
  void* s0 = nullptr;
  void* s1 = nullptr;
  void* s2 = nullptr;
  double k[kOptimMaxScalars] = {};
};

/** Runs elements [begin, end) of a job on one ISA path. */
using OptimRange = void (*)(const OptimJob& job, i64 begin, i64 end);

OptimRange optimScalar();
OptimRange optimAvx2();
OptimRange optimAvx512();

/** Runs a whole job on the active ISA path, split over the thread pool when it is large. */
void optimKernel(const OptimJob& job);

}  // namespace tessera
