// native/attention: fused scaled dot-product attention, softmax(Q K^T * scale + mask) V, forward and
// backward, FlashAttention-2 style: the scores of one query block against one key block are the only
// scores alive (per-thread scratch, never Tq x Tk), the forward pass keeps a running max and sum per
// query row and writes each row's log-sum-exp, and the backward pass recomputes the probabilities of
// each block from it. Work runs in parallel over (batch, head) units, or over their query / key
// blocks when there are few units. Semantics: src/backend/kernels.ts (AttentionParams) and the
// reference kernel src/backend/fused/attention.ts.
#pragma once

#include <cstdint>

#include "common.h"

namespace tessera {

/**
 * Where element (b, n, t, d) of an operand lives: b * batch + n * head + t * row + d (d is
 * contiguous). The contiguous (B, N, T, D) layout has row = D, head = T D, batch = N T D; the
 * (B, T, N, D) layout of a multi-head projection has row = N D, head = D, batch = T N D.
 */
struct AttentionStrides {
  i64 batch, head, row;
};

struct AttentionProblem {
  i64 batch, heads, tq, tk, dk, dv;
  double scale;
  bool causal;
  const std::uint8_t* mask;  // null, or read at b*m0 + n*m1 + i*m2 + j*m3
  i64 maskStrides[4];
  AttentionStrides q, k, v, o;  // dq, dk, dv share q, k, v's layout; dOut shares out's
  DType dtype;                  // Float32 or Float64 for every float operand (lse is (B, N, Tq) contiguous)
};

/** The float operands of one call (unused ones null); all have `problem.dtype` elements. */
struct AttentionArrays {
  const void* q;
  const void* k;
  const void* v;
  void* out;  // written by the forward pass, read by the backward pass
  void* lse;  // idem
  const void* dOut;
  void* dq;
  void* dk;
  void* dv;
};

/** Runs the forward pass on the active ISA path and the thread pool. */
void attentionForward(const AttentionProblem& problem, const AttentionArrays& arrays);
/** Runs the backward pass (overwrites dq, dk, dv) on the active ISA path and the thread pool. */
void attentionBackward(const AttentionProblem& problem, const AttentionArrays& arrays);

/** One ISA path's entry points. */
struct AttentionIsa {
  void (*forward)(const AttentionProblem&, const AttentionArrays&);
  void (*backward)(const AttentionProblem&, const AttentionArrays&);
};

const AttentionIsa& attentionScalar();
#if TESSERA_X86
const AttentionIsa& attentionAvx2();
const AttentionIsa& attentionAvx512();
#endif

}  // namespace tessera
