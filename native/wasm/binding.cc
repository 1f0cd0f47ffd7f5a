// native/wasm/binding: the WebAssembly module's C ABI. The addon's own entry (native/src/binding.cc,
// built against native/wasm/include/napi.h) registers every kernel group exactly as in the addon,
// so a new group needs nothing here; this file numbers the entry points, describes them in a JSON
// manifest and calls them. The addon's controls (ISA, threads, probes) are answered in JavaScript
// for this single-threaded SIMD128 build (src/backend/wasm/addon.ts). Memory for the arguments comes from tessera_alloc (the JavaScript side keeps
// one reusable arena); errors go back to JavaScript through the imported tessera_throw.
//
//   tessera_init() -> address of the manifest (UTF-8 JSON), its length from tessera_manifest_length()
//   tessera_call(index, slots, count)   runs entry point `index` on `count` 4-double argument slots
//   tessera_alloc(bytes) / tessera_free(address)   64-byte aligned blocks of linear memory
#include <napi.h>

#include <cstdlib>
#include <cstring>
#include <string>

#include "../src/exports.h"

#define TESSERA_EXPORT(name) extern "C" __attribute__((export_name(name), used))

/** Raises the pending error in JavaScript (kind 1 TypeError, 2 RangeError, 3 Error); never returns. */
extern "C" __attribute__((import_module("env"), import_name("tessera_throw"))) void tesseraThrow(int kind,
                                                                                                const char* message,
                                                                                                int length);

namespace tessera_wasm {
namespace {

int pendingKind = 0;
std::string pendingMessage;
Napi::Object::Table exportsTable;
std::string manifest;

void appendJsonString(std::string& out, const std::string& text) {
  out += '"';
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
}

void buildManifest() {
  manifest = "{\"abiVersion\":" + std::to_string(tessera::kAbiVersion);
#if defined(__wasm_simd128__)
  manifest += ",\"isa\":\"simd128\"";
#else
  manifest += ",\"isa\":\"scalar\"";
#endif
  manifest += ",\"functions\":[";
  for (std::size_t i = 0; i < exportsTable.functions.size(); i++) {
    if (i > 0) manifest += ',';
    appendJsonString(manifest, exportsTable.functions[i].first);
  }
  manifest += "],\"lists\":{";
  for (std::size_t i = 0; i < exportsTable.lists.size(); i++) {
    if (i > 0) manifest += ',';
    appendJsonString(manifest, exportsTable.lists[i].first);
    manifest += ":[";
    const auto& items = exportsTable.lists[i].second;
    for (std::size_t j = 0; j < items.size(); j++) {
      if (j > 0) manifest += ',';
      appendJsonString(manifest, items[j]);
    }
    manifest += ']';
  }
  manifest += "}}";
}

}  // namespace

void setPendingError(int kind, const std::string& message) {
  pendingKind = kind;
  pendingMessage = "tessera wasm: " + message.substr(message.rfind("tessera native: ", 0) == 0 ? 16 : 0);
}

}  // namespace tessera_wasm

// C++ `throw` compiles (-fignore-exceptions) to these two calls; nothing catches inside the
// module, so a throw is an error for the JavaScript caller: raised there, the wasm frames unwind.
extern "C" void* __cxa_allocate_exception(std::size_t size) {
  alignas(16) static unsigned char storage[256];
  return size <= sizeof(storage) ? storage : std::malloc(size);
}

extern "C" [[noreturn]] void __cxa_throw(void*, void*, void (*)(void*)) {
  using namespace tessera_wasm;
  int kind = pendingKind == 0 ? 3 : pendingKind;
  std::string message = pendingKind == 0 ? std::string("tessera wasm: out of memory or internal error")
                                         : pendingMessage;
  pendingKind = 0;
  tesseraThrow(kind, message.data(), static_cast<int>(message.size()));
  __builtin_trap();
}

/** Defined by NODE_API_MODULE at the end of native/src/binding.cc. */
Napi::Object tesseraWasmRegister(Napi::Env env, Napi::Object exports);

TESSERA_EXPORT("tessera_init") const char* tesseraInit() {
  using namespace tessera_wasm;
  if (manifest.empty()) {
    Napi::Env env;
    // the addon's own Init (native/src/binding.cc): every kernel group it registers, by name
    tesseraWasmRegister(env, Napi::Object(&exportsTable));
    buildManifest();
  }
  return manifest.c_str();
}

TESSERA_EXPORT("tessera_manifest_length") int tesseraManifestLength() {
  return static_cast<int>(tessera_wasm::manifest.size());
}

TESSERA_EXPORT("tessera_call") void tesseraCall(int index, const double* slots, int count) {
  const auto& functions = tessera_wasm::exportsTable.functions;
  if (index < 0 || static_cast<std::size_t>(index) >= functions.size()) {
    tessera_wasm::setPendingError(2, "no entry point " + std::to_string(index));
    throw Napi::RangeError();
  }
  functions[static_cast<std::size_t>(index)].second(Napi::CallbackInfo(slots, static_cast<std::size_t>(count)));
}

TESSERA_EXPORT("tessera_alloc") void* tesseraAlloc(int bytes) {
  const std::size_t rounded = (static_cast<std::size_t>(bytes) + 63) & ~static_cast<std::size_t>(63);
  return std::aligned_alloc(64, rounded == 0 ? 64 : rounded);
}

TESSERA_EXPORT("tessera_free") void tesseraFree(void* address) { std::free(address); }
