// ops: the public math functions. Importing this module also installs the Tensor methods.
import "./methods.js";

export * from "./activation.js";
export * from "./binary.js";
export { cast } from "./cast.js";
export * from "./compare.js";
export { clone, detach } from "./detach.js";
export * from "./indexing.js";
export * from "./join.js";
export * from "./linalg.js";
export type { TensorLike } from "./operand.js";
export * from "./reduce.js";
export * from "./shape.js";
export * from "./unary.js";
