// backend/kernels-layers: the fused layer kernels of the table (layer / RMS norm, GELU, recurrent
// cells and whole sequences, blockwise attention). Part of the Kernels interface in
// backend/kernels; the reference implementations are the specification.
import type { FloatArray } from "../core/dtype.js";
import type { AttentionParams, CellParams, NormParams, SequenceParams } from "./kernel-params.js";

export interface LayerKernels {
  /**
   * Layer norm of each row of x (rows, cols): y = (x - mean) rstd gamma + beta, with mean and
   * rstd = 1 / sqrt(var + epsilon) (population variance) written to mean and rstd (rows). gamma and
   * beta (cols) are optional: null means 1 and 0.
   */
  layerNorm(
    x: FloatArray,
    gamma: FloatArray | null,
    beta: FloatArray | null,
    out: FloatArray,
    mean: FloatArray,
    rstd: FloatArray,
    params: NormParams,
  ): void;
  /**
   * The adjoint of layerNorm from the saved mean and rstd: with g = dy gamma and xhat = (x - mean)
   * rstd, dx = rstd (g - mean_c(g) - xhat mean_c(g xhat)); dgamma = sum_rows dy xhat and dbeta =
   * sum_rows dy (each skipped when null). Overwrites dx, dgamma and dbeta.
   */
  layerNormBackward(
    dy: FloatArray,
    x: FloatArray,
    gamma: FloatArray | null,
    mean: FloatArray,
    rstd: FloatArray,
    dx: FloatArray,
    dgamma: FloatArray | null,
    dbeta: FloatArray | null,
    params: NormParams,
  ): void;
  /**
   * RMS norm of each row of x (rows, cols): y = x rstd scale with rstd = 1 / sqrt(mean(x^2) +
   * epsilon) written to rstd (rows); scale (cols) null means 1.
   */
  rmsNorm(
    x: FloatArray,
    scale: FloatArray | null,
    out: FloatArray,
    rstd: FloatArray,
    params: NormParams,
  ): void;
  /**
   * The adjoint of rmsNorm: with g = dy scale and xhat = x rstd, dx = rstd (g - xhat mean_c(g xhat))
   * and dscale = sum_rows dy xhat (skipped when null). Overwrites dx and dscale.
   */
  rmsNormBackward(
    dy: FloatArray,
    x: FloatArray,
    scale: FloatArray | null,
    rstd: FloatArray,
    dx: FloatArray,
    dscale: FloatArray | null,
    params: NormParams,
  ): void;
  /**
   * GELU: out = (x / 2) (1 + erf(x / sqrt 2)), or with `approximate` the tanh form
   * (x / 2) (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3))).
   */
  gelu(x: FloatArray, out: FloatArray, approximate: boolean): void;
  /** The adjoint of gelu: dx = dy gelu'(x) (overwrites dx). */
  geluBackward(x: FloatArray, dy: FloatArray, dx: FloatArray, approximate: boolean): void;
  /**
   * One LSTM step, pointwise part: pre-activations x + rec (B, 4H), blocks [i f g o], where x is the
   * input part (x W + b) and rec the recurrent part (h U), and c_prev (B, H) give the activated
   * gates (B, 4H), c = f c_prev + i g and h = o act(c), each (B, H).
   */
  lstmCell(
    x: FloatArray,
    rec: FloatArray,
    cPrev: FloatArray,
    gates: FloatArray,
    c: FloatArray,
    h: FloatArray,
    params: CellParams,
  ): void;
  /** The adjoint of lstmCell: from dh, dc (B, H) reaching h and c, writes dz (B, 4H) and dcPrev (B, H). */
  lstmCellBackward(
    gates: FloatArray,
    cPrev: FloatArray,
    c: FloatArray,
    dh: FloatArray,
    dc: FloatArray,
    dz: FloatArray,
    dcPrev: FloatArray,
    params: CellParams,
  ): void;
  /**
   * One reset-after GRU step, pointwise part: x = x W + b_in and rec = h_prev U + b_rec (B, 3H),
   * blocks [z r h], give gates [z r hh] (B, 3H) and h = z h_prev + (1 - z) hh (B, H).
   */
  gruCell(
    x: FloatArray,
    rec: FloatArray,
    hPrev: FloatArray,
    gates: FloatArray,
    h: FloatArray,
    params: CellParams,
  ): void;
  /**
   * The adjoint of gruCell: from dh (B, H) writes dx (B, 3H), drec (B, 3H) and the direct part
   * of dhPrev (dh z; the caller adds drec U^T).
   */
  gruCellBackward(
    gates: FloatArray,
    rec: FloatArray,
    hPrev: FloatArray,
    dh: FloatArray,
    dx: FloatArray,
    drec: FloatArray,
    dhPrev: FloatArray,
    params: CellParams,
  ): void;
  /**
   * A whole LSTM recurrence without masks, time-major: processing step s reads input time
   * t = s (t = T - 1 - s with goBackwards), computes rec = h_prev u (u (H, 4H); h0 at the first
   * step, else h of the previous processed step) and runs lstmCell on xProj[t] (T, B, 4H) with
   * c_prev likewise, writing gates[t] (T, B, 4H), c[t] and h[t] (T, B, H).
   */
  lstmSequence(
    xProj: FloatArray,
    u: FloatArray,
    h0: FloatArray,
    c0: FloatArray,
    h: FloatArray,
    c: FloatArray,
    gates: FloatArray,
    params: SequenceParams,
  ): void;
  /**
   * The adjoint of lstmSequence (backpropagation through time): dhOut, dcOut (T, B, H) reach
   * h[t] and c[t] from outside; writes dz (T, B, 4H), the gradient of xProj, and overwrites dh0,
   * dc0 (B, H) with the gradients reaching h0 and c0. The caller forms du from dz and the states.
   */
  lstmSequenceBackward(
    gates: FloatArray,
    c: FloatArray,
    c0: FloatArray,
    u: FloatArray,
    dhOut: FloatArray,
    dcOut: FloatArray,
    dz: FloatArray,
    dh0: FloatArray,
    dc0: FloatArray,
    params: SequenceParams,
  ): void;
  /**
   * A whole reset-after GRU recurrence without masks, time-major: processing step s reads input
   * time t = s (T - 1 - s with goBackwards), writes rec[t] = h_prev u + bias (u (H, 3H), bias (3H)
   * or null) and runs gruCell on xProj[t], writing gates[t] (T, B, 3H) and h[t] (T, B, H).
   */
  gruSequence(
    xProj: FloatArray,
    u: FloatArray,
    bias: FloatArray | null,
    h0: FloatArray,
    h: FloatArray,
    gates: FloatArray,
    rec: FloatArray,
    params: SequenceParams,
  ): void;
  /**
   * The adjoint of gruSequence: dhOut (T, B, H) reaches h[t] from outside; writes dx (T, B, 3H)
   * (the gradient of xProj), drec (T, B, 3H) (of rec, for the caller's du and bias gradient) and
   * overwrites dh0 (B, H) with the gradient reaching h0.
   */
  gruSequenceBackward(
    gates: FloatArray,
    rec: FloatArray,
    h: FloatArray,
    h0: FloatArray,
    u: FloatArray,
    dhOut: FloatArray,
    dx: FloatArray,
    drec: FloatArray,
    dh0: FloatArray,
    params: SequenceParams,
  ): void;
  /**
   * Blockwise softmax(q k^T scale + mask) v into out (B, N, Tq, Dv), and each row's log-sum-exp of
   * its visible scaled scores into lse (B, N, Tq) (-Infinity, and a zero row, when none is visible).
   * Scratch memory is bounded by one block of scores, never Tq x Tk.
   */
  attention(
    q: FloatArray,
    k: FloatArray,
    v: FloatArray,
    out: FloatArray,
    lse: FloatArray,
    params: AttentionParams,
  ): void;
  /** The adjoint of attention, recomputing probabilities per block from lse; overwrites dq, dk, dv. */
  attentionBackward(
    q: FloatArray,
    k: FloatArray,
    v: FloatArray,
    out: FloatArray,
    lse: FloatArray,
    dOut: FloatArray,
    dq: FloatArray,
    dk: FloatArray,
    dv: FloatArray,
    params: AttentionParams,
  ): void;
}
