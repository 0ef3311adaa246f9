/** Line charts drawn as SVG text, without a browser. */
import { describe, expect, it } from "vitest";
import { lineChartSvg, niceTicks } from "../../packages/viz/src/charts/index.js";

describe("lineChartSvg", () => {
  const svg = lineChartSvg({
    title: "p99 & friends",
    xLabel: "cluster size",
    yLabel: "ms",
    series: [
      { name: "raft", points: [[3, 14.9], [5, 15.3], [7, Number.NaN], [9, 11.7]] },
      { name: "pbft", points: [[4, 31.4], [13, 39.4]] },
    ],
    markers: [{ x: 6, label: "fault" }],
  });

  it("draws one path per series, a dot per finite point, and skips the non-finite ones", () => {
    expect(svg.match(/stroke-width="2"/g)).toHaveLength(2);
    expect(svg.match(/<circle /g)).toHaveLength(5);
    expect(svg).not.toContain("NaN");
  });

  it("escapes text, names every series in the legend and draws the markers", () => {
    expect(svg).toContain("p99 &amp; friends");
    expect(svg).toContain(">raft</text>");
    expect(svg).toContain(">pbft</text>");
    expect(svg).toContain(">fault</text>");
    expect(svg.trim().endsWith("</svg>")).toBe(true);
  });

  it("puts round ticks on the axes", () => {
    expect(niceTicks(0, 40)).toEqual([0, 10, 20, 30, 40]);
    expect(niceTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });
});
