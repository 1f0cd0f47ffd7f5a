// native/movement-napi: entry points of the data movement kernels.
//   stridedCopy(src, dst, meta)   meta: [rank, srcOffset, dstOffset, shape..., srcStrides..., dstStrides...]
//   gather(x, outer, size, inner, indices, out)
//   scatterAdd(updates, outer, size, inner, indices, out)
//   cast(x, out)
#include "exports.h"
#include "movement.h"
#include "napi-args.h"

namespace tessera {
namespace {

Napi::Value StridedCopy(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  if (info.Length() < 3) throwType(env, "stridedCopy: expected (src, dst, meta)");
  const ArrayArg src = arrayArg(info, 0, "stridedCopy: src");
  const ArrayArg dst = arrayArg(info, 1, "stridedCopy: dst");
  const ArrayArg meta = arrayArg(info, 2, "stridedCopy: meta");
  i64 head[3];
  metaInts(env, meta, 0, 1, 0, kMaxRank, head, "stridedCopy");
  metaInts(env, meta, 1, 2, 0, kMaxCount, head + 1, "stridedCopy");
  BroadcastView v;
  v.rank = static_cast<int>(head[0]);
  v.operands = 2;
  const i64 rank = head[0];
  metaInts(env, meta, 3, rank, 0, kMaxCount, v.shape, "stridedCopy");
  metaInts(env, meta, 3 + rank, rank, -kMaxCount, kMaxCount, v.strides[0], "stridedCopy");
  metaInts(env, meta, 3 + 2 * rank, rank, -kMaxCount, kMaxCount, v.strides[1], "stridedCopy");
  i64 total = 1;
  for (int d = 0; d < v.rank; d++) total = mulCapped(total, v.shape[d]);
  if (total > 0) {
    const ArrayArg* sides[] = {&src, &dst};
    for (int o = 0; o < 2; o++) {
      double lo = static_cast<double>(head[1 + o]), hi = lo;
      for (int d = 0; d < v.rank; d++) {
        const double span = static_cast<double>(v.shape[d] - 1) * static_cast<double>(v.strides[o][d]);
        (span < 0 ? lo : hi) += span;
      }
      if (lo < 0 || hi >= static_cast<double>(sides[o]->length))
        throwRange(env, std::string("stridedCopy: the ") + (o == 0 ? "source" : "destination") +
                            " view reaches outside its " + std::to_string(sides[o]->length) + " elements");
    }
  }
  stridedCopyKernel(src, head[1], dst, head[2], v);
  return env.Undefined();
}

/** Checks the index array: Int32Array with every value in [0, size). */
const std::int32_t* readIndices(const Napi::Env& env, const ArrayArg& indices, i64 size, const char* what) {
  if (indices.dtype != DType::Int32) throwType(env, std::string(what) + ": indices must be an Int32Array");
  const std::int32_t* p = indices.as<const std::int32_t>();
  for (i64 t = 0; t < indices.length; t++) {
    if (p[t] < 0 || p[t] >= size)
      throwRange(env, std::string(what) + ": index " + std::to_string(p[t]) + " is outside [0, " +
                          std::to_string(size) + ")");
  }
  return p;
}

/** gather(x, outer, size, inner, indices, out) or scatterAdd(updates, ..., out). */
Napi::Value GatherOrScatter(const Napi::CallbackInfo& info, bool scatter) {
  const Napi::Env env = info.Env();
  const char* what = scatter ? "scatterAdd" : "gather";
  if (info.Length() < 6) throwType(env, std::string(what) + ": expected 6 arguments");
  const ArrayArg data = arrayArg(info, 0, what);
  const i64 outer = intArg(info, 1, what), size = intArg(info, 2, what), inner = intArg(info, 3, what);
  const ArrayArg indices = arrayArg(info, 4, what);
  const ArrayArg out = arrayArg(info, 5, what);
  const std::int32_t* idx = readIndices(env, indices, size, what);
  const i64 full = mulCapped(mulCapped(outer, size), inner);
  const i64 picked = mulCapped(mulCapped(outer, indices.length), inner);
  requireLength(env, data, scatter ? picked : full, scatter ? "scatterAdd: updates" : "gather: x");
  requireLength(env, out, scatter ? full : picked, scatter ? "scatterAdd: out" : "gather: out");
  if (scatter) scatterAddKernel(data, outer, size, inner, idx, indices.length, out);
  else gatherKernel(data, outer, size, inner, idx, indices.length, out);
  return env.Undefined();
}

Napi::Value Gather(const Napi::CallbackInfo& info) { return GatherOrScatter(info, false); }
Napi::Value ScatterAdd(const Napi::CallbackInfo& info) { return GatherOrScatter(info, true); }

Napi::Value Cast(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  if (info.Length() < 2) throwType(env, "cast: expected (x, out)");
  const ArrayArg x = arrayArg(info, 0, "cast: x");
  const ArrayArg out = arrayArg(info, 1, "cast: out");
  if (x.length != out.length) throwRange(env, "cast: x and out lengths differ");
  castKernel(x, out);
  return env.Undefined();
}

}  // namespace

void registerMovement(Napi::Env env, Napi::Object exports) {
  exports.Set("stridedCopy", Napi::Function::New(env, StridedCopy, "stridedCopy"));
  exports.Set("gather", Napi::Function::New(env, Gather, "gather"));
  exports.Set("scatterAdd", Napi::Function::New(env, ScatterAdd, "scatterAdd"));
  exports.Set("cast", Napi::Function::New(env, Cast, "cast"));
}

}  // namespace tessera
