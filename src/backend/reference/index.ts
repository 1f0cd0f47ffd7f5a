// backend/reference: the complete kernel table in plain TypeScript. It is the specification every
// other backend is checked against, and the fallback for any kernel they lack.
import type { Kernels } from "../kernels.js";
import { attentionBackwardKernel, attentionKernel } from "./attention.js";
import {
  conv2dBackwardKernel,
  conv2dKernel,
  depthwiseConv2dBackwardKernel,
  depthwiseConv2dKernel,
} from "./conv.js";
import { binaryKernels, unaryKernels, whereKernel } from "./elementwise.js";
import { epilogueBackwardKernel } from "./epilogue.js";
import { geluBackwardKernel, geluKernel } from "./gelu.js";
import { col2imKernel, im2colKernel } from "./im2col.js";
import { matmulKernel } from "./matmul.js";
import { castKernel, gatherKernel, scatterAddKernel, stridedCopyKernel } from "./movement.js";
import { layerNormBackwardKernel, layerNormKernel, rmsNormBackwardKernel, rmsNormKernel } from "./norm.js";
import { adagradUpdateKernel, adamUpdateKernel, rmspropUpdateKernel, sgdUpdateKernel } from "./optim.js";
import { adadeltaUpdateKernel, adamaxUpdateKernel, nadamUpdateKernel } from "./optim-adaptive.js";
import { avgPoolBackwardKernel, avgPoolKernel, maxPoolBackwardKernel, maxPoolKernel } from "./pool.js";
import { gruCellBackwardKernel, gruCellKernel, lstmCellBackwardKernel, lstmCellKernel } from "./recurrent.js";
import {
  gruSequenceBackwardKernel,
  gruSequenceKernel,
  lstmSequenceBackwardKernel,
  lstmSequenceKernel,
} from "./recurrent-sequence.js";
import { cumsumKernel, logSoftmaxKernel, reduceKernels, softmaxKernel } from "./reduce.js";

export const referenceKernels: Kernels = {
  unary: unaryKernels,
  binary: binaryKernels,
  where: whereKernel,
  reduce: reduceKernels,
  cumsum: cumsumKernel,
  softmax: softmaxKernel,
  logSoftmax: logSoftmaxKernel,
  layerNorm: layerNormKernel,
  layerNormBackward: layerNormBackwardKernel,
  rmsNorm: rmsNormKernel,
  rmsNormBackward: rmsNormBackwardKernel,
  gelu: geluKernel,
  geluBackward: geluBackwardKernel,
  lstmCell: lstmCellKernel,
  lstmCellBackward: lstmCellBackwardKernel,
  gruCell: gruCellKernel,
  gruCellBackward: gruCellBackwardKernel,
  lstmSequence: lstmSequenceKernel,
  lstmSequenceBackward: lstmSequenceBackwardKernel,
  gruSequence: gruSequenceKernel,
  gruSequenceBackward: gruSequenceBackwardKernel,
  attention: attentionKernel,
  attentionBackward: attentionBackwardKernel,
  matmul: matmulKernel,
  epilogueBackward: epilogueBackwardKernel,
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
  adamUpdate: adamUpdateKernel,
  sgdUpdate: sgdUpdateKernel,
  rmspropUpdate: rmspropUpdateKernel,
  adagradUpdate: adagradUpdateKernel,
  adamaxUpdate: adamaxUpdateKernel,
  nadamUpdate: nadamUpdateKernel,
  adadeltaUpdate: adadeltaUpdateKernel,
};
