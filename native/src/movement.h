// native/movement: data movement kernels: strided copies (transpose, slice, flip, broadcast,
// concat, pad), gather / scatter-add along the middle axis, and dtype casts.
#pragma once

#include "common.h"
#include "elementwise.h"

namespace tessera {

/** dst[dstOffset + idx . dstStrides] = src[srcOffset + idx . srcStrides] over every idx of view.shape
 *  (view.strides[0] for src, [1] for dst; offsets are added by the caller into the pointers). */
void stridedCopyKernel(const Array& src, i64 srcOffset, const Array& dst, i64 dstOffset, BroadcastView view);
/** out [outer, count, inner] = x [outer, size, inner] at the given (validated) indices. */
void gatherKernel(const Array& x, i64 outer, i64 size, i64 inner, const std::int32_t* indices, i64 count,
                  const Array& out);
/** out [outer, size, inner] += updates [outer, count, inner] at the indices (repeats add up). */
void scatterAddKernel(const Array& updates, i64 outer, i64 size, i64 inner, const std::int32_t* indices, i64 count,
                      const Array& out);
/** out[i] = x[i] converted: to bool is != 0 (NaN true); float to int32 truncates (ToInt32). */
void castKernel(const Array& x, const Array& out);

}  // namespace tessera
