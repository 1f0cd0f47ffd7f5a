// native/wasm/include/napi.h: the few Node-API names the addon's argument checking uses
// (native/src/napi-args.h and the *-napi.cc entry points), implemented over a plain C ABI for the
// WebAssembly build. It is not N-API: a call's arguments arrive as 4 doubles each in linear
// memory, written by src/backend/wasm/addon.ts, and "throwing" a Napi error calls back into
// JavaScript, which raises the TypeError / RangeError there. So the entry points, their checks
// and their kernels are compiled unchanged from native/src; only this header and
// native/wasm/binding.cc differ from the native addon.
//
// One argument slot: [kind, a, b, c]
//   kind 0 undefined, 1 null, 2 number (a = value), 3 boolean (a = 0 / 1),
//        4 typed array (a = byte address in linear memory, b = element count, c = napi type code),
//        5 string (a = byte address of UTF-8 bytes, b = byte length)
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

typedef enum { napi_ok = 0, napi_invalid_arg = 1 } napi_status;
typedef enum {
  napi_int8_array = 0,
  napi_uint8_array = 1,
  napi_uint8_clamped_array = 2,
  napi_int16_array = 3,
  napi_uint16_array = 4,
  napi_int32_array = 5,
  napi_uint32_array = 6,
  napi_float32_array = 7,
  napi_float64_array = 8,
} napi_typedarray_type;

/** An argument: its 4-double slot. */
typedef const double* napi_value;
struct napi_env__ {};
typedef napi_env__* napi_env;

namespace tessera_wasm {
enum Kind : int { kUndefined = 0, kNull = 1, kNumber = 2, kBoolean = 3, kTypedArray = 4, kString = 5 };
/** The slot every out-of-range argument reads: undefined. */
inline const double kUndefinedSlot[4] = {0, 0, 0, 0};
inline int kindOf(napi_value v) { return static_cast<int>(v[0]); }
/** Records the message and kind of a pending error (binding.cc raises it in JavaScript). */
void setPendingError(int kind, const std::string& message);
}  // namespace tessera_wasm

inline napi_status napi_is_typedarray(napi_env, napi_value value, bool* result) {
  *result = tessera_wasm::kindOf(value) == tessera_wasm::kTypedArray;
  return napi_ok;
}

inline napi_status napi_get_typedarray_info(napi_env, napi_value value, napi_typedarray_type* type,
                                            std::size_t* length, void** data, void*, void*) {
  if (tessera_wasm::kindOf(value) != tessera_wasm::kTypedArray) return napi_invalid_arg;
  *data = reinterpret_cast<void*>(static_cast<std::uintptr_t>(value[1]));
  *length = static_cast<std::size_t>(value[2]);
  *type = static_cast<napi_typedarray_type>(static_cast<int>(value[3]));
  return napi_ok;
}

inline napi_status napi_get_value_double(napi_env, napi_value value, double* result) {
  if (tessera_wasm::kindOf(value) != tessera_wasm::kNumber) return napi_invalid_arg;
  *result = value[1];
  return napi_ok;
}

inline napi_status napi_get_value_bool(napi_env, napi_value value, bool* result) {
  if (tessera_wasm::kindOf(value) != tessera_wasm::kBoolean) return napi_invalid_arg;
  *result = value[1] != 0;
  return napi_ok;
}

namespace Napi {

class Env {
 public:
  Env() = default;
  operator napi_env() const { return nullptr; }
  class Value Undefined() const;
};

class Value {
 public:
  Value() : slot_(tessera_wasm::kUndefinedSlot) {}
  Value(napi_value slot) : slot_(slot) {}  // NOLINT: implicit, as in node-addon-api
  operator napi_value() const { return slot_; }
  bool IsNull() const { return tessera_wasm::kindOf(slot_) == tessera_wasm::kNull; }
  bool IsUndefined() const { return tessera_wasm::kindOf(slot_) == tessera_wasm::kUndefined; }
  bool IsString() const { return tessera_wasm::kindOf(slot_) == tessera_wasm::kString; }
  bool IsNumber() const { return tessera_wasm::kindOf(slot_) == tessera_wasm::kNumber; }
  template <typename T>
  T As() const {
    return T(slot_);
  }

 protected:
  napi_value slot_;
};

inline Value Env::Undefined() const { return Value(); }

class Number : public Value {
 public:
  explicit Number(napi_value slot) : Value(slot) {}
  /** A number to return or export: the wasm build's controls are answered in JavaScript instead. */
  static Number New(Env, double) { return Number(tessera_wasm::kUndefinedSlot); }
  double DoubleValue() const { return slot_[1]; }
};

class String : public Value {
 public:
  explicit String(napi_value slot) : Value(slot) {}
  /** A string to export (name lists): kept by value. */
  static String New(Env, const char* text) {
    String s(tessera_wasm::kUndefinedSlot);
    s.text_ = text;
    return s;
  }
  std::string Utf8Value() const {
    if (!IsString()) return text_;
    const char* bytes = reinterpret_cast<const char*>(static_cast<std::uintptr_t>(slot_[1]));
    return std::string(bytes, static_cast<std::size_t>(slot_[2]));
  }

 private:
  std::string text_;
};

/** A list of exported strings (the op name lists). */
class Array : public Value {
 public:
  static Array New(Env, std::size_t = 0) { return Array(); }
  void Set(std::uint32_t index, const String& item) {
    if (items.size() <= index) items.resize(index + 1);
    items[index] = item.Utf8Value();
  }
  std::vector<std::string> items;
};

class CallbackInfo {
 public:
  CallbackInfo(const double* slots, std::size_t count) : slots_(slots), count_(count) {}
  Napi::Env Env() const { return Napi::Env(); }
  std::size_t Length() const { return count_; }
  Value operator[](std::size_t index) const {
    return index < count_ ? Value(slots_ + 4 * index) : Value(tessera_wasm::kUndefinedSlot);
  }

 private:
  const double* slots_;
  std::size_t count_;
};

using Callback = Value (*)(const CallbackInfo&);

class Function {
 public:
  static Function New(Env, Callback callback, const char* = nullptr) { return Function{callback}; }
  Callback callback;
};

/**
 * Exports: functions by name (binding.cc numbers them) and name lists for the manifest. A handle,
 * as in node-addon-api: the register functions take it by value and add to the same table.
 */
class Object {
 public:
  struct Table {
    std::vector<std::pair<std::string, Callback>> functions;
    std::vector<std::pair<std::string, std::vector<std::string>>> lists;
  };
  explicit Object(Table* table) : table_(table) {}
  void Set(const char* name, const Function& fn) { table_->functions.emplace_back(name, fn.callback); }
  void Set(const char* name, const Array& list) { table_->lists.emplace_back(name, list.items); }
  /** Other values (abiVersion): the manifest states them itself. */
  void Set(const char*, const Value&) {}

 private:
  Table* table_;
};

/**
 * The addon's module entry point (native/src/binding.cc ends with NODE_API_MODULE): here a plain
 * function binding.cc in this folder calls to fill its export table.
 */
#define NODE_API_MODULE(name, init)                                          \
  Napi::Object tesseraWasmRegister(Napi::Env env, Napi::Object exports) { \
    return init(env, exports);                                               \
  }

/** Errors: New records the message; `throw` hands it to JavaScript (binding.cc __cxa_throw). */
class Error {
 public:
  explicit Error(int kind) : kind_(kind) {}
  int kind() const { return kind_; }

 private:
  int kind_;
};
class TypeError : public Error {
 public:
  TypeError() : Error(1) {}
  static TypeError New(Env, const std::string& message) {
    tessera_wasm::setPendingError(1, message);
    return TypeError();
  }
};
class RangeError : public Error {
 public:
  RangeError() : Error(2) {}
  static RangeError New(Env, const std::string& message) {
    tessera_wasm::setPendingError(2, message);
    return RangeError();
  }
};

}  // namespace Napi
