// native/exports: each group of kernels adds its N-API functions to the module's exports.
#pragma once

#include <napi.h>

namespace tessera {

/**
 * The version of the addon's JavaScript interface (every export's name and argument list). The
 * loader (src/backend/native/addon.ts NATIVE_ABI_VERSION) refuses an addon whose number differs,
 * so an addon built from another tree falls back as a whole instead of failing kernel by kernel.
 * Bump it with any change to an export's name or arguments.
 */
constexpr int kAbiVersion = 4;

void registerGemm(Napi::Env env, Napi::Object exports);
void registerElementwise(Napi::Env env, Napi::Object exports);
void registerReduce(Napi::Env env, Napi::Object exports);
void registerMovement(Napi::Env env, Napi::Object exports);
void registerWindow(Napi::Env env, Napi::Object exports);
void registerRecurrent(Napi::Env env, Napi::Object exports);
void registerAttention(Napi::Env env, Napi::Object exports);
void registerNorm(Napi::Env env, Napi::Object exports);
void registerOptim(Napi::Env env, Napi::Object exports);
void registerConv(Napi::Env env, Napi::Object exports);
void registerEpilogue(Napi::Env env, Napi::Object exports);
void registerNoise(Napi::Env env, Napi::Object exports);

}  // namespace tessera
