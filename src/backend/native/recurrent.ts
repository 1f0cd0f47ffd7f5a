// backend/native/recurrent: the fused LSTM / GRU cell kernels of the addon (native/src/
// recurrent-napi.cc) as a partial kernel table. Activation names map to the addon's codes by the
// name list it exports (cellActivations); a cell whose activation the addon does not list runs
// the reference kernel, and an addon built before these kernels existed leaves them all to it.
// The lstmSequence / gruSequence kernels run the whole time loop in one call (rows split over threads).
import type { FloatArray } from "../../core/dtype.js";
import type { CellParams, PartialKernels, SequenceParams } from "../kernels.js";
import {
  gruCellBackwardKernel,
  gruCellKernel,
  lstmCellBackwardKernel,
  lstmCellKernel,
} from "../reference/recurrent.js";
import {
  gruSequenceBackwardKernel,
  gruSequenceKernel,
  lstmSequenceBackwardKernel,
  lstmSequenceKernel,
} from "../reference/recurrent-sequence.js";
import type { NativeAddon } from "./addon.js";

/** The recurrent exports of the addon (all optional: older builds lack them). */
export interface RecurrentAddon {
  /** Activation names in the order of their numeric codes. */
  cellActivations?: readonly string[];
  lstmCell?(
    x: FloatArray,
    rec: FloatArray,
    cPrev: FloatArray,
    gates: FloatArray,
    c: FloatArray,
    h: FloatArray,
    batch: number,
    units: number,
    activation: number,
    recurrentActivation: number,
  ): void;
  lstmCellBackward?(
    gates: FloatArray,
    cPrev: FloatArray,
    c: FloatArray,
    dh: FloatArray,
    dc: FloatArray,
    dz: FloatArray,
    dcPrev: FloatArray,
    batch: number,
    units: number,
    activation: number,
    recurrentActivation: number,
  ): void;
  gruCell?(
    x: FloatArray,
    rec: FloatArray,
    hPrev: FloatArray,
    gates: FloatArray,
    h: FloatArray,
    batch: number,
    units: number,
    activation: number,
    recurrentActivation: number,
  ): void;
  gruCellBackward?(
    gates: FloatArray,
    rec: FloatArray,
    hPrev: FloatArray,
    dh: FloatArray,
    dx: FloatArray,
    drec: FloatArray,
    dhPrev: FloatArray,
    batch: number,
    units: number,
    activation: number,
    recurrentActivation: number,
  ): void;
  lstmSequence?(
    xProj: FloatArray,
    u: FloatArray,
    h0: FloatArray,
    c0: FloatArray,
    h: FloatArray,
    c: FloatArray,
    gates: FloatArray,
    steps: number,
    batch: number,
    units: number,
    activation: number,
    recurrentActivation: number,
    goBackwards: boolean,
  ): void;
  lstmSequenceBackward?(
    gates: FloatArray,
    c: FloatArray,
    c0: FloatArray,
    u: FloatArray,
    dhOut: FloatArray,
    dcOut: FloatArray,
    dz: FloatArray,
    dh0: FloatArray,
    dc0: FloatArray,
    steps: number,
    batch: number,
    units: number,
    activation: number,
    recurrentActivation: number,
    goBackwards: boolean,
  ): void;
  gruSequence?(
    xProj: FloatArray,
    u: FloatArray,
    bias: FloatArray | null,
    h0: FloatArray,
    h: FloatArray,
    gates: FloatArray,
    rec: FloatArray,
    steps: number,
    batch: number,
    units: number,
    activation: number,
    recurrentActivation: number,
    goBackwards: boolean,
  ): void;
  gruSequenceBackward?(
    gates: FloatArray,
    rec: FloatArray,
    h: FloatArray,
    h0: FloatArray,
    u: FloatArray,
    dhOut: FloatArray,
    dx: FloatArray,
    drec: FloatArray,
    dh0: FloatArray,
    steps: number,
    batch: number,
    units: number,
    activation: number,
    recurrentActivation: number,
    goBackwards: boolean,
  ): void;
}

/** The addon's code of each activation it lists. */
function activationCodes(names: readonly string[] | undefined): Map<string, number> {
  const map = new Map<string, number>();
  if (!Array.isArray(names)) return map;
  names.forEach((name, code) => {
    if (typeof name === "string") map.set(name, code);
  });
  return map;
}

/** The recurrent kernels this addon exports. */
export function recurrentKernels(nativeAddon: NativeAddon): PartialKernels {
  const addon = nativeAddon as NativeAddon & RecurrentAddon;
  const codes = activationCodes(addon.cellActivations);
  const table: PartialKernels = {};
  // both codes, or undefined when either activation has no native code (the reference runs)
  const pair = (p: CellParams) => {
    const a = codes.get(p.activation);
    const ra = codes.get(p.recurrentActivation);
    return a === undefined || ra === undefined ? undefined : ([a, ra] as const);
  };
  const { lstmCell, lstmCellBackward, gruCell, gruCellBackward } = addon;
  if (lstmCell) {
    table.lstmCell = (x, rec, cPrev, gates, c, h, p) => {
      const ac = pair(p);
      if (ac === undefined) lstmCellKernel(x, rec, cPrev, gates, c, h, p);
      else lstmCell.call(addon, x, rec, cPrev, gates, c, h, p.batch, p.units, ac[0], ac[1]);
    };
  }
  if (lstmCellBackward) {
    table.lstmCellBackward = (gates, cPrev, c, dh, dc, dz, dcPrev, p) => {
      const ac = pair(p);
      if (ac === undefined) lstmCellBackwardKernel(gates, cPrev, c, dh, dc, dz, dcPrev, p);
      else lstmCellBackward.call(addon, gates, cPrev, c, dh, dc, dz, dcPrev, p.batch, p.units, ac[0], ac[1]);
    };
  }
  if (gruCell) {
    table.gruCell = (x, rec, hPrev, gates, h, p) => {
      const ac = pair(p);
      if (ac === undefined) gruCellKernel(x, rec, hPrev, gates, h, p);
      else gruCell.call(addon, x, rec, hPrev, gates, h, p.batch, p.units, ac[0], ac[1]);
    };
  }
  if (gruCellBackward) {
    table.gruCellBackward = (gates, rec, hPrev, dh, dx, drec, dhPrev, p) => {
      const ac = pair(p);
      if (ac === undefined) gruCellBackwardKernel(gates, rec, hPrev, dh, dx, drec, dhPrev, p);
      else
        gruCellBackward.call(addon, gates, rec, hPrev, dh, dx, drec, dhPrev, p.batch, p.units, ac[0], ac[1]);
    };
  }
  // the numbers every sequence entry point takes after its arrays, or undefined as in pair
  const tail = (p: SequenceParams) => {
    const ac = pair(p);
    return ac && ([p.steps, p.batch, p.units, ac[0], ac[1], p.goBackwards] as const);
  };
  const { lstmSequence, lstmSequenceBackward, gruSequence, gruSequenceBackward } = addon;
  if (lstmSequence) {
    table.lstmSequence = (xProj, u, h0, c0, h, c, gates, p) => {
      const t = tail(p);
      if (t === undefined) lstmSequenceKernel(xProj, u, h0, c0, h, c, gates, p);
      else lstmSequence.call(addon, xProj, u, h0, c0, h, c, gates, ...t);
    };
  }
  if (lstmSequenceBackward) {
    table.lstmSequenceBackward = (gates, c, c0, u, dhOut, dcOut, dz, dh0, dc0, p) => {
      const t = tail(p);
      if (t === undefined) lstmSequenceBackwardKernel(gates, c, c0, u, dhOut, dcOut, dz, dh0, dc0, p);
      else lstmSequenceBackward.call(addon, gates, c, c0, u, dhOut, dcOut, dz, dh0, dc0, ...t);
    };
  }
  if (gruSequence) {
    table.gruSequence = (xProj, u, bias, h0, h, gates, rec, p) => {
      const t = tail(p);
      if (t === undefined) gruSequenceKernel(xProj, u, bias, h0, h, gates, rec, p);
      else gruSequence.call(addon, xProj, u, bias, h0, h, gates, rec, ...t);
    };
  }
  if (gruSequenceBackward) {
    table.gruSequenceBackward = (gates, rec, h, h0, u, dhOut, dx, drec, dh0, p) => {
      const t = tail(p);
      if (t === undefined) gruSequenceBackwardKernel(gates, rec, h, h0, u, dhOut, dx, drec, dh0, p);
      else gruSequenceBackward.call(addon, gates, rec, h, h0, u, dhOut, dx, drec, dh0, ...t);
    };
  }
  return table;
}
