import { escapeHtml, scriptSafeJson } from "../escape.js";
import { historyVerdictLine, historyViewBody, type HistoryView } from "../history-view.js";
import { HISTORY_VIEW_CSS } from "../history-view-css.js";
import { HISTORY_VIEW_SCRIPT } from "../history-view-script.js";
import { selfContainedPage } from "../page.js";
import { SVG_SCRIPT_HELPERS } from "../svg-script.js";
import { SPACETIME_CSS } from "./spacetime-css.js";
import { SPACETIME_SCRIPT } from "./spacetime-script.js";
import type { SpaceTimeView, SpaceTimeViolation } from "./spacetime-view.js";

/** A simulated run's report: its space-time diagram and, for a service with clients, its history. */
export interface RunReport {
  readonly spacetime: SpaceTimeView;
  /** The client history with the linearizability checker's verdict, on the same time axis. */
  readonly history?: HistoryView;
  /** Why there is no history view (e.g. the protocol has no linearizable clients). */
  readonly historyNote?: string;
}

const json = (id: string, value: unknown): string => `<script type="application/json" id="${id}">${scriptSafeJson(value)}</script>`;

function violationPanel(v: SpaceTimeViolation, lanes: readonly string[]): string {
  const where = v.node !== undefined ? `, node ${lanes[v.node] ?? v.node}` : "";
  const state = (s: { readonly node: string; readonly json: string }, i: number): string =>
    `<details${i === v.node ? " open" : ""}><summary>${escapeHtml(s.node)}${i === v.node ? " (its step broke it)" : ""}</summary>` +
    `<pre>${escapeHtml(s.json)}</pre></details>`;
  const states = v.states.map(state).join("");
  return `
<section class="violation" data-testid="violation">
  <h2>✖ ${escapeHtml(v.invariant)} violated at event ${v.event} (t = ${v.atMs.toFixed(3)} ms${escapeHtml(where)})</h2>
  <pre data-testid="violation-message">${escapeHtml(v.message)}</pre>
  <h3>Shrunk fault schedule</h3>
  <p>${escapeHtml(v.scheduleNote)}</p>
  <pre data-testid="shrunk-schedule">${escapeHtml(v.schedule.length === 0 ? "(no faults needed)" : v.schedule.join("\n"))}</pre>
  <h3>Node states at the violation</h3>
  <div class="states" data-testid="states">${states}</div>
</section>`;
}

function spacetimeSection(): string {
  return `
<section class="part">
  <h2>Space-time diagram</h2>
  <nav class="controls">
    <button type="button" id="st-zoom-in" title="zoom in">+</button>
    <button type="button" id="st-zoom-out" title="zoom out">−</button>
    <button type="button" id="st-zoom-reset" title="show the whole run">fit</button>
    <label>message type <select id="st-type"><option value="-1">all types</option></select></label>
    <label>event index <input id="st-search" type="search" size="8" placeholder="e.g. 120"></label>
    <span id="st-status" data-testid="st-status"></span>
  </nav>
  <div class="lanes-filter" id="st-lane-filter"></div>
  <div id="st-chart"><svg id="st-timeline" data-testid="spacetime" xmlns="http://www.w3.org/2000/svg"></svg></div>
  <div class="st-legend">
    <span class="key delivered"></span> delivered <span class="key lost"></span> lost ✕ <span class="key cut"></span> cut by a partition ‖
    <span class="key dup"></span> duplicate
    <span class="key crashed"></span> to a crashed or full node ✕
    <span class="box down"></span> crashed <span class="box paused"></span> paused <span class="box slow"></span> slow <span class="box skew"></span> clock skew
    <span class="box byzantine"></span> Byzantine <span class="box partition"></span> partition (red line: cut-off side)
    <span class="box network"></span> lossy network
    · drag to pan, wheel to zoom
  </div>
</section>`;
}

/** @returns the note that stands in for the history view (and the tooltip it would have brought) */
function noHistory(note: string | undefined): string {
  return `<p>${escapeHtml(note ?? "no client history")}</p><div id="tooltip" role="tooltip" hidden></div>`;
}

/**
 * A self-contained HTML report of a simulated run: the violation (invariant, event, node states, shrunk
 * fault schedule) when there is one, the space-time diagram (a lane per node, an arrow per message,
 * drops marked, faults shaded, roles labelled) and the client history with its linearizability witness,
 * both on one time axis: zooming or panning either moves both.
 * @returns the HTML document
 */
export function runReportHtml(report: RunReport): string {
  const st = report.spacetime;
  const bad = st.violation !== undefined;
  const history = report.history;
  const body = `
<header>
  <h1>${escapeHtml(st.title)}</h1>
  <p><span class="verdict ${bad ? "bad" : "good"}" data-testid="run-verdict">${bad ? "violation" : "all invariants held"}</span>
  ${escapeHtml(st.summary)}</p>
</header>
${st.violation ? violationPanel(st.violation, st.lanes) : ""}
${spacetimeSection()}
<section class="part">
  <h2>Client history</h2>
  ${history ? `${historyVerdictLine(history)}${historyViewBody(history)}` : noHistory(report.historyNote)}
</section>
${json("spacetime-data", st)}
${history ? json("history-data", history) : ""}`;
  const script = SVG_SCRIPT_HELPERS + (history ? HISTORY_VIEW_SCRIPT : "") + SPACETIME_SCRIPT;
  return selfContainedPage({ title: st.title, body, css: HISTORY_VIEW_CSS + SPACETIME_CSS, script, data: null });
}
