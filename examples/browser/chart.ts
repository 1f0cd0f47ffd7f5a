// examples/browser/chart: a small line chart as SVG text (no chart library): one line per series
// over the epochs, y axis from 0 to a round maximum, a legend. Pure (no DOM): the page sets an
// element's innerHTML to it after every epoch.

export interface Series {
  readonly name: string;
  readonly color: string;
  readonly values: readonly number[];
}

const WIDTH = 360;
const HEIGHT = 220;
const MARGIN = { left: 40, right: 12, top: 26, bottom: 30 };

/** The smallest of 1, 2 or 5 times a power of ten at or above `value` (the axis maximum). */
function niceMax(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * An SVG line chart of `series` against the epoch (1, 2, ...), `epochs` wide on the x axis.
 * `yMax` fixes the axis top (1 for accuracies); by default it is rounded up from the data.
 */
export function lineChartSvg(
  title: string,
  series: readonly Series[],
  epochs: number,
  yMax?: number,
): string {
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const finite = series.flatMap((s) => s.values.filter(Number.isFinite));
  const top = yMax ?? niceMax(Math.max(0, ...finite));
  const xOf = (epoch: number) => MARGIN.left + (epochs <= 1 ? 0 : ((epoch - 1) / (epochs - 1)) * plotWidth);
  const yOf = (value: number) =>
    MARGIN.top + plotHeight - (Math.min(Math.max(value, 0), top) / top) * plotHeight;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${escapeXml(title)}">`,
    `<text x="${MARGIN.left}" y="16" font-size="13" font-weight="600">${escapeXml(title)}</text>`,
  ];
  for (let tick = 0; tick <= 4; tick++) {
    const value = (top * tick) / 4;
    const y = yOf(value).toFixed(1);
    parts.push(
      `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y}" y2="${y}" stroke="#e4e4e4"/>`,
      `<text x="${MARGIN.left - 5}" y="${y}" font-size="10" text-anchor="end" dominant-baseline="middle">${Number(value.toPrecision(3))}</text>`,
    );
  }
  const step = Math.max(1, Math.ceil(epochs / 8));
  for (let epoch = 1; epoch <= epochs; epoch += step) {
    parts.push(
      `<text x="${xOf(epoch).toFixed(1)}" y="${HEIGHT - MARGIN.bottom + 14}" font-size="10" text-anchor="middle">${epoch}</text>`,
    );
  }
  parts.push(
    `<text x="${MARGIN.left + plotWidth / 2}" y="${HEIGHT - 3}" font-size="10" text-anchor="middle">epoch</text>`,
  );
  series.forEach((s, k) => {
    const points = s.values.map((v, i) => `${xOf(i + 1).toFixed(1)},${yOf(v).toFixed(1)}`).join(" ");
    if (s.values.length > 1)
      parts.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${points}"/>`);
    const last = s.values.length - 1;
    if (last >= 0)
      parts.push(
        `<circle cx="${xOf(last + 1).toFixed(1)}" cy="${yOf(s.values[last]!).toFixed(1)}" r="3" fill="${s.color}"/>`,
      );
    // The legend on the title's line, right-aligned, one entry per series.
    const legendX = WIDTH - MARGIN.right - 75 * (series.length - k);
    parts.push(
      `<rect x="${legendX}" y="9" width="10" height="3" fill="${s.color}"/>`,
      `<text x="${legendX + 14}" y="14" font-size="10" class="series" data-last="${last >= 0 ? s.values[last] : ""}">${escapeXml(s.name)}</text>`,
    );
  });
  parts.push("</svg>");
  return parts.join("");
}
