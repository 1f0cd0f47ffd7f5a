// native/norm-napi: entry points of the norm kernels (filled in by the norm kernel work; empty until then).
#include "exports.h"

namespace tessera {

void registerNorm(Napi::Env env, Napi::Object exports) {
  (void)env;
  (void)exports;
}

}  // namespace tessera
