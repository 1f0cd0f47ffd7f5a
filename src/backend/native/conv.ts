// backend/native/conv: the fused convolution kernels of the addon (native/src/conv-napi.cc) as a
// partial kernel table, and how it resolves the algorithm. "auto" is a fixed rule on the patch-row
// length KC = KH * KW * C (per channel group), from CPU-time measurements on AVX-512 and AVX2 (see
// convRule): reproducible, no timing at run time. "measure" runs each pass (forward, input gradient,
// kernel gradient) of a new shape with each algorithm, alternating, three times (a busy machine
// makes single timings noisy), on the caller's own arrays; the faster minimum is cached for that
// shape (dtype, ISA, threads, geometry, filters, activation) and the pass runs once more with it,
// so its outputs come from the algorithm kept. "gemm" and "direct" force one algorithm.
import type { FloatArray } from "../../core/dtype.js";
import type { ConvParams, EpilogueActivation, PartialKernels } from "../kernels.js";
import type { NativeAddon } from "./addon.js";

const ACTIVATION_CODES: Record<EpilogueActivation, number> = { none: 0, relu: 1, sigmoid: 2, tanh: 3 };
const GEMM = 0;
const DIRECT = 1;
const NAMES = ["gemm", "direct"] as const;
const REPEATS = 3;

/** One measured choice of "measure": the pass, its shape key, the best times (ms) and the winner. */
export interface ConvChoice {
  pass: "forward" | "input" | "kernel";
  key: string;
  gemmMs: number;
  directMs: number;
  algorithm: "gemm" | "direct";
}

const choices = new Map<string, ConvChoice>();

/** Every choice "measure" has made in this process (for benchmarks and reports). */
export function nativeConvChoices(): ConvChoice[] {
  return [...choices.values()];
}

/** Forgets the measured choices (tests). */
export function clearNativeConvChoices(): void {
  choices.clear();
}

function packMeta(params: ConvParams, groups: number, codes: readonly number[]): Float64Array {
  const g = params.geometry;
  return Float64Array.of(
    g.batch,
    g.inH,
    g.inW,
    g.channels,
    g.kernelH,
    g.kernelW,
    g.strideH,
    g.strideW,
    g.dilationH,
    g.dilationW,
    g.padTop,
    g.padLeft,
    g.outH,
    g.outW,
    params.filters,
    groups,
    ACTIVATION_CODES[params.activation],
    ...codes,
  );
}

function shapeKey(addon: NativeAddon, x: FloatArray, params: ConvParams): string {
  const g = params.geometry;
  const dtype = x instanceof Float64Array ? "f64" : "f32";
  return [
    dtype,
    addon.getIsa(),
    addon.getNumThreads(),
    g.batch,
    g.inH,
    g.inW,
    g.channels,
    g.kernelH,
    g.kernelW,
    g.strideH,
    g.strideW,
    g.dilationH,
    g.dilationW,
    g.padTop,
    g.padLeft,
    params.filters,
    params.activation,
  ].join(",");
}

/**
 * The "auto" rule: the direct loops for the forward pass when KC < 128 and for the kernel gradient
 * when KC < 256 (short patch rows leave the GEMM micro-kernel mostly packing; measured on the CNN
 * benchmark's first layer and 3x3 layers of 1 to 128 channels), and for both passes at up to 64
 * filters with KC <= 1152; the GEMM otherwise and always for the input gradient (the direct scatter
 * never won). The 64-filter rule: CPU ms, one thread, batch 128, 3x3 on 13x13, direct vs GEMM,
 * AVX-512: forward 5.6 vs 7.0 (C 32, F 64), 10.8 vs 13.9 (C 64), 21.0 vs 25.9 (C 128); kernel
 * gradient 6.1-6.9 vs 7.9, 11.6 vs 15.9, 22.0 vs 30.8. AVX2: forward 8.5 vs 9.9, 16.5 vs 18.0;
 * kernel gradient 9.9 vs 10.1, 16.6 vs 22.3. At 128 filters AVX2's GEMM wins (kernel gradient 16.1
 * vs 24.6 at C 32), so wider layers keep the KC rule.
 */
export function convRule(pass: ConvChoice["pass"], params: ConvParams): "gemm" | "direct" {
  const g = params.geometry;
  const kc = g.kernelH * g.kernelW * g.channels;
  const narrow = params.filters <= 64 && kc <= 1152;
  if (pass === "forward") return kc < 128 || narrow ? "direct" : "gemm";
  if (pass === "kernel") return kc < 256 || narrow ? "direct" : "gemm";
  return "gemm";
}

const codeOf = (algorithm: "gemm" | "direct") => (algorithm === "direct" ? DIRECT : GEMM);

/** Times run(code) for both algorithms (best of REPEATS, alternating) and records the winner. */
function measure(pass: ConvChoice["pass"], key: string, run: (code: number) => void): number {
  const best = [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY];
  for (let r = 0; r < REPEATS; r++) {
    for (const code of [GEMM, DIRECT]) {
      const start = performance.now();
      run(code);
      best[code] = Math.min(best[code]!, performance.now() - start);
    }
  }
  const code = best[DIRECT]! < best[GEMM]! ? DIRECT : GEMM;
  choices.set(`${pass}|${key}`, {
    pass,
    key,
    gemmMs: best[GEMM]!,
    directMs: best[DIRECT]!,
    algorithm: NAMES[code],
  });
  return code;
}

function cached(pass: ConvChoice["pass"], key: string): number | undefined {
  const choice = choices.get(`${pass}|${key}`);
  return choice === undefined ? undefined : choice.algorithm === "direct" ? DIRECT : GEMM;
}

/** The conv kernels this addon exports. */
export function convKernels(addon: NativeAddon): PartialKernels {
  const { convForward, convBackward } = addon;
  return {
    conv2d: (x, w, bias, out, params) => {
      const call = (code: number) => convForward.call(addon, x, w, bias, out, packMeta(params, 1, [code]));
      if (params.algorithm !== "measure") {
        const algorithm = params.algorithm === "auto" ? convRule("forward", params) : params.algorithm;
        call(codeOf(algorithm));
        return;
      }
      const key = shapeKey(addon, x, params);
      const code = cached("forward", key);
      if (code !== undefined) {
        call(code);
        return;
      }
      call(measure("forward", key, call));
    },
    conv2dBackward: (x, w, y, dy, dx, dw, dbias, params) => {
      const call = (input: number, kernel: number, gx: FloatArray | null, gw: FloatArray | null) =>
        convBackward.call(
          addon,
          x,
          w,
          y,
          dy,
          gx,
          gw,
          gw ? dbias : null,
          packMeta(params, 1, [input, kernel]),
        );
      if (params.algorithm !== "measure") {
        const forced = params.algorithm;
        const input = codeOf(forced === "auto" ? convRule("input", params) : forced);
        const kernel = codeOf(forced === "auto" ? convRule("kernel", params) : forced);
        convBackward.call(addon, x, w, y, dy, dx, dw, dbias, packMeta(params, 1, [input, kernel]));
        return;
      }
      const key = shapeKey(addon, x, params);
      let input = cached("input", key);
      if (input === undefined)
        input = dx ? measure("input", key, (code) => call(code, GEMM, dx, null)) : GEMM;
      let kernel = cached("kernel", key);
      if (kernel === undefined)
        kernel = dw ? measure("kernel", key, (code) => call(GEMM, code, null, dw)) : GEMM;
      convBackward.call(addon, x, w, y, dy, dx, dw, dbias, packMeta(params, 1, [input, kernel]));
    },
    // one algorithm: the depthwise direct loops
    depthwiseConv2d: (x, w, bias, out, params) =>
      convForward.call(addon, x, w, bias, out, packMeta(params, params.geometry.channels, [DIRECT])),
    depthwiseConv2dBackward: (x, w, y, dy, dx, dw, dbias, params) =>
      convBackward.call(
        addon,
        x,
        w,
        y,
        dy,
        dx,
        dw,
        dbias,
        packMeta(params, params.geometry.channels, [DIRECT, DIRECT]),
      ),
  };
}
