// native/isa-target-avx512: opens an AVX-512 (F, VL, BW, DQ) + AVX2 + FMA region. Every function
// defined between this include and isa-target-end.h is compiled for that ISA (clang's attribute
// push, GCC's target options), and only called after CPUID said so.
// No include guard: each include opens a region; isa-target-end.h closes it.
#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx512f,avx512vl,avx512bw,avx512dq,avx2,fma"))), \
                             apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx512f,avx512vl,avx512bw,avx512dq,avx2,fma")
#endif
