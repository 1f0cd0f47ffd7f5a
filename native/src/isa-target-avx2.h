// native/isa-target-avx2: opens an AVX2 + FMA region. Every function defined between this include
// and isa-target-end.h is compiled for that ISA (clang's attribute push, GCC's target options), so
// a per-ISA file states its target in one line and is only called after CPUID said so.
// No include guard: each include opens a region; isa-target-end.h closes it.
#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx2,fma")
#endif
