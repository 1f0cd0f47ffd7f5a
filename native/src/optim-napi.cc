// native/optim-napi: entry points of the optim kernels (filled in by the optim kernel work; empty until then).
#include "exports.h"

namespace tessera {

void registerOptim(Napi::Env env, Napi::Object exports) {
  (void)env;
  (void)exports;
}

}  // namespace tessera
