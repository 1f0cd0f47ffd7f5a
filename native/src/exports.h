// native/exports: each group of kernels adds its N-API functions to the module's exports.
#pragma once

#include <napi.h>

namespace tessera {

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

}  // namespace tessera
