// ops: the public math functions. Importing this module also installs the Tensor methods.
import "./methods.js";

export * from "./activation.js";
export * from "./attention.js";
export * from "./binary.js";
export { cast } from "./cast.js";
export * from "./compare.js";
export * from "./conv.js";
export * from "./conv-transpose.js";
export * from "./crossentropy.js";
export { clone, detach } from "./detach.js";
export { type DropoutOptions, dropout } from "./dropout.js";
export * from "./gru-sequence.js";
export * from "./indexing.js";
export * from "./join.js";
export * as linalg from "./linalg/index.js";
export { tril, triu } from "./linalg/triangle.js";
// applyEpilogue (linalg.ts) is the fused ops' internal activation step, not public API.
export { dot, linear, type MatmulOptions, matmul, outer } from "./linalg.js";
export * from "./lstm-sequence.js";
export * from "./normalization.js";
export type { TensorLike } from "./operand.js";
export * from "./pool.js";
export type { RecurrentOptions } from "./recurrent-shared.js";
export * from "./reduce.js";
export * from "./sampling.js";
export * from "./shape.js";
export * from "./simple-rnn-sequence.js";
export * from "./sort.js";
export { swiglu } from "./swiglu.js";
export * from "./unary.js";
export type { WindowPadding } from "./window.js";
