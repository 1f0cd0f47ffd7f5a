// native/elementwise-napi: entry points of the element-wise kernels.
//   unary(op, x, out)                       op: index into unaryOps
//   binary(op, a, b, out, meta)             meta: [rank, shape..., aStrides..., bStrides...]
//   where(cond, a, b, out, meta)            meta: [rank, shape..., condStrides..., aStrides..., bStrides...]
// Every operand's reachable offsets are checked against its length before a kernel runs.
#include "elementwise.h"
#include "exports.h"
#include "napi-args.h"

namespace tessera {
namespace {

/** Reads rank, shape and `operands` stride lists from meta; checks that out and operands fit. */
BroadcastView readView(const Napi::Env& env, const ArrayArg& meta, int operands, const ArrayArg* arrays[],
                       const ArrayArg& out, const char* what) {
  BroadcastView v;
  i64 rank = 0;
  metaInts(env, meta, 0, 1, 0, kMaxRank, &rank, what);
  v.rank = static_cast<int>(rank);
  v.operands = operands;
  metaInts(env, meta, 1, rank, 0, kMaxCount, v.shape, what);
  i64 total = 1;
  for (int d = 0; d < v.rank; d++) total = mulCapped(total, v.shape[d]);
  if (total != out.length)
    throwRange(env, std::string(what) + ": out has " + std::to_string(out.length) + " elements, shape needs " +
                        std::to_string(total));
  for (int o = 0; o < operands; o++) {
    metaInts(env, meta, 1 + rank * (o + 1), rank, -kMaxCount, kMaxCount, v.strides[o], what);
    if (total == 0) continue;
    // lowest and highest element offsets the view reaches in operand o
    double lo = 0, hi = 0;
    for (int d = 0; d < v.rank; d++) {
      const double span = static_cast<double>(v.shape[d] - 1) * static_cast<double>(v.strides[o][d]);
      (span < 0 ? lo : hi) += span;
    }
    if (lo < 0 || hi >= static_cast<double>(arrays[o]->length))
      throwRange(env, std::string(what) + ": strides of operand " + std::to_string(o) + " reach outside its " +
                          std::to_string(arrays[o]->length) + " elements");
  }
  return v;
}

Napi::Value Unary(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  if (info.Length() < 3) throwType(env, "unary: expected (op, x, out)");
  const i64 op = intArg(info, 0, "unary: op", 0, static_cast<i64>(UnaryOp::Count) - 1);
  const ArrayArg x = arrayArg(info, 1, "unary: x");
  const ArrayArg out = arrayArg(info, 2, "unary: out");
  if (x.length != out.length)
    throwRange(env, "unary: x and out lengths differ (" + std::to_string(x.length) + " and " +
                        std::to_string(out.length) + ")");
  unaryKernel(static_cast<UnaryOp>(op), x, out);
  return env.Undefined();
}

Napi::Value Binary(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  if (info.Length() < 5) throwType(env, "binary: expected (op, a, b, out, meta)");
  const i64 op = intArg(info, 0, "binary: op", 0, static_cast<i64>(BinaryOp::Count) - 1);
  const ArrayArg a = arrayArg(info, 1, "binary: a");
  const ArrayArg b = arrayArg(info, 2, "binary: b");
  const ArrayArg out = arrayArg(info, 3, "binary: out");
  const ArrayArg meta = arrayArg(info, 4, "binary: meta");
  const ArrayArg* operands[] = {&a, &b};
  const BroadcastView view = readView(env, meta, 2, operands, out, "binary");
  binaryKernel(static_cast<BinaryOp>(op), a, b, out, view);
  return env.Undefined();
}

Napi::Value Where(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  if (info.Length() < 5) throwType(env, "where: expected (cond, a, b, out, meta)");
  const ArrayArg cond = arrayArg(info, 0, "where: cond");
  const ArrayArg a = arrayArg(info, 1, "where: a");
  const ArrayArg b = arrayArg(info, 2, "where: b");
  const ArrayArg out = arrayArg(info, 3, "where: out");
  const ArrayArg meta = arrayArg(info, 4, "where: meta");
  if (cond.dtype != DType::Uint8) throwType(env, "where: cond must be a Uint8Array");
  const ArrayArg* operands[] = {&cond, &a, &b};
  const BroadcastView view = readView(env, meta, 3, operands, out, "where");
  whereKernel(cond, a, b, out, view);
  return env.Undefined();
}

Napi::Array names(Napi::Env env, const char* const* list, std::size_t count) {
  Napi::Array array = Napi::Array::New(env, count);
  for (std::size_t i = 0; i < count; i++) array.Set(static_cast<uint32_t>(i), Napi::String::New(env, list[i]));
  return array;
}

}  // namespace

void registerElementwise(Napi::Env env, Napi::Object exports) {
  exports.Set("unaryOps", names(env, kUnaryNames, static_cast<std::size_t>(UnaryOp::Count)));
  exports.Set("binaryOps", names(env, kBinaryNames, static_cast<std::size_t>(BinaryOp::Count)));
  exports.Set("unary", Napi::Function::New(env, Unary, "unary"));
  exports.Set("binary", Napi::Function::New(env, Binary, "binary"));
  exports.Set("where", Napi::Function::New(env, Where, "where"));
}

}  // namespace tessera
