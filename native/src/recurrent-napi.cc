// native/recurrent-napi: entry points of the recurrent kernels (filled in by the recurrent kernel work; empty until then).
#include "exports.h"

namespace tessera {

void registerRecurrent(Napi::Env env, Napi::Object exports) {
  (void)env;
  (void)exports;
}

}  // namespace tessera
