// native/optim-napi: entry points of the optimizer update kernels, and their dispatch to the
// active ISA path and the thread pool.
//   adamUpdate(param, grad, m, v, vHat | null, k)                 k: alpha, 1-beta1, 1-beta2, eps, decay
//   sgdUpdate(param, grad, velocity | null, k)                    k: lr, momentum, nesterov, decay
//   rmspropUpdate(param, grad, velocity, avg | null, mom | null, k)  k: lr, rho, 1-rho, momentum, eps, decay
//   adagradUpdate(param, grad, accumulator, k)                    k: lr, eps, decay
//   adamaxUpdate(param, grad, m, u, k)                            k: see OptimKind::Adamax (optim.h)
//   nadamUpdate(param, grad, m, v, k)                             k: see OptimKind::Nadam
//   adadeltaUpdate(param, grad, accumulatedGrad, accumulatedDelta, k)  k: lr, rho, 1-rho, eps, decay
//   lionUpdate(param, grad, m, k)                                 k: lr, beta1, 1-beta1, beta2, 1-beta2, decay
// Arrays are Float32Array or Float64Array, all of the parameter's type and length; k is a
// Float64Array. Everything is checked before a kernel runs.
#include <string>

#include "cpu-features.h"
#include "exports.h"
#include "napi-args.h"
#include "optim.h"
#include "parallel.h"

namespace tessera {

void optimKernel(const OptimJob& job) {
  OptimRange range = optimScalar();
  switch (activeIsa()) {
    case Isa::Avx512: range = optimAvx512(); break;
    case Isa::Avx2: range = optimAvx2(); break;
    case Isa::Scalar: break;
  }
  // about 1 ns per element on one thread: below ~16k elements a wake-up costs more than it saves
  constexpr i64 kGrain = 16384;
  parallelChunks(job.length, kGrain, [&](i64 begin, i64 end) { range(job, begin, end); });
}

namespace {

struct Slot {
  const char* name;
  bool optional;
};

/**
 * Reads (param, grad, slots..., k) into a job: checks every array's type and length and k's
 * length; optional slots may be null or undefined.
 */
OptimJob readJob(const Napi::CallbackInfo& info, OptimKind kind, const char* what, const Slot* slots, int count) {
  const Napi::Env env = info.Env();
  const std::size_t expected = 3 + static_cast<std::size_t>(count);
  if (info.Length() < expected)
    throwType(env, std::string(what) + ": expected " + std::to_string(expected) + " arguments (got " +
                       std::to_string(info.Length()) + ")");
  OptimJob job;
  job.kind = kind;
  const ArrayArg param = arrayArg(info, 0, (std::string(what) + ": param").c_str());
  if (param.dtype != DType::Float32 && param.dtype != DType::Float64)
    throwType(env, std::string(what) + ": param must be a Float32Array or Float64Array");
  job.dtype = param.dtype;
  job.length = param.length;
  job.param = param.data;
  auto same = [&](std::size_t index, const std::string& name) {
    const ArrayArg a = arrayArg(info, index, name.c_str());
    if (a.dtype != param.dtype) throwType(env, name + " must have the parameter's element type");
    if (a.length != param.length)
      throwRange(env, name + " has " + std::to_string(a.length) + " elements, the parameter has " +
                          std::to_string(param.length));
    return a.data;
  };
  job.grad = same(1, std::string(what) + ": grad");
  void* out[3] = {nullptr, nullptr, nullptr};
  for (int s = 0; s < count; s++) {
    const std::size_t index = 2 + static_cast<std::size_t>(s);
    const std::string name = std::string(what) + ": " + slots[s].name;
    if (slots[s].optional && isNullish(info[index])) continue;
    out[s] = same(index, name);
  }
  job.s0 = out[0];
  job.s1 = out[1];
  job.s2 = out[2];
  const ArrayArg k = arrayArg(info, expected - 1, (std::string(what) + ": k").c_str());
  const int scalars = kOptimScalars[static_cast<int>(kind)];
  if (k.dtype != DType::Float64) throwType(env, std::string(what) + ": k must be a Float64Array");
  if (k.length < scalars)
    throwRange(env, std::string(what) + ": k has " + std::to_string(k.length) + " values, needs " +
                        std::to_string(scalars));
  for (int i = 0; i < scalars; i++) job.k[i] = k.as<double>()[i];
  return job;
}

Napi::Value AdamUpdate(const Napi::CallbackInfo& info) {
  static const Slot slots[] = {{"m", false}, {"v", false}, {"vHat", true}};
  optimKernel(readJob(info, OptimKind::Adam, "adamUpdate", slots, 3));
  return info.Env().Undefined();
}

Napi::Value SgdUpdate(const Napi::CallbackInfo& info) {
  static const Slot slots[] = {{"velocity", true}};
  optimKernel(readJob(info, OptimKind::Sgd, "sgdUpdate", slots, 1));
  return info.Env().Undefined();
}

Napi::Value RmspropUpdate(const Napi::CallbackInfo& info) {
  static const Slot slots[] = {{"velocity", false}, {"averageGradient", true}, {"momentum", true}};
  optimKernel(readJob(info, OptimKind::Rmsprop, "rmspropUpdate", slots, 3));
  return info.Env().Undefined();
}

Napi::Value AdagradUpdate(const Napi::CallbackInfo& info) {
  static const Slot slots[] = {{"accumulator", false}};
  optimKernel(readJob(info, OptimKind::Adagrad, "adagradUpdate", slots, 1));
  return info.Env().Undefined();
}

Napi::Value AdamaxUpdate(const Napi::CallbackInfo& info) {
  static const Slot slots[] = {{"m", false}, {"u", false}};
  optimKernel(readJob(info, OptimKind::Adamax, "adamaxUpdate", slots, 2));
  return info.Env().Undefined();
}

Napi::Value NadamUpdate(const Napi::CallbackInfo& info) {
  static const Slot slots[] = {{"m", false}, {"v", false}};
  optimKernel(readJob(info, OptimKind::Nadam, "nadamUpdate", slots, 2));
  return info.Env().Undefined();
}

Napi::Value AdadeltaUpdate(const Napi::CallbackInfo& info) {
  static const Slot slots[] = {{"accumulatedGrad", false}, {"accumulatedDelta", false}};
  optimKernel(readJob(info, OptimKind::Adadelta, "adadeltaUpdate", slots, 2));
  return info.Env().Undefined();
}

Napi::Value LionUpdate(const Napi::CallbackInfo& info) {
  static const Slot slots[] = {{"m", false}};
  optimKernel(readJob(info, OptimKind::Lion, "lionUpdate", slots, 1));
  return info.Env().Undefined();
}

}  // namespace

void registerOptim(Napi::Env env, Napi::Object exports) {
  exports.Set("adamUpdate", Napi::Function::New(env, AdamUpdate, "adamUpdate"));
  exports.Set("sgdUpdate", Napi::Function::New(env, SgdUpdate, "sgdUpdate"));
  exports.Set("rmspropUpdate", Napi::Function::New(env, RmspropUpdate, "rmspropUpdate"));
  exports.Set("adagradUpdate", Napi::Function::New(env, AdagradUpdate, "adagradUpdate"));
  exports.Set("adamaxUpdate", Napi::Function::New(env, AdamaxUpdate, "adamaxUpdate"));
  exports.Set("nadamUpdate", Napi::Function::New(env, NadamUpdate, "nadamUpdate"));
  exports.Set("adadeltaUpdate", Napi::Function::New(env, AdadeltaUpdate, "adadeltaUpdate"));
  exports.Set("lionUpdate", Napi::Function::New(env, LionUpdate, "lionUpdate"));
}

}  // namespace tessera
