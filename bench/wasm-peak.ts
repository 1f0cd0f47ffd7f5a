// bench/wasm-peak: two probes of what this host's WebAssembly engine can reach, assembled here
// byte by byte (no toolchain at bench time) so bench/wasm can put the GEMM next to a ceiling:
//   peak:  f32x4 multiplies and adds on registers only, 6 multiply chains and 6 add chains (12
//          live v128 locals, below the 15 xmm registers V8 gives wasm SIMD on x64), no memory;
//          counted as GEMM counts them: a multiply and an add of 4 lanes are 8 flops.
//   clock: a chain of dependent i32 adds (one cycle each on every x86 core since the Pentium),
//          so adds per second is the clock in Hz (a lower bound if the engine adds moves).
// Both report their best over several runs in process CPU time.
import { webAssemblyApi } from "../src/backend/wasm/module.js";

/** Unsigned LEB128. */
function leb(value: number): number[] {
  const out: number[] = [];
  let v = value;
  do {
    let byte = v & 0x7f;
    v = Math.floor(v / 128);
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

function section(id: number, body: number[]): number[] {
  return [id, ...leb(body.length), ...body];
}

function f32Bytes(value: number): number[] {
  return [...new Uint8Array(Float32Array.of(value).buffer)];
}

const LOCAL_GET = 0x20;
const LOCAL_SET = 0x21;
const LOCAL_TEE = 0x22;
const F32X4_SPLAT = [0xfd, 0x13];
const F32X4_ADD = [0xfd, 0xe4, 0x01];
const F32X4_MUL = [0xfd, 0xe6, 0x01];
const CHAINS = 6;

/** (param iters i32) (result f32): CHAINS multiply chains and CHAINS add chains, twice per iteration. */
function peakBody(): number[] {
  // locals: 1 = a, 2 = c, 3 .. 3 + 2 CHAINS: the chains
  const splat = (value: number, local: number) => [
    0x43,
    ...f32Bytes(value),
    ...F32X4_SPLAT,
    LOCAL_SET,
    local,
  ];
  const code: number[] = [...splat(1.0000001, 1), ...splat(1e-7, 2)];
  for (let i = 0; i < 2 * CHAINS; i++) code.push(...splat(i < CHAINS ? 1 : 0, 3 + i));
  code.push(0x03, 0x40); // loop
  for (let unroll = 0; unroll < 2; unroll++) {
    for (let i = 0; i < CHAINS; i++) {
      code.push(LOCAL_GET, 3 + i, LOCAL_GET, 1, ...F32X4_MUL, LOCAL_SET, 3 + i);
      code.push(LOCAL_GET, 3 + CHAINS + i, LOCAL_GET, 2, ...F32X4_ADD, LOCAL_SET, 3 + CHAINS + i);
    }
  }
  // iters -= 1; br_if iters != 0
  code.push(LOCAL_GET, 0, 0x41, 1, 0x6b, LOCAL_TEE, 0, 0x0d, 0, 0x0b);
  code.push(LOCAL_GET, 3);
  for (let i = 1; i < 2 * CHAINS; i++) code.push(LOCAL_GET, 3 + i, ...F32X4_ADD);
  code.push(0xfd, 0x1f, 0, 0x0b); // f32x4.extract_lane 0; end
  const locals = [1, ...leb(2 + 2 * CHAINS), 0x7b]; // one group of v128 locals
  return [...leb(locals.length + code.length), ...locals, ...code];
}

const CLOCK_ADDS = 16;

/** (param iters i32) (result i32): CLOCK_ADDS dependent adds per iteration. */
function clockBody(): number[] {
  const code: number[] = [0x03, 0x40];
  for (let i = 0; i < CLOCK_ADDS; i++) code.push(LOCAL_GET, 1, LOCAL_GET, 0, 0x6a, LOCAL_SET, 1);
  code.push(LOCAL_GET, 0, 0x41, 1, 0x6b, LOCAL_TEE, 0, 0x0d, 0, 0x0b, LOCAL_GET, 1, 0x0b);
  const locals = [1, 1, 0x7f]; // one i32 local
  return [...leb(locals.length + code.length), ...locals, ...code];
}

function probeModuleBytes(): Uint8Array {
  const name = (s: string) => [s.length, ...new TextEncoder().encode(s)];
  const types = section(1, [2, 0x60, 1, 0x7f, 1, 0x7d, 0x60, 1, 0x7f, 1, 0x7f]);
  const functions = section(3, [2, 0, 1]);
  const exports = section(7, [2, ...name("peak"), 0, 0, ...name("clock"), 0, 1]);
  const code = section(10, [2, ...peakBody(), ...clockBody()]);
  return Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...types, ...functions, ...exports, ...code]);
}

function bestCpuSeconds(fn: () => void, runs: number): number {
  fn();
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < runs; r++) {
    const start = process.cpuUsage();
    fn();
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) / 1e6);
  }
  return best;
}

export interface WasmPeak {
  /** f32x4 multiply + add pairs on registers, as GFLOP/s (8 flops a pair). */
  mulAddGflops: number;
  /** Dependent i32 adds per second, in GHz. */
  clockGhz: number;
}

/** Runs both probes (about a second). */
export function measureWasmPeak(): WasmPeak {
  const api = webAssemblyApi();
  if (api === undefined) throw new Error("bench/wasm-peak: this host has no WebAssembly");
  const probes = new api.Instance(new api.Module(probeModuleBytes()), {}).exports as {
    peak: (iterations: number) => number;
    clock: (iterations: number) => number;
  };
  const iterations = 5e6;
  const peakSeconds = bestCpuSeconds(() => probes.peak(iterations), 5);
  const clockSeconds = bestCpuSeconds(() => probes.clock(iterations), 5);
  // per iteration: 2 CHAINS multiplies and 2 CHAINS adds = 2 CHAINS pairs of 8 flops
  return {
    mulAddGflops: (iterations * 2 * CHAINS * 8) / peakSeconds / 1e9,
    clockGhz: (iterations * CLOCK_ADDS) / clockSeconds / 1e9,
  };
}
