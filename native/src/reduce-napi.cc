// native/reduce-napi: entry points of the reductions, cumsum and softmax, all over an
// [outer, size, inner] view.
//   reduce(op, x, outer, size, inner, out)     op: index into reduceOps
//   cumsum(x, outer, size, inner, reverse, out)
//   softmax(x, outer, size, inner, log, out)
#include "exports.h"
#include "napi-args.h"
#include "reduce.h"

namespace tessera {
namespace {

struct View3 {
  i64 outer, size, inner;
};

View3 readView3(const Napi::CallbackInfo& info, std::size_t first, const char* what) {
  View3 v;
  v.outer = intArg(info, first, what);
  v.size = intArg(info, first + 1, what);
  v.inner = intArg(info, first + 2, what);
  return v;
}

Napi::Value Reduce(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  if (info.Length() < 6) throwType(env, "reduce: expected (op, x, outer, size, inner, out)");
  const i64 op = intArg(info, 0, "reduce: op", 0, static_cast<i64>(ReduceOp::Count) - 1);
  const ArrayArg x = arrayArg(info, 1, "reduce: x");
  const View3 v = readView3(info, 2, "reduce: outer/size/inner");
  const ArrayArg out = arrayArg(info, 5, "reduce: out");
  requireLength(env, x, mulCapped(mulCapped(v.outer, v.size), v.inner), "reduce: x");
  requireLength(env, out, mulCapped(v.outer, v.inner), "reduce: out");
  reduceKernel(static_cast<ReduceOp>(op), x, v.outer, v.size, v.inner, out);
  return env.Undefined();
}

Napi::Value Cumsum(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  if (info.Length() < 6) throwType(env, "cumsum: expected (x, outer, size, inner, reverse, out)");
  const ArrayArg x = arrayArg(info, 0, "cumsum: x");
  const View3 v = readView3(info, 1, "cumsum: outer/size/inner");
  const bool reverse = boolArg(info, 4);
  const ArrayArg out = arrayArg(info, 5, "cumsum: out");
  const i64 total = mulCapped(mulCapped(v.outer, v.size), v.inner);
  requireLength(env, x, total, "cumsum: x");
  requireLength(env, out, total, "cumsum: out");
  cumsumKernel(x, v.outer, v.size, v.inner, reverse, out);
  return env.Undefined();
}

Napi::Value Softmax(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  if (info.Length() < 6) throwType(env, "softmax: expected (x, outer, size, inner, log, out)");
  const ArrayArg x = arrayArg(info, 0, "softmax: x");
  const View3 v = readView3(info, 1, "softmax: outer/size/inner");
  const bool log = boolArg(info, 4);
  const ArrayArg out = arrayArg(info, 5, "softmax: out");
  if (x.dtype != out.dtype || (x.dtype != DType::Float32 && x.dtype != DType::Float64))
    throwType(env, "softmax: x and out must both be Float32Array or both Float64Array");
  const i64 total = mulCapped(mulCapped(v.outer, v.size), v.inner);
  requireLength(env, x, total, "softmax: x");
  requireLength(env, out, total, "softmax: out");
  softmaxKernel(x, v.outer, v.size, v.inner, log, out);
  return env.Undefined();
}

}  // namespace

void registerReduce(Napi::Env env, Napi::Object exports) {
  Napi::Array names = Napi::Array::New(env, static_cast<std::size_t>(ReduceOp::Count));
  for (int i = 0; i < static_cast<int>(ReduceOp::Count); i++)
    names.Set(static_cast<uint32_t>(i), Napi::String::New(env, kReduceNames[i]));
  exports.Set("reduceOps", names);
  exports.Set("reduce", Napi::Function::New(env, Reduce, "reduce"));
  exports.Set("cumsum", Napi::Function::New(env, Cumsum, "cumsum"));
  exports.Set("softmax", Napi::Function::New(env, Softmax, "softmax"));
}

}  // namespace tessera
