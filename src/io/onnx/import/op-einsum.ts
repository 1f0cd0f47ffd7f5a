// io/onnx/import/op-einsum: ONNX Einsum ("bij,bjk->bik", "...ii->...i") as a plain loop over every
// combination of the equation's letters: the reference form, exact for any equation, meant for the
// small contractions of imported models rather than for speed. "..." stands for the leading axes
// the letters do not name. Layer: io.
import { FormatError } from "../../../core/errors.js";
import { Tensor } from "../../../tensor/tensor.js";
import { asFloat, type OpFn, one } from "./op-types.js";

/** The letters of each operand and of the output, with "..." spelled out as upper-case letters. */
function parse(
  equation: string,
  ranks: readonly number[],
  where: string,
): { terms: string[]; output: string } {
  const compact = equation.replace(/\s+/g, "");
  const [lhs, rhs] = compact.split("->") as [string, string | undefined];
  const terms = lhs.split(",");
  if (terms.length !== ranks.length)
    throw new FormatError(
      `${where}: the equation "${equation}" names ${terms.length} operands (got ${ranks.length})`,
    );
  let ellipsis = "";
  const spelled = terms.map((term, i) => {
    if (!term.includes("...")) return term;
    const named = term.replace("...", "").length;
    const count = ranks[i]! - named;
    const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ".slice(26 - count);
    if (letters.length > ellipsis.length) ellipsis = letters;
    return term.replace("...", letters);
  });
  let output: string;
  if (rhs !== undefined) output = rhs.replace("...", ellipsis);
  else {
    // implicit output: the ellipsis, then the letters used once, in alphabetical order
    const counts = new Map<string, number>();
    for (const ch of spelled.join("")) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    const once = [...counts]
      .filter(([ch, n]) => n === 1 && ch >= "a")
      .map(([ch]) => ch)
      .sort();
    output = ellipsis + once.join("");
  }
  return { terms: spelled, output };
}

export const einsumOp: OpFn = one((inputs, attrs, ctx) => {
  const xs = inputs.map((t) => {
    if (t === null) throw new FormatError(`${ctx.where}: Einsum operands must all be given`);
    return asFloat(t);
  });
  const { terms, output } = parse(
    attrs.string("equation", ""),
    xs.map((x) => x.rank),
    ctx.where,
  );
  const size = new Map<string, number>();
  terms.forEach((term, i) => {
    [...term].forEach((ch, axis) => {
      const n = xs[i]!.shape[axis]!;
      const known = size.get(ch);
      // a size-1 ellipsis axis broadcasts
      if (known === undefined || known === 1) size.set(ch, n);
      else if (n !== known && n !== 1)
        throw new FormatError(`${ctx.where}: Einsum letter ${ch} has sizes ${known} and ${n}`);
    });
  });
  const letters = [...size.keys()];
  const outShape = [...output].map((ch) => size.get(ch)!);
  const out = new Float64Array(outShape.reduce((p, d) => p * d, 1));
  // per operand: the stride of each letter (0 where the operand lacks it or broadcasts it)
  const strides = terms.map((term, i) => {
    const shape = xs[i]!.shape;
    return letters.map((ch) => {
      let stride = 0;
      let step = 1;
      for (let axis = term.length - 1; axis >= 0; axis--) {
        if (term[axis] === ch && shape[axis] !== 1) stride += step;
        step *= shape[axis]!;
      }
      return stride;
    });
  });
  const outStride = letters.map((ch) => {
    const axis = output.indexOf(ch);
    return axis < 0 ? 0 : outShape.slice(axis + 1).reduce((p, d) => p * d, 1);
  });
  const sizes = letters.map((ch) => size.get(ch)!);
  const index = new Array<number>(letters.length).fill(0);
  const total = sizes.reduce((p, d) => p * d, 1);
  for (let n = 0; n < total; n++) {
    let product = 1;
    for (let i = 0; i < xs.length; i++) {
      let offset = 0;
      for (let k = 0; k < letters.length; k++) offset += index[k]! * strides[i]![k]!;
      product *= Number(xs[i]!.data[offset]);
    }
    let at = 0;
    for (let k = 0; k < letters.length; k++) at += index[k]! * outStride[k]!;
    out[at]! += product;
    for (let k = letters.length - 1; k >= 0; k--) {
      if (++index[k]! < sizes[k]!) break;
      index[k] = 0;
    }
  }
  const dtype = xs[0]!.dtype;
  return new Tensor(dtype === "float64" ? out : Float32Array.from(out), outShape);
});
