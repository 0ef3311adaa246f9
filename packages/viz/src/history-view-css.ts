/** The history page's style (inline, no external fonts). */
export const HISTORY_VIEW_CSS = `
body { font: 13px/1.4 system-ui, sans-serif; margin: 16px; color: #222; }
h1 { font-size: 18px; margin: 0 0 4px; }
.verdict { font-weight: 600; padding: 1px 8px; border-radius: 10px; color: #fff; }
.verdict.good { background: #2e7d32; } .verdict.bad { background: #c62828; } .verdict.unsure { background: #ef6c00; }
.controls { display: flex; gap: 10px; align-items: center; margin: 8px 0; flex-wrap: wrap; }
.controls button { min-width: 32px; }
.lanes-filter { display: flex; flex-wrap: wrap; gap: 4px 12px; margin-bottom: 6px; }
#chart { border: 1px solid #ccc; overflow: hidden; cursor: grab; user-select: none; }
#chart.dragging { cursor: grabbing; }
svg { display: block; width: 100%; }
.lane-label { font-size: 12px; fill: #444; }
.lane-row { fill: #fafafa; } .lane-row.odd { fill: #f0f0f0; }
.axis text { font-size: 11px; fill: #666; } .axis line { stroke: #ddd; }
.bar { stroke: #1b5e20; stroke-width: 1; fill: #a5d6a7; }
.bar.fail { fill: #e0e0e0; stroke: #757575; }
.bar.unknown { fill: #ffe0b2; stroke: #ef6c00; stroke-dasharray: 4 2; }
.bar.prefix { fill: #90caf9; stroke: #0d47a1; }
.bar.concurrent { stroke: #ef6c00; stroke-width: 2.5; }
.bar.failing { fill: #ef9a9a; stroke: #b71c1c; stroke-width: 3; }
.bar.selected { stroke: #6a1b9a; stroke-width: 3; }
.bar-label { font-size: 11px; fill: #111; pointer-events: none; }
.order { font-size: 10px; font-weight: 700; fill: #0d47a1; pointer-events: none; }
.legend { margin-top: 8px; color: #555; }
.swatch { display: inline-block; width: 14px; height: 10px; border: 1px solid #555; vertical-align: middle; margin-left: 8px; }
.swatch.ok { background: #a5d6a7; } .swatch.fail { background: #e0e0e0; } .swatch.unknown { background: #ffe0b2; }
.swatch.failing { background: #ef9a9a; border-color: #b71c1c; } .swatch.prefix { background: #90caf9; } .swatch.concurrent { border: 2px solid #ef6c00; }
#tooltip { position: fixed; background: #222; color: #fff; padding: 4px 8px; border-radius: 4px; font-size: 12px; pointer-events: none; white-space: pre; }
.explanation { background: #fff8e1; border: 1px solid #ffe082; padding: 8px; overflow: auto; max-height: 320px; }
`;
