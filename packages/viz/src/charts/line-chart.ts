import { escapeHtml } from "../escape.js";
import { makeScale, niceTicks, tickLabel } from "./scale.js";

/** One line of a chart. */
export interface ChartSeries {
  readonly name: string;
  readonly points: ReadonlyArray<readonly [x: number, y: number]>;
}

/** What {@link lineChartSvg} draws. */
export interface LineChart {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly ChartSeries[];
  /** Base-10 log y axis (values ≤ 0 are left out). */
  readonly logY?: boolean;
  /** Dashed vertical lines with a label (e.g. a fault and its healing). */
  readonly markers?: ReadonlyArray<{ readonly x: number; readonly label: string }>;
  readonly width?: number;
  readonly height?: number;
}

/** Colours of the lines, in order (colour-blind-safe palette of Okabe and Ito). */
export const CHART_COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"] as const;

const MARGIN = { top: 34, right: 150, bottom: 44, left: 64 } as const;

/**
 * A line chart as a standalone SVG document: axes with round ticks, one coloured line (with dots
 * when it has few points) per series, a legend on the right. Pure: no DOM, no browser, no fonts
 * beyond the generic `sans-serif`. Non-finite points are skipped.
 * @returns the SVG text
 * @example writeFileSync("throughput.svg", lineChartSvg({ title: "…", xLabel: "nodes", yLabel: "ops/s", series }));
 */
export function lineChartSvg(chart: LineChart): string {
  const width = chart.width ?? 640;
  const height = chart.height ?? 360;
  const keep = (y: number): boolean => Number.isFinite(y) && (chart.logY !== true || y > 0);
  const series = chart.series.map((s) => ({ name: s.name, points: s.points.filter(([x, y]) => Number.isFinite(x) && keep(y)) }));
  const xs = series.flatMap((s) => s.points.map((p) => p[0])).concat((chart.markers ?? []).map((m) => m.x));
  const ys = series.flatMap((s) => s.points.map((p) => p[1]));
  const [x0, x1] = extent(xs, false, false);
  const [y0, y1] = extent(ys, chart.logY === true, true);
  const x = makeScale([x0, x1], [MARGIN.left, width - MARGIN.right]);
  const y = makeScale([y0, y1], [height - MARGIN.bottom, MARGIN.top], chart.logY === true);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${MARGIN.left}" y="20" font-size="13" font-weight="bold">${escapeHtml(chart.title)}</text>`,
    ...axes(chart, x, y, width, height),
    ...(chart.markers ?? []).map((m) => marker(m, x(m.x), height)),
  ];
  series.forEach((s, i) => parts.push(...line(s.points, x, y, CHART_COLOURS[i % CHART_COLOURS.length] as string)));
  series.forEach((s, i) => parts.push(legendEntry(s.name, i, width)));
  parts.push("</svg>");
  return `${parts.join("\n")}\n`;
}

/** @returns the data's range: from 0 when `fromZero` (linear), widened to round ticks at both ends */
function extent(values: readonly number[], log: boolean, fromZero: boolean): [number, number] {
  if (values.length === 0) return log ? [1, 10] : [0, 1];
  let min = Math.min(...values), max = Math.max(...values);
  if (!log && fromZero) min = Math.min(0, min);
  if (max === min) max = log ? min * 10 : min + 1;
  if (log) return [10 ** Math.floor(Math.log10(min)), 10 ** Math.ceil(Math.log10(max))];
  const ticks = niceTicks(min, max);
  const step = ticks.length > 1 ? (ticks[1] as number) - (ticks[0] as number) : max - min;
  return [Math.floor(min / step + 1e-9) * step, Math.ceil(max / step - 1e-9) * step];
}

const f1 = (v: number): string => v.toFixed(1);

function axes(chart: LineChart, x: ReturnType<typeof makeScale>, y: ReturnType<typeof makeScale>, width: number, height: number): string[] {
  const bottom = height - MARGIN.bottom, right = width - MARGIN.right;
  const out = [`<path d="M${MARGIN.left},${MARGIN.top}V${bottom}H${right}" fill="none" stroke="#333"/>`];
  for (const t of x.ticks) {
    out.push(`<text x="${f1(x(t))}" y="${bottom + 15}" text-anchor="middle">${tickLabel(t)}</text>`);
    out.push(`<path d="M${f1(x(t))},${bottom}v4" stroke="#333"/>`);
  }
  for (const t of y.ticks) {
    out.push(`<path d="M${MARGIN.left},${f1(y(t))}H${right}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${MARGIN.left - 6}" y="${f1(y(t) + 4)}" text-anchor="end">${tickLabel(t)}</text>`);
  }
  out.push(`<text x="${f1((MARGIN.left + right) / 2)}" y="${height - 8}" text-anchor="middle">${escapeHtml(chart.xLabel)}</text>`);
  out.push(`<text transform="translate(14,${f1((MARGIN.top + bottom) / 2)}) rotate(-90)" text-anchor="middle">${escapeHtml(chart.yLabel)}</text>`);
  return out;
}

function marker(m: { readonly x: number; readonly label: string }, px: number, height: number): string {
  const rule = `<path d="M${f1(px)},${MARGIN.top}V${height - MARGIN.bottom}" stroke="#888" stroke-dasharray="4 3"/>`;
  return `${rule}<text x="${f1(px + 3)}" y="${MARGIN.top + 10}" fill="#555">${escapeHtml(m.label)}</text>`;
}

function line(points: ReadonlyArray<readonly [number, number]>, x: (v: number) => number, y: (v: number) => number, colour: string): string[] {
  if (points.length === 0) return [];
  const d = points.map(([px, py], i) => `${i === 0 ? "M" : "L"}${f1(x(px))},${f1(y(py))}`).join("");
  const out = [`<path d="${d}" fill="none" stroke="${colour}" stroke-width="2"/>`];
  if (points.length <= 20) for (const [px, py] of points) out.push(`<circle cx="${f1(x(px))}" cy="${f1(y(py))}" r="3" fill="${colour}"/>`);
  return out;
}

function legendEntry(name: string, index: number, width: number): string {
  const top = MARGIN.top + 4 + index * 18;
  const colour = CHART_COLOURS[index % CHART_COLOURS.length] as string;
  const swatch = `<rect x="${width - MARGIN.right + 12}" y="${top}" width="14" height="4" fill="${colour}"/>`;
  return `${swatch}<text x="${width - MARGIN.right + 32}" y="${top + 6}">${escapeHtml(name)}</text>`;
}
