// native/probes: tiny measurements of the machine the benchmarks compare against: FMA
// throughput (the compute peak) and memory bandwidth (the ceiling of elementwise kernels).
#pragma once

namespace tessera {

/** FP32 GFLOP/s of back-to-back FMAs on the active ISA path, on `threads` threads. */
double fmaPeakGflops(int threads, double seconds);
/** GB/s of a STREAM-style triad a = b + s c over `megabytes` per array, on `threads` threads. */
double triadBandwidthGBs(int threads, double megabytes, int repeats);

}  // namespace tessera
