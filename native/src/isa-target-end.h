// native/isa-target-end: closes the region isa-target-avx2.h or isa-target-avx512.h opened.
// No include guard: each include closes one region.
#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif
