// native/conv-napi: entry points of the fused convolution kernels (conv.h). meta is a Float64Array:
// the 14 WindowGeometry fields in src/backend/kernels.ts order, then filters, groups (1, or the
// channel count for a depthwise kernel), the activation code (0 none, 1 relu, 2 sigmoid, 3 tanh)
// and the algorithm code(s) (0 gemm, 1 direct).
//   convForward(x, w, bias | null, out, meta)              meta: [...geometry, F, groups, act, algorithm]
//   convBackward(x, w, y, dy, dx | null, dw | null, dbias | null, meta)
//                                                          meta: [...geometry, F, groups, act, inputAlg, kernelAlg]
#include <string>

#include "conv.h"
#include "exports.h"
#include "napi-args.h"

namespace tessera {
namespace {

constexpr i64 kMaxFilters = 2147483647;

/** Reads and checks the shape: sizes >= 0, kernel/stride/dilation >= 1, F >= 1, groups and codes in range. */
ConvShape readShape(const Napi::Env& env, const ArrayArg& meta, int algorithms, ConvAlgorithm* algorithm,
                    const char* what) {
  i64 v[kWindowFields + 5];
  const int count = kWindowFields + 3 + algorithms;
  metaInts(env, meta, 0, count, 0, kMaxCount, v, what);
  ConvShape s{WindowGeometry{v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13]},
              v[14], Activation::None, false};
  const WindowGeometry& g = s.g;
  if (g.kernelH < 1 || g.kernelW < 1 || g.strideH < 1 || g.strideW < 1 || g.dilationH < 1 || g.dilationW < 1)
    throwRange(env, std::string(what) + ": kernel sizes, strides and dilations must be >= 1");
  if (s.filters < 1 || s.filters > kMaxFilters) throwRange(env, std::string(what) + ": filters must be >= 1");
  const i64 groups = v[15];
  if (groups != 1 && (groups != g.channels || s.filters % groups != 0))
    throwRange(env, std::string(what) + ": groups must be 1 or the channel count, dividing the filters (got " +
                        std::to_string(groups) + ")");
  s.depthwise = groups > 1;
  if (v[16] > 3) throwRange(env, std::string(what) + ": unknown activation code " + std::to_string(v[16]));
  s.activation = static_cast<Activation>(v[16]);
  for (int i = 0; i < algorithms; i++) {
    if (v[17 + i] > 1) throwRange(env, std::string(what) + ": unknown algorithm code " + std::to_string(v[17 + i]));
    algorithm[i] = static_cast<ConvAlgorithm>(v[17 + i]);
  }
  return s;
}

i64 inputSize(const WindowGeometry& g) { return mulCapped(mulCapped(mulCapped(g.batch, g.inH), g.inW), g.channels); }
i64 outputSize(const ConvShape& s) {
  return mulCapped(mulCapped(mulCapped(s.g.batch, s.g.outH), s.g.outW), s.filters);
}
i64 kernelSize(const ConvShape& s) {
  return mulCapped(mulCapped(mulCapped(s.g.kernelH, s.g.kernelW), s.depthwise ? 1 : s.g.channels), s.filters);
}

void requireDType(const Napi::Env& env, const ArrayArg& a, DType dtype, const char* what) {
  if (a.dtype != dtype) throwType(env, std::string(what) + ": arrays must all be Float32Array or all Float64Array");
}

Napi::Value ConvForward(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  if (info.Length() < 5) throwType(env, "convForward: expected (x, w, bias, out, meta)");
  const ArrayArg x = arrayArg(info, 0, "convForward: x"), w = arrayArg(info, 1, "convForward: w");
  const ArrayArg out = arrayArg(info, 3, "convForward: out");
  ConvAlgorithm algorithm = ConvAlgorithm::Gemm;
  const ConvShape s = readShape(env, arrayArg(info, 4, "convForward: meta"), 1, &algorithm, "convForward");
  if (x.dtype != DType::Float32 && x.dtype != DType::Float64)
    throwType(env, "convForward: arrays must all be Float32Array or all Float64Array");
  requireDType(env, w, x.dtype, "convForward");
  requireDType(env, out, x.dtype, "convForward");
  requireLength(env, x, inputSize(s.g), "convForward: x");
  requireLength(env, w, kernelSize(s), "convForward: w");
  requireLength(env, out, outputSize(s), "convForward: out");
  ArrayArg bias;
  const bool hasBias = !isNullish(info[2]);
  if (hasBias) {
    bias = arrayArg(info, 2, "convForward: bias");
    requireDType(env, bias, x.dtype, "convForward");
    requireLength(env, bias, s.filters, "convForward: bias");
  }
  convForwardKernel(x, w, hasBias ? &bias : nullptr, out, s, algorithm);
  return env.Undefined();
}

/** An optional output array (null: not computed) of at least `length` elements. */
bool optionalArray(const Napi::CallbackInfo& info, std::size_t index, DType dtype, i64 length, const char* what,
                   ArrayArg* out) {
  if (isNullish(info[index])) return false;
  *out = arrayArg(info, index, what);
  requireDType(info.Env(), *out, dtype, "convBackward");
  requireLength(info.Env(), *out, length, what);
  return true;
}

Napi::Value ConvBackward(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  if (info.Length() < 8) throwType(env, "convBackward: expected (x, w, y, dy, dx, dw, dbias, meta)");
  const ArrayArg x = arrayArg(info, 0, "convBackward: x"), w = arrayArg(info, 1, "convBackward: w");
  const ArrayArg y = arrayArg(info, 2, "convBackward: y"), dy = arrayArg(info, 3, "convBackward: dy");
  ConvAlgorithm algorithms[2] = {ConvAlgorithm::Gemm, ConvAlgorithm::Gemm};
  const ConvShape s = readShape(env, arrayArg(info, 7, "convBackward: meta"), 2, algorithms, "convBackward");
  if (x.dtype != DType::Float32 && x.dtype != DType::Float64)
    throwType(env, "convBackward: arrays must all be Float32Array or all Float64Array");
  for (const ArrayArg* a : {&w, &y, &dy}) requireDType(env, *a, x.dtype, "convBackward");
  requireLength(env, x, inputSize(s.g), "convBackward: x");
  requireLength(env, w, kernelSize(s), "convBackward: w");
  requireLength(env, y, outputSize(s), "convBackward: y");
  requireLength(env, dy, outputSize(s), "convBackward: dy");
  ArrayArg dx, dw, dbias;
  const bool hasDx = optionalArray(info, 4, x.dtype, inputSize(s.g), "convBackward: dx", &dx);
  const bool hasDw = optionalArray(info, 5, x.dtype, kernelSize(s), "convBackward: dw", &dw);
  const bool hasDbias = optionalArray(info, 6, x.dtype, s.filters, "convBackward: dbias", &dbias);
  convBackwardKernel(x, w, y, dy, hasDx ? &dx : nullptr, hasDw ? &dw : nullptr, hasDbias ? &dbias : nullptr, s,
                     algorithms[0], algorithms[1]);
  return env.Undefined();
}

}  // namespace

void registerConv(Napi::Env env, Napi::Object exports) {
  exports.Set("convForward", Napi::Function::New(env, ConvForward, "convForward"));
  exports.Set("convBackward", Napi::Function::New(env, ConvBackward, "convBackward"));
}

}  // namespace tessera
