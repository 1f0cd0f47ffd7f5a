// native/gemm-napi: the matmul entry point. Checks dtypes, sizes and buffer lengths, then runs
// the GEMM on the arrays' own memory.
//   matmul(a, b, out, bias | null, batch, m, n, k, transA, transB, aBatchStride, bBatchStride,
//          activation)   activation: 0 none, 1 relu, 2 sigmoid, 3 tanh
#include "exports.h"
#include "gemm.h"
#include "napi-args.h"

namespace tessera {
namespace {

/** Elements a batch of matrices spans: (batch - 1) * stride + size, 0 when empty. */
i64 spanOf(i64 batch, i64 stride, i64 size) {
  if (batch == 0 || size == 0) return 0;
  const i64 tail = mulCapped(batch - 1, stride);
  return tail > kMaxCount ? kMaxCount + 1 : tail + size;
}

template <typename T>
void runGemm(const ArrayArg& a, const ArrayArg& b, const ArrayArg& out, const ArrayArg* bias, i64 batch, i64 m, i64 n,
             i64 k, bool transA, bool transB, i64 aStride, i64 bStride, Activation act) {
  GemmProblem<T> pr;
  pr.a = a.as<const T>();
  pr.b = b.as<const T>();
  pr.c = out.as<T>();
  pr.batch = batch;
  pr.m = m;
  pr.n = n;
  pr.k = k;
  pr.transA = transA;
  pr.transB = transB;
  pr.aBatchStride = aStride;
  pr.bBatchStride = bStride;
  pr.bias = bias != nullptr ? bias->as<const T>() : nullptr;
  pr.activation = act;
  gemm<T>(pr);
}

Napi::Value Matmul(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  if (info.Length() < 13) throwType(env, "matmul: expected 13 arguments");
  const ArrayArg a = arrayArg(info, 0, "matmul: a");
  const ArrayArg b = arrayArg(info, 1, "matmul: b");
  const ArrayArg out = arrayArg(info, 2, "matmul: out");
  ArrayArg biasArg;
  const bool hasBias = !isNullish(info[3]);
  if (hasBias) biasArg = arrayArg(info, 3, "matmul: bias");
  const i64 batch = intArg(info, 4, "matmul: batch");
  const i64 m = intArg(info, 5, "matmul: m");
  const i64 n = intArg(info, 6, "matmul: n");
  const i64 k = intArg(info, 7, "matmul: k");
  const bool transA = boolArg(info, 8);
  const bool transB = boolArg(info, 9);
  const i64 aStride = intArg(info, 10, "matmul: aBatchStride");
  const i64 bStride = intArg(info, 11, "matmul: bBatchStride");
  const i64 act = intArg(info, 12, "matmul: activation", 0, 3);

  if (a.dtype != out.dtype || b.dtype != out.dtype || (hasBias && biasArg.dtype != out.dtype))
    throwType(env, "matmul: a, b, out (and bias) must share one dtype");
  if (out.dtype != DType::Float32 && out.dtype != DType::Float64)
    throwType(env, "matmul: expected Float32Array or Float64Array operands");
  const i64 mk = mulCapped(m, k), kn = mulCapped(k, n), mn = mulCapped(m, n);
  requireLength(env, a, spanOf(batch, aStride, mk), "matmul: a");
  requireLength(env, b, spanOf(batch, bStride, kn), "matmul: b");
  requireLength(env, out, mulCapped(batch, mn), "matmul: out");
  if (hasBias) requireLength(env, biasArg, n, "matmul: bias");

  const ArrayArg* bias = hasBias ? &biasArg : nullptr;
  const Activation activation = static_cast<Activation>(act);
  if (out.dtype == DType::Float32)
    runGemm<float>(a, b, out, bias, batch, m, n, k, transA, transB, aStride, bStride, activation);
  else
    runGemm<double>(a, b, out, bias, batch, m, n, k, transA, transB, aStride, bStride, activation);
  return env.Undefined();
}

}  // namespace

void registerGemm(Napi::Env env, Napi::Object exports) {
  exports.Set("matmul", Napi::Function::New(env, Matmul, "matmul"));
}

}  // namespace tessera
