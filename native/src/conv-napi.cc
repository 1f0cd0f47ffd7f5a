// native/conv-napi: entry points of the conv kernels (filled in by the conv kernel work; empty until then).
#include "exports.h"

namespace tessera {

void registerConv(Napi::Env env, Napi::Object exports) {
  (void)env;
  (void)exports;
}

}  // namespace tessera
