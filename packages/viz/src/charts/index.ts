/** `@synod/viz/charts`: line charts (throughput, latency, CDFs, timelines) as standalone SVG text, drawn without a browser. */
export { lineChartSvg, CHART_COLOURS, type LineChart, type ChartSeries } from "./line-chart.js";
export { makeScale, niceTicks, tickLabel, type Scale } from "./scale.js";
