// backend/fused/swiglu: the swiglu fused op, the gated linear unit of LLaMA-style feed-forward
// blocks (Shazeer 2020): out = silu(gate) up = gate sigmoid(gate) up, element by element, and its
// adjoint. The reference computes each element in float64 (sigmoid in its two overflow-free forms)
// and rounds once; native/src/norm-isa.inc is the accelerated copy (float32 on vector lanes with
// the ISA's exp, float64 and the scalar path in double as here).
import type { FloatArray } from "../../core/dtype.js";
import { sigmoid } from "../reference/scalar-math.js";
import { defineFusedOp } from "./define.js";

/** n elements of gate, up and the output, all contiguous and of one dtype. */
export interface SwigluParams {
  n: number;
}

/** out[i] = gate[i] sigmoid(gate[i]) up[i] for i < n. */
export type SwigluKernel = (gate: FloatArray, up: FloatArray, out: FloatArray, params: SwigluParams) => void;

/**
 * The adjoint of swiglu: with s = sigmoid(gate), dGate = dy up s (1 + gate (1 - s)) (the
 * derivative of silu) and dUp = dy gate s. Overwrites dGate and dUp.
 */
export type SwigluBackwardKernel = (
  gate: FloatArray,
  up: FloatArray,
  dy: FloatArray,
  dGate: FloatArray,
  dUp: FloatArray,
  params: SwigluParams,
) => void;

const swigluKernel: SwigluKernel = (gate, up, out, { n }) => {
  for (let i = 0; i < n; i++) {
    const a = gate[i]!;
    out[i] = a * sigmoid(a) * up[i]!;
  }
};

const swigluBackwardKernel: SwigluBackwardKernel = (gate, up, dy, dGate, dUp, { n }) => {
  for (let i = 0; i < n; i++) {
    const a = gate[i]!;
    const s = sigmoid(a);
    const d = dy[i]!;
    dGate[i] = d * up[i]! * (s * (1 + a * (1 - s)));
    dUp[i] = d * (a * s);
  }
};

export const swiglu = defineFusedOp({
  name: "swiglu",
  reference: swigluKernel,
  vjp: swigluBackwardKernel,
  positional: {
    forward: (p) => [p.n],
    backward: (p) => [p.n],
  },
});
