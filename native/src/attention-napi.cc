// native/attention-napi: entry points of the attention kernels (see attention.h).
//   attention(q, k, v, out, lse, mask, meta)
//   attentionBackward(q, k, v, out, lse, dOut, dq, dk, dv, mask, meta)
// mask is a Uint8Array or null; meta is a Float64Array of kAttentionMeta numbers: batch, heads, tq,
// tk, dk, dv, scale, causal (0/1), the 4 mask strides, then (batch, head, row) strides of q, k, v
// and out in turn (dq, dk, dv share q, k, v's; dOut shares out's). lse is (B, N, Tq) contiguous.
#include <string>

#include "attention.h"
#include "exports.h"
#include "napi-args.h"

namespace tessera {
namespace {

constexpr i64 kAttentionMeta = 24;

void readStrides(const Napi::Env& env, const ArrayArg& meta, i64 at, AttentionStrides* s, const char* what) {
  i64 v[3];
  metaInts(env, meta, at, 3, 0, kMaxCount, v, what);
  *s = AttentionStrides{v[0], v[1], v[2]};
}

AttentionProblem readProblem(const Napi::Env& env, const ArrayArg& meta, const char* what) {
  if (meta.dtype != DType::Float64) throwType(env, std::string(what) + ": meta must be a Float64Array");
  if (meta.length < kAttentionMeta) throwRange(env, std::string(what) + ": meta too short");
  AttentionProblem p{};
  i64 sizes[6];
  metaInts(env, meta, 0, 6, 0, kMaxCount, sizes, what);
  p.batch = sizes[0], p.heads = sizes[1], p.tq = sizes[2], p.tk = sizes[3], p.dk = sizes[4], p.dv = sizes[5];
  p.scale = meta.as<const double>()[6];
  if (!std::isfinite(p.scale)) throwRange(env, std::string(what) + ": scale must be finite");
  i64 causal = 0;
  metaInts(env, meta, 7, 1, 0, 1, &causal, what);
  p.causal = causal != 0;
  metaInts(env, meta, 8, 4, 0, kMaxCount, p.maskStrides, what);
  readStrides(env, meta, 12, &p.q, what);
  readStrides(env, meta, 15, &p.k, what);
  readStrides(env, meta, 18, &p.v, what);
  readStrides(env, meta, 21, &p.o, what);
  return p;
}

/** Elements an operand with these strides spans: its largest offset + 1 (0 when it is empty). */
i64 span(const AttentionProblem& p, const AttentionStrides& s, i64 rows, i64 depth) {
  if (p.batch == 0 || p.heads == 0 || rows == 0 || depth == 0) return 0;
  i64 last = mulCapped(p.batch - 1, s.batch);
  last = std::min(kMaxCount + 1, last + mulCapped(p.heads - 1, s.head));
  last = std::min(kMaxCount + 1, last + mulCapped(rows - 1, s.row));
  return std::min(kMaxCount + 1, last + depth);
}

/** Checks that every float operand has the same float dtype and covers its layout. */
void checkFloat(const Napi::Env& env, const ArrayArg& a, const ArrayArg& q, i64 needed, const std::string& what) {
  if (a.dtype != q.dtype || (a.dtype != DType::Float32 && a.dtype != DType::Float64))
    throwType(env, what + " must be a Float32Array or Float64Array like q");
  requireLength(env, a, needed, what.c_str());
}

const std::uint8_t* readMask(const Napi::CallbackInfo& info, std::size_t index, const AttentionProblem& p,
                             const char* what) {
  const Napi::Env env = info.Env();
  if (isNullish(info[index])) return nullptr;
  const ArrayArg mask = arrayArg(info, index, what);
  if (mask.dtype != DType::Uint8) throwType(env, std::string(what) + " must be a Uint8Array or null");
  if (p.batch > 0 && p.heads > 0 && p.tq > 0 && p.tk > 0) {
    i64 last = mulCapped(p.batch - 1, p.maskStrides[0]);
    last = std::min(kMaxCount + 1, last + mulCapped(p.heads - 1, p.maskStrides[1]));
    last = std::min(kMaxCount + 1, last + mulCapped(p.tq - 1, p.maskStrides[2]));
    last = std::min(kMaxCount + 1, last + mulCapped(p.tk - 1, p.maskStrides[3]));
    requireLength(env, mask, last + 1, what);
  }
  return mask.as<const std::uint8_t>();
}

Napi::Value Attention(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  if (info.Length() < 7) throwType(env, "attention: expected (q, k, v, out, lse, mask, meta)");
  AttentionProblem p = readProblem(env, arrayArg(info, 6, "attention: meta"), "attention");
  const ArrayArg q = arrayArg(info, 0, "attention: q"), k = arrayArg(info, 1, "attention: k");
  const ArrayArg v = arrayArg(info, 2, "attention: v"), out = arrayArg(info, 3, "attention: out");
  const ArrayArg lse = arrayArg(info, 4, "attention: lse");
  checkFloat(env, q, q, span(p, p.q, p.tq, p.dk), "attention: q");
  checkFloat(env, k, q, span(p, p.k, p.tk, p.dk), "attention: k");
  checkFloat(env, v, q, span(p, p.v, p.tk, p.dv), "attention: v");
  checkFloat(env, out, q, span(p, p.o, p.tq, p.dv), "attention: out");
  checkFloat(env, lse, q, mulCapped(mulCapped(p.batch, p.heads), p.tq), "attention: lse");
  p.mask = readMask(info, 5, p, "attention: mask");
  p.dtype = q.dtype;
  attentionForward(p, AttentionArrays{q.data, k.data, v.data, out.data, lse.data, nullptr, nullptr, nullptr, nullptr});
  return env.Undefined();
}

Napi::Value AttentionBackward(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  if (info.Length() < 11)
    throwType(env, "attentionBackward: expected (q, k, v, out, lse, dOut, dq, dk, dv, mask, meta)");
  AttentionProblem p = readProblem(env, arrayArg(info, 10, "attentionBackward: meta"), "attentionBackward");
  const ArrayArg q = arrayArg(info, 0, "attentionBackward: q"), k = arrayArg(info, 1, "attentionBackward: k");
  const ArrayArg v = arrayArg(info, 2, "attentionBackward: v"), out = arrayArg(info, 3, "attentionBackward: out");
  const ArrayArg lse = arrayArg(info, 4, "attentionBackward: lse");
  const ArrayArg dOut = arrayArg(info, 5, "attentionBackward: dOut");
  const ArrayArg dq = arrayArg(info, 6, "attentionBackward: dq"), dk = arrayArg(info, 7, "attentionBackward: dk");
  const ArrayArg dv = arrayArg(info, 8, "attentionBackward: dv");
  const i64 qSpan = span(p, p.q, p.tq, p.dk), kSpan = span(p, p.k, p.tk, p.dk), vSpan = span(p, p.v, p.tk, p.dv);
  const i64 oSpan = span(p, p.o, p.tq, p.dv);
  checkFloat(env, q, q, qSpan, "attentionBackward: q");
  checkFloat(env, k, q, kSpan, "attentionBackward: k");
  checkFloat(env, v, q, vSpan, "attentionBackward: v");
  checkFloat(env, out, q, oSpan, "attentionBackward: out");
  checkFloat(env, lse, q, mulCapped(mulCapped(p.batch, p.heads), p.tq), "attentionBackward: lse");
  checkFloat(env, dOut, q, oSpan, "attentionBackward: dOut");
  checkFloat(env, dq, q, qSpan, "attentionBackward: dq");
  checkFloat(env, dk, q, kSpan, "attentionBackward: dk");
  checkFloat(env, dv, q, vSpan, "attentionBackward: dv");
  p.mask = readMask(info, 9, p, "attentionBackward: mask");
  p.dtype = q.dtype;
  attentionBackward(p, AttentionArrays{q.data, k.data, v.data, out.data, lse.data, dOut.data, dq.data, dk.data,
                                       dv.data});
  return env.Undefined();
}

}  // namespace

void registerAttention(Napi::Env env, Napi::Object exports) {
  exports.Set("attention", Napi::Function::New(env, Attention, "attention"));
  exports.Set("attentionBackward", Napi::Function::New(env, AttentionBackward, "attentionBackward"));
}

}  // namespace tessera
