// lineChartSvg: points land where the axes say (epoch 1 at the left edge, the last epoch at the
// right, 0 at the bottom, the axis maximum at the top), the maximum rounds up to 1/2/5 x 10^k,
// and a series with one value is a dot without a line.
import assert from "node:assert/strict";
import { test } from "node:test";
import { lineChartSvg } from "./chart.js";

/** The [x, y] points of the chart's first polyline. */
function points(svg: string): number[][] {
  const match = /<polyline[^>]* points="([^"]+)"/.exec(svg);
  assert.ok(match !== null, "no polyline");
  return match[1]!.split(" ").map((p) => p.split(",").map(Number));
}

test("values map onto the plot area; the y axis tops out at a round number", () => {
  const svg = lineChartSvg("accuracy", [{ name: "test", color: "#f00", values: [0, 0.5, 1] }], 3, 1);
  // Plot area: x from 40 to 348, y from 26 (top) to 190 (bottom).
  assert.deepEqual(points(svg), [
    [40, 190],
    [194, 108],
    [348, 26],
  ]);
  const loss = lineChartSvg("loss", [{ name: "training", color: "#00f", values: [1.7, 0.4] }], 10);
  assert.match(loss, />2<\/text>/, "axis maximum 2 for data up to 1.7");
  assert.deepEqual(points(loss)[0], [40, Number((190 - (1.7 / 2) * 164).toFixed(1))]);
  const one = lineChartSvg("loss", [{ name: "training", color: "#00f", values: [0.3] }], 5);
  assert.doesNotMatch(one, /<polyline/);
  assert.match(one, /<circle cx="40.0"/);
  assert.match(lineChartSvg("a <b>", [], 1), /a &#60;b&#62;/);
});
