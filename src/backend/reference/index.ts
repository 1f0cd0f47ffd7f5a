// backend/reference: the complete kernel table in plain TypeScript. It is the specification every
// other backend is checked against, and the fallback for any kernel they lack. The fused entries
// come from the fused-op definitions (backend/fused), each of which holds its own reference.
import { referenceFusedKernels } from "../fused/index.js";
import type { Kernels } from "../kernels.js";
import {
  conv2dBackwardKernel,
  conv2dKernel,
  depthwiseConv2dBackwardKernel,
  depthwiseConv2dKernel,
} from "./conv.js";
import { binaryKernels, unaryKernels, whereKernel } from "./elementwise.js";
import { col2imKernel, im2colKernel } from "./im2col.js";
import { matmulKernel } from "./matmul.js";
import { castKernel, gatherKernel, scatterAddKernel, stridedCopyKernel } from "./movement.js";
import { avgPoolBackwardKernel, avgPoolKernel, maxPoolBackwardKernel, maxPoolKernel } from "./pool.js";
import { cumsumKernel, logSoftmaxKernel, reduceKernels, softmaxKernel } from "./reduce.js";

export const referenceKernels: Kernels = {
  unary: unaryKernels,
  binary: binaryKernels,
  where: whereKernel,
  reduce: reduceKernels,
  cumsum: cumsumKernel,
  softmax: softmaxKernel,
  logSoftmax: logSoftmaxKernel,
  ...referenceFusedKernels(),
  matmul: matmulKernel,
  stridedCopy: stridedCopyKernel,
  gather: gatherKernel,
  scatterAdd: scatterAddKernel,
  cast: castKernel,
  im2col: im2colKernel,
  col2im: col2imKernel,
  maxPool: maxPoolKernel,
  maxPoolBackward: maxPoolBackwardKernel,
  avgPool: avgPoolKernel,
  avgPoolBackward: avgPoolBackwardKernel,
  conv2d: conv2dKernel,
  conv2dBackward: conv2dBackwardKernel,
  depthwiseConv2d: depthwiseConv2dKernel,
  depthwiseConv2dBackward: depthwiseConv2dBackwardKernel,
};
