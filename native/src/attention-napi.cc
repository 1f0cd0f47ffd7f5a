// native/attention-napi: entry points of the attention kernels (filled in by the attention kernel work; empty until then).
#include "exports.h"

namespace tessera {

void registerAttention(Napi::Env env, Napi::Object exports) {
  (void)env;
  (void)exports;
}

}  // namespace tessera
