// native/recurrent-napi: entry points of the fused recurrent cell kernels. Every array must be
// float32 or float64 (one dtype per call) and long enough for batch x units; the activation codes
// follow kCellActNames (exported as cellActivations so the JS side maps names to codes).
//   lstmCell(x, rec, cPrev, gates, c, h, batch, units, act, recAct)
//   lstmCellBackward(gates, cPrev, c, dh, dc, dz, dcPrev, batch, units, act, recAct)
//   gruCell(x, rec, hPrev, gates, h, batch, units, act, recAct)
//   gruCellBackward(gates, rec, hPrev, dh, dx, drec, dhPrev, batch, units, act, recAct)
//   lstmSequence(xProj, u, h0, c0, h, c, gates, steps, batch, units, act, recAct, backwards)
//   lstmSequenceBackward(gates, c, c0, u, dhOut, dcOut, dz, dh0, dc0, steps, batch, units, act, recAct,
//                        backwards)
//   gruSequence(xProj, u, bias | null, h0, h, gates, rec, steps, batch, units, act, recAct, backwards)
//   gruSequenceBackward(gates, rec, h, h0, u, dhOut, dx, drec, dh0, steps, batch, units, act, recAct, backwards)
#include <string>
#include <type_traits>

#include "exports.h"
#include "napi-args.h"
#include "recurrent.h"

namespace tessera {
namespace {

/** Reads the (batch, units, activation, recurrentActivation) arguments starting at `at`. */
CellShape readCellArgs(const Napi::CallbackInfo& info, std::size_t at, const std::string& prefix) {
  CellShape s;
  s.batch = intArg(info, at, (prefix + "batch").c_str());
  s.units = intArg(info, at + 1, (prefix + "units").c_str());
  const i64 last = static_cast<i64>(CellAct::Count) - 1;
  s.act = static_cast<CellAct>(intArg(info, at + 2, (prefix + "activation").c_str(), 0, last));
  s.recAct = static_cast<CellAct>(intArg(info, at + 3, (prefix + "recurrentActivation").c_str(), 0, last));
  return s;
}

/**
 * Checks that arrays[0] is float32 or float64 and every other array shares its dtype; with
 * skipNull, arrays whose data is null (a bias passed as null) are not checked.
 */
void requireOneFloatDtype(const Napi::Env& env, const Array* arrays, int n, const std::string& prefix,
                          bool skipNull) {
  const DType dtype = arrays[0].dtype;
  if (dtype != DType::Float32 && dtype != DType::Float64)
    throwType(env, prefix + "expected Float32Array or Float64Array operands");
  for (int i = 1; i < n; i++) {
    if (!(skipNull && arrays[i].data == nullptr) && arrays[i].dtype != dtype)
      throwType(env, prefix + "all arrays must share one dtype");
  }
}

/** Reads and checks the arrays and the shape of one call. */
template <int N>
CellShape readCall(const Napi::CallbackInfo& info, const char* op, const char* const (&names)[N],
                   const bool (&wide)[N], i64 gates, Array (&arrays)[N]) {
  const Napi::Env env = info.Env();
  const std::string prefix = std::string(op) + ": ";
  if (info.Length() < static_cast<std::size_t>(N + 4))
    throwType(env, prefix + "expected " + std::to_string(N + 4) + " arguments");
  for (int i = 0; i < N; i++) arrays[i] = arrayArg(info, i, (prefix + names[i]).c_str());
  const CellShape s = readCellArgs(info, N, prefix);
  requireOneFloatDtype(env, arrays, N, prefix, false);
  const i64 state = mulCapped(s.batch, s.units);
  const i64 wideLength = mulCapped(state, gates);
  for (int i = 0; i < N; i++) requireLength(env, arrays[i], wide[i] ? wideLength : state, (prefix + names[i]).c_str());
  return s;
}

/** Runs f(T{}) with T the float type of a (the readers have checked it is float32 or float64). */
template <typename F>
void withFloat(const Array& a, F&& f) {
  withDType(a.dtype, [&](auto zero) {
    if constexpr (std::is_floating_point_v<decltype(zero)>) f(zero);
  });
}

Napi::Value LstmCell(const Napi::CallbackInfo& info) {
  static const char* const names[] = {"x", "rec", "cPrev", "gates", "c", "h"};
  static const bool wide[] = {true, true, false, true, false, false};
  Array a[6];
  const CellShape s = readCall(info, "lstmCell", names, wide, 4, a);
  withFloat(a[0], [&](auto zero) {
    using T = decltype(zero);
    lstmCellKernel<T>(a[0].as<T>(), a[1].as<T>(), a[2].as<T>(), a[3].as<T>(), a[4].as<T>(), a[5].as<T>(), s);
  });
  return info.Env().Undefined();
}

Napi::Value LstmCellBackward(const Napi::CallbackInfo& info) {
  static const char* const names[] = {"gates", "cPrev", "c", "dh", "dc", "dz", "dcPrev"};
  static const bool wide[] = {true, false, false, false, false, true, false};
  Array a[7];
  const CellShape s = readCall(info, "lstmCellBackward", names, wide, 4, a);
  withFloat(a[0], [&](auto zero) {
    using T = decltype(zero);
    lstmCellBackwardKernel<T>(a[0].as<T>(), a[1].as<T>(), a[2].as<T>(), a[3].as<T>(), a[4].as<T>(), a[5].as<T>(),
                              a[6].as<T>(), s);
  });
  return info.Env().Undefined();
}

Napi::Value GruCell(const Napi::CallbackInfo& info) {
  static const char* const names[] = {"x", "rec", "hPrev", "gates", "h"};
  static const bool wide[] = {true, true, false, true, false};
  Array a[5];
  const CellShape s = readCall(info, "gruCell", names, wide, 3, a);
  withFloat(a[0], [&](auto zero) {
    using T = decltype(zero);
    gruCellKernel<T>(a[0].as<T>(), a[1].as<T>(), a[2].as<T>(), a[3].as<T>(), a[4].as<T>(), s);
  });
  return info.Env().Undefined();
}

Napi::Value GruCellBackward(const Napi::CallbackInfo& info) {
  static const char* const names[] = {"gates", "rec", "hPrev", "dh", "dx", "drec", "dhPrev"};
  static const bool wide[] = {true, true, false, false, true, true, false};
  Array a[7];
  const CellShape s = readCall(info, "gruCellBackward", names, wide, 3, a);
  withFloat(a[0], [&](auto zero) {
    using T = decltype(zero);
    gruCellBackwardKernel<T>(a[0].as<T>(), a[1].as<T>(), a[2].as<T>(), a[3].as<T>(), a[4].as<T>(), a[5].as<T>(),
                             a[6].as<T>(), s);
  });
  return info.Env().Undefined();
}

/**
 * Reads and checks a whole-sequence call: N arrays, then steps, batch, units, act, recAct,
 * backwards. sizes[i] says what array i spans, with G = gates x H: 'W' (T, B, G), 'S' (T, B, H),
 * 's' (B, H), 'U' (H, G), or 'b' (G) or null (a bias: null leaves data null).
 */
template <int N>
SequenceShape readSequenceCall(const Napi::CallbackInfo& info, const char* op, const char* const (&names)[N],
                               const char (&sizes)[N + 1], i64 gates, Array (&arrays)[N]) {
  const Napi::Env env = info.Env();
  const std::string prefix = std::string(op) + ": ";
  if (info.Length() < static_cast<std::size_t>(N + 6))
    throwType(env, prefix + "expected " + std::to_string(N + 6) + " arguments");
  for (int i = 0; i < N; i++) {
    if (sizes[i] == 'b' && isNullish(info[i])) continue;  // data stays null
    arrays[i] = arrayArg(info, i, (prefix + names[i]).c_str());
  }
  SequenceShape s;
  s.steps = intArg(info, N, (prefix + "steps").c_str());
  s.cell = readCellArgs(info, N + 1, prefix);
  s.backwards = boolArg(info, N + 5);
  requireOneFloatDtype(env, arrays, N, prefix, true);
  const i64 state = mulCapped(s.cell.batch, s.cell.units);
  const i64 stateSteps = mulCapped(s.steps, state);
  for (int i = 0; i < N; i++) {
    i64 needed = state;
    if (sizes[i] == 'W') needed = mulCapped(stateSteps, gates);
    else if (sizes[i] == 'S') needed = stateSteps;
    else if (sizes[i] == 'U') needed = mulCapped(mulCapped(s.cell.units, s.cell.units), gates);
    else if (sizes[i] == 'b') needed = arrays[i].data == nullptr ? 0 : mulCapped(s.cell.units, gates);
    requireLength(env, arrays[i], needed, (prefix + names[i]).c_str());
  }
  return s;
}

Napi::Value LstmSequence(const Napi::CallbackInfo& info) {
  static const char* const names[] = {"xProj", "u", "h0", "c0", "h", "c", "gates"};
  Array a[7];
  const SequenceShape s = readSequenceCall(info, "lstmSequence", names, "WUssSSW", 4, a);
  withFloat(a[0], [&](auto zero) {
    using T = decltype(zero);
    lstmSequenceKernel<T>(a[0].as<T>(), a[1].as<T>(), a[2].as<T>(), a[3].as<T>(), a[4].as<T>(), a[5].as<T>(),
                          a[6].as<T>(), s);
  });
  return info.Env().Undefined();
}

Napi::Value LstmSequenceBackward(const Napi::CallbackInfo& info) {
  static const char* const names[] = {"gates", "c", "c0", "u", "dhOut", "dcOut", "dz", "dh0", "dc0"};
  Array a[9];
  const SequenceShape s = readSequenceCall(info, "lstmSequenceBackward", names, "WSsUSSWss", 4, a);
  withFloat(a[0], [&](auto zero) {
    using T = decltype(zero);
    lstmSequenceBackwardKernel<T>(a[0].as<T>(), a[1].as<T>(), a[2].as<T>(), a[3].as<T>(), a[4].as<T>(), a[5].as<T>(),
                                  a[6].as<T>(), a[7].as<T>(), a[8].as<T>(), s);
  });
  return info.Env().Undefined();
}

Napi::Value GruSequence(const Napi::CallbackInfo& info) {
  static const char* const names[] = {"xProj", "u", "bias", "h0", "h", "gates", "rec"};
  Array a[7];
  const SequenceShape s = readSequenceCall(info, "gruSequence", names, "WUbsSWW", 3, a);
  withFloat(a[0], [&](auto zero) {
    using T = decltype(zero);
    gruSequenceKernel<T>(a[0].as<T>(), a[1].as<T>(), a[2].as<T>(), a[3].as<T>(), a[4].as<T>(), a[5].as<T>(),
                         a[6].as<T>(), s);
  });
  return info.Env().Undefined();
}

Napi::Value GruSequenceBackward(const Napi::CallbackInfo& info) {
  static const char* const names[] = {"gates", "rec", "h", "h0", "u", "dhOut", "dx", "drec", "dh0"};
  Array a[9];
  const SequenceShape s = readSequenceCall(info, "gruSequenceBackward", names, "WWSsUSWWs", 3, a);
  withFloat(a[0], [&](auto zero) {
    using T = decltype(zero);
    gruSequenceBackwardKernel<T>(a[0].as<T>(), a[1].as<T>(), a[2].as<T>(), a[3].as<T>(), a[4].as<T>(), a[5].as<T>(),
                                 a[6].as<T>(), a[7].as<T>(), a[8].as<T>(), s);
  });
  return info.Env().Undefined();
}

}  // namespace

void registerRecurrent(Napi::Env env, Napi::Object exports) {
  Napi::Array names = Napi::Array::New(env);
  for (uint32_t i = 0; i < static_cast<uint32_t>(CellAct::Count); i++)
    names.Set(i, Napi::String::New(env, kCellActNames[i]));
  exports.Set("cellActivations", names);
  exports.Set("lstmCell", Napi::Function::New(env, LstmCell, "lstmCell"));
  exports.Set("lstmCellBackward", Napi::Function::New(env, LstmCellBackward, "lstmCellBackward"));
  exports.Set("gruCell", Napi::Function::New(env, GruCell, "gruCell"));
  exports.Set("gruCellBackward", Napi::Function::New(env, GruCellBackward, "gruCellBackward"));
  exports.Set("lstmSequence", Napi::Function::New(env, LstmSequence, "lstmSequence"));
  exports.Set("lstmSequenceBackward", Napi::Function::New(env, LstmSequenceBackward, "lstmSequenceBackward"));
  exports.Set("gruSequence", Napi::Function::New(env, GruSequence, "gruSequence"));
  exports.Set("gruSequenceBackward", Napi::Function::New(env, GruSequenceBackward, "gruSequenceBackward"));
}

}  // namespace tessera
