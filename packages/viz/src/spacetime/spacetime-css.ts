/** The space-time diagram's style (inline; used with the history view's). */
export const SPACETIME_CSS = `
section.part { margin: 14px 0; }
section.part > h2 { font-size: 15px; margin: 0 0 4px; }
#st-chart { border: 1px solid #ccc; overflow: hidden; cursor: grab; user-select: none; }
#st-chart.dragging { cursor: grabbing; }
.st-lane-line { stroke: #9e9e9e; stroke-width: 1; }
.st-lane-label { font-size: 12px; fill: #222; font-weight: 600; }
.st-lane-label.culprit { fill: #b71c1c; }
.ep { opacity: 0.85; }
.ep.down { fill: #424242; } .ep.paused { fill: #90a4ae; } .ep.slow { fill: #ffb74d; } .ep.skew { fill: #ce93d8; } .ep.byzantine { fill: #e57373; }
.band.partition { fill: #ffcdd2; opacity: 0.35; } .band.network { fill: #fff59d; opacity: 0.45; }
.band-label { font-size: 10px; fill: #b71c1c; } .band-label.network { fill: #827717; }
.cut-side { stroke: #e53935; stroke-width: 5; opacity: 0.35; }
.arrow { stroke-width: 1.1; fill: none; }
.arrow.delivered { stroke: #1565c0; } .arrow.inflight { stroke: #78909c; stroke-dasharray: 2 3; }
.arrow.lost { stroke: #e53935; stroke-dasharray: 4 3; } .arrow.cut { stroke: #ad1457; stroke-dasharray: 4 3; }
.arrow.crashed, .arrow.overflow { stroke: #616161; stroke-dasharray: 4 3; }
.arrow.dup { stroke: #8e24aa; stroke-dasharray: 6 2; }
.arrow.hit { stroke: #ff6f00; stroke-width: 3; }
.arrow-label { font-size: 9px; fill: #37474f; text-anchor: middle; pointer-events: none; }
.drop-mark { fill: #c62828; font-size: 12px; font-weight: 700; text-anchor: middle; dominant-baseline: central; pointer-events: none; }
.drop-mark.cut { fill: #ad1457; font-size: 14px; } .restart { font-size: 9px; fill: #424242; font-style: italic; }
.role { font-size: 10px; fill: #333; } .role.leader, .role.primary { fill: #1b5e20; font-weight: 700; }
.role.candidate, .role.pre-candidate { fill: #e65100; } .role.follower, .role.backup { fill: #9e9e9e; } .role-tick { stroke: #555; stroke-width: 1; }
.density { fill: #1565c0; opacity: 0.5; }
.event-marker { stroke: #ff6f00; stroke-width: 2; }
.violation-line { stroke: #c62828; stroke-width: 2.5; stroke-dasharray: 6 3; }
.violation-label { fill: #c62828; font-size: 12px; font-weight: 700; }
.violation { border: 2px solid #c62828; background: #ffebee; padding: 8px 12px; border-radius: 4px; }
.violation h2 { color: #b71c1c; margin: 0 0 4px; font-size: 16px; }
.violation pre { background: #fff; border: 1px solid #ef9a9a; padding: 6px; max-height: 220px; overflow: auto; margin: 4px 0; }
.states { display: flex; gap: 8px; overflow-x: auto; }
.states details { min-width: 220px; }
.st-legend { color: #555; margin-top: 4px; }
.key { display: inline-block; width: 22px; height: 0; border-top: 2px solid; vertical-align: middle; margin-left: 10px; }
.key.delivered { border-color: #1565c0; } .key.lost { border-color: #e53935; border-top-style: dashed; }
.key.cut { border-color: #ad1457; border-top-style: dashed; }
.key.dup { border-color: #8e24aa; border-top-style: dashed; } .key.crashed { border-color: #616161; border-top-style: dashed; }
.box { display: inline-block; width: 14px; height: 10px; vertical-align: middle; margin-left: 10px; }
.box.down { background: #424242; } .box.paused { background: #90a4ae; } .box.slow { background: #ffb74d; } .box.partition { background: #ffcdd2; }
.box.network { background: #fff59d; } .box.skew { background: #ce93d8; } .box.byzantine { background: #e57373; }
`;
