// native/window-napi: entry points of the window kernels. meta is a Float64Array holding the 14
// WindowGeometry fields in src/backend/kernels.ts order.
//   im2col(x, out, meta)                 col2im(cols, out, meta)
//   maxPool(x, out, argmax, meta)        maxPoolBackward(dy, argmax, out, meta)
//   avgPool(x, out, meta)                avgPoolBackward(dy, out, meta)
#include <string>

#include "exports.h"
#include "napi-args.h"
#include "window.h"

namespace tessera {
namespace {

/** Reads and checks the geometry: sizes >= 0, kernel/stride/dilation >= 1, pads >= 0. */
WindowGeometry readGeometry(const Napi::Env& env, const ArrayArg& meta, const char* what) {
  i64 v[kWindowFields];
  metaInts(env, meta, 0, kWindowFields, 0, kMaxCount, v, what);
  WindowGeometry g{v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13]};
  if (g.kernelH < 1 || g.kernelW < 1 || g.strideH < 1 || g.strideW < 1 || g.dilationH < 1 || g.dilationW < 1)
    throwRange(env, std::string(what) + ": kernel sizes, strides and dilations must be >= 1");
  return g;
}

i64 inputSize(const WindowGeometry& g) { return mulCapped(mulCapped(mulCapped(g.batch, g.inH), g.inW), g.channels); }
i64 cellCount(const WindowGeometry& g) { return mulCapped(mulCapped(mulCapped(g.batch, g.outH), g.outW), g.channels); }
i64 patchSize(const WindowGeometry& g) {
  return mulCapped(mulCapped(mulCapped(g.batch, g.outH), g.outW), mulCapped(mulCapped(g.kernelH, g.kernelW), g.channels));
}

void requireFloatPair(const Napi::Env& env, const ArrayArg& a, const ArrayArg& b, const char* what) {
  if (a.dtype != b.dtype || (a.dtype != DType::Float32 && a.dtype != DType::Float64))
    throwType(env, std::string(what) + ": arrays must both be Float32Array or both Float64Array");
}

const std::int32_t* int32Array(const Napi::Env& env, const ArrayArg& a, i64 length, const char* what) {
  if (a.dtype != DType::Int32) throwType(env, std::string(what) + ": argmax must be an Int32Array");
  requireLength(env, a, length, what);
  return a.as<const std::int32_t>();
}

/**
 * The (in, out, meta) entry points: reads both arrays and the geometry, checks that they are a
 * float pair holding inSize(g) and outSize(g) elements, then runs the kernel.
 */
Napi::Value pairEntry(const Napi::CallbackInfo& info, const std::string& name, const char* inName,
                      i64 (*inSize)(const WindowGeometry&), i64 (*outSize)(const WindowGeometry&),
                      void (*kernel)(const Array&, const WindowGeometry&, const Array&)) {
  const Napi::Env env = info.Env();
  if (info.Length() < 3) throwType(env, name + ": expected (" + inName + ", out, meta)");
  const std::string inWhat = name + ": " + inName, outWhat = name + ": out";
  const ArrayArg in = arrayArg(info, 0, inWhat.c_str()), out = arrayArg(info, 1, outWhat.c_str());
  const WindowGeometry g = readGeometry(env, arrayArg(info, 2, (name + ": meta").c_str()), name.c_str());
  requireFloatPair(env, in, out, name.c_str());
  requireLength(env, in, inSize(g), inWhat.c_str());
  requireLength(env, out, outSize(g), outWhat.c_str());
  kernel(in, g, out);
  return env.Undefined();
}

Napi::Value Im2col(const Napi::CallbackInfo& info) {
  return pairEntry(info, "im2col", "x", inputSize, patchSize, im2colKernel);
}

Napi::Value Col2im(const Napi::CallbackInfo& info) {
  return pairEntry(info, "col2im", "cols", patchSize, inputSize, col2imKernel);
}

Napi::Value MaxPool(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  if (info.Length() < 4) throwType(env, "maxPool: expected (x, out, argmax, meta)");
  const ArrayArg x = arrayArg(info, 0, "maxPool: x"), out = arrayArg(info, 1, "maxPool: out");
  const ArrayArg argmax = arrayArg(info, 2, "maxPool: argmax");
  const WindowGeometry g = readGeometry(env, arrayArg(info, 3, "maxPool: meta"), "maxPool");
  requireFloatPair(env, x, out, "maxPool");
  requireLength(env, x, inputSize(g), "maxPool: x");
  requireLength(env, out, cellCount(g), "maxPool: out");
  if (inputSize(g) > 2147483647) throwRange(env, "maxPool: x has too many elements for int32 indices");
  int32Array(env, argmax, cellCount(g), "maxPool: argmax");
  maxPoolKernel(x, g, out, argmax.as<std::int32_t>());
  return env.Undefined();
}

Napi::Value MaxPoolBackward(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  if (info.Length() < 4) throwType(env, "maxPoolBackward: expected (dy, argmax, out, meta)");
  const ArrayArg dy = arrayArg(info, 0, "maxPoolBackward: dy");
  const ArrayArg argmax = arrayArg(info, 1, "maxPoolBackward: argmax");
  const ArrayArg out = arrayArg(info, 2, "maxPoolBackward: out");
  const WindowGeometry g = readGeometry(env, arrayArg(info, 3, "maxPoolBackward: meta"), "maxPoolBackward");
  requireFloatPair(env, dy, out, "maxPoolBackward");
  const i64 cells = cellCount(g);
  requireLength(env, dy, cells, "maxPoolBackward: dy");
  requireLength(env, out, inputSize(g), "maxPoolBackward: out");
  const std::int32_t* at = int32Array(env, argmax, cells, "maxPoolBackward: argmax");
  // each image's indices must stay inside that image: the kernel scatters images in parallel
  // (image by image, without a division per cell: this check runs on every training step)
  const i64 image = g.inH * g.inW * g.channels, perImage = g.outH * g.outW * g.channels;
  for (i64 n = 0, i = 0; n < g.batch; n++) {
    const i64 lo = n * image, hi = lo + image;
    bool inside = true;
    for (i64 end = i + perImage; i < end; i++) inside &= at[i] == -1 || (at[i] >= lo && at[i] < hi);
    if (!inside) {
      for (i64 j = i - perImage; j < i; j++)
        if (at[j] != -1 && (at[j] < lo || at[j] >= hi))
          throwRange(env, "maxPoolBackward: argmax " + std::to_string(at[j]) + " lies outside image " + std::to_string(n));
    }
  }
  maxPoolBackwardKernel(dy, at, g, out);
  return env.Undefined();
}

Napi::Value AvgPool(const Napi::CallbackInfo& info) {
  return pairEntry(info, "avgPool", "x", inputSize, cellCount, avgPoolKernel);
}

Napi::Value AvgPoolBackward(const Napi::CallbackInfo& info) {
  return pairEntry(info, "avgPoolBackward", "dy", cellCount, inputSize, avgPoolBackwardKernel);
}

}  // namespace

void registerWindow(Napi::Env env, Napi::Object exports) {
  exports.Set("im2col", Napi::Function::New(env, Im2col, "im2col"));
  exports.Set("col2im", Napi::Function::New(env, Col2im, "col2im"));
  exports.Set("maxPool", Napi::Function::New(env, MaxPool, "maxPool"));
  exports.Set("maxPoolBackward", Napi::Function::New(env, MaxPoolBackward, "maxPoolBackward"));
  exports.Set("avgPool", Napi::Function::New(env, AvgPool, "avgPool"));
  exports.Set("avgPoolBackward", Napi::Function::New(env, AvgPoolBackward, "avgPoolBackward"));
}

}  // namespace tessera
