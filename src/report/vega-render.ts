// report/vega-render: turns a Vega-Lite spec into an SVG string in Node, with no browser, canvas
// or network: vega-lite compiles the spec to Vega, and a headless vega View (renderer "none")
// draws the scenegraph as SVG. Every plot in report/ goes through here. Layer: report.
// NOTE: vega and vega-lite load on the first render, not with the package: they are large, and
// vega-canvas has a top-level await, which would make `require("tessera-ml")` fail (Node cannot
// require an ES module graph with top-level await) and slow every program's start.
import type { TopLevelSpec } from "vega-lite";

/** Chart size and title shared by every plot function. */
export interface PlotOptions {
  /** Title drawn above the chart (default: the plot's own). */
  title?: string;
  /** Width of the plotting area in pixels (default 360). */
  width?: number;
  /** Height of the plotting area in pixels (default 260). */
  height?: number;
}

/** The default look: white background, the project's font stack, no actions, no tooltips. */
const CONFIG = {
  background: "white",
  font: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
  view: { stroke: "#ddd" },
  axis: { labelFontSize: 11, titleFontSize: 12 },
  title: { fontSize: 14, anchor: "start" },
} as const;

/** Width, height and title of a spec from the caller's options over the plot's defaults. */
export function frame(
  options: PlotOptions,
  defaultTitle: string,
): { width: number; height: number; title: string } {
  return {
    width: options.width ?? 360,
    height: options.height ?? 260,
    title: options.title ?? defaultTitle,
  };
}

/**
 * A dashed grey y = x line from `low` to `high` (what a perfect model sits on), as a layer of a
 * chart whose x and y fields are `xField` and `yField`.
 */
export function diagonalLayer(low: number, high: number, xField = "x", yField = "y") {
  const line = { type: "line" as const, strokeDash: [4, 4], color: "#999" };
  const axis = (field: string) => ({ field, type: "quantitative" as const });
  // Typed as records: inferred computed keys would give declarations that consumers reject (TS2464).
  const point = (value: number): Record<string, number> => ({ [xField]: value, [yField]: value });
  return {
    data: { values: [point(low), point(high)] },
    mark: line,
    encoding: { x: axis(xField), y: axis(yField) },
  };
}

/** One layer of a layered chart (what `layer` of a spec holds). */
export type ChartLayer = Extract<TopLevelSpec, { layer: unknown }>["layer"][number];

/**
 * A square chart (300 x 300 unless the options say otherwise) drawing `layer` over the dashed
 * diagonal `diagonal` (a diagonalLayer): ROC curves, calibration, predicted against actual.
 */
export function overDiagonal(
  options: PlotOptions,
  defaultTitle: string,
  diagonal: ReturnType<typeof diagonalLayer>,
  layer: ChartLayer,
): Promise<string> {
  const { width, height, title } = frame({ width: 300, height: 300, ...options }, defaultTitle);
  return renderVegaLite({ title, width, height, layer: [diagonal, layer] });
}

/**
 * Renders a Vega-Lite spec (data inline, never a URL) to a standalone SVG document string.
 * @example
 * const svg = await renderVegaLite({ data: { values: [{ x: 1, y: 2 }] }, mark: "point",
 *   encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" } } });
 */
export async function renderVegaLite(spec: TopLevelSpec): Promise<string> {
  const [{ parse, View }, { compile }] = await Promise.all([import("vega"), import("vega-lite")]);
  const vegaSpec = compile({ config: CONFIG, ...spec } as TopLevelSpec).spec;
  const view = new View(parse(vegaSpec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
