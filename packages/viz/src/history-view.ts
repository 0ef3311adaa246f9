import { escapeHtml } from "./escape.js";
import { HISTORY_VIEW_CSS } from "./history-view-css.js";
import { HISTORY_VIEW_SCRIPT } from "./history-view-script.js";
import { selfContainedPage } from "./page.js";
import { SVG_SCRIPT_HELPERS } from "./svg-script.js";

/** How an operation ended. */
export type BarStatus = "ok" | "fail" | "unknown";

/** Its part in the checker's verdict. */
export type BarMark =
  /** The operation that cannot be linearized after the prefix (Porcupine's red bar). */
  | "failing"
  /** In the longest linearizable prefix found. */
  | "prefix"
  /** Invoked before the failing operation returned and not in the prefix: the alternatives tried. */
  | "concurrent";

/** One operation: a bar from invocation to completion on its client's lane. */
export interface HistoryBar {
  readonly id: number;
  /** Index into {@link HistoryView.lanes}. */
  readonly lane: number;
  readonly start: number;
  /** Completion time; null for an operation whose outcome is unknown (drawn open to the end). */
  readonly end: number | null;
  /** Short text drawn on the bar, e.g. `put k=1`. */
  readonly label: string;
  /** Longer text shown on hover. */
  readonly detail: string;
  readonly status: BarStatus;
  /** The key (partition) it belongs to; "" when the model has one. */
  readonly partition: string;
  /** Its position in the linearization (or in the witness prefix), 1-based, when there is one. */
  readonly order?: number;
  readonly mark?: BarMark;
}

/** A client history to draw. */
export interface HistoryView {
  readonly title: string;
  /** One line under the title: the verdict and counts. */
  readonly summary: string;
  readonly verdict: "linearizable" | "not linearizable" | "unknown";
  /** Lane names, e.g. `client 3`. */
  readonly lanes: readonly string[];
  readonly bars: readonly HistoryBar[];
  /** Unit of the time axis, e.g. `ms`. */
  readonly timeUnit: string;
  /** The checker's explanation (witness text), shown under the picture. */
  readonly explanation?: string;
}

/**
 * A self-contained HTML page of a client history: one lane per client, each operation a bar from
 * invocation to completion, the linearization order numbered, and for a non-linearizable history the
 * failing operation, the prefix and the concurrent alternatives marked (as Porcupine shows them).
 * Zoom (wheel, buttons), pan (drag), filter by client and key, and search by operation id; only the
 * bars in view are drawn, so large histories stay responsive.
 * @returns the HTML document
 */
export function historyViewHtml(view: HistoryView): string {
  const body = `
<header>
  <h1>${escapeHtml(view.title)}</h1>
  ${historyVerdictLine(view)}
</header>
${historyViewBody(view)}`;
  return selfContainedPage({ title: view.title, body, css: HISTORY_VIEW_CSS, script: SVG_SCRIPT_HELPERS + HISTORY_VIEW_SCRIPT, data: view });
}

/** @returns the verdict badge and summary line of a history */
export function historyVerdictLine(view: HistoryView): string {
  const verdictClass = view.verdict === "linearizable" ? "good" : view.verdict === "unknown" ? "unsure" : "bad";
  return `<p><span class="verdict ${verdictClass}" data-testid="verdict">${escapeHtml(view.verdict)}</span> ${escapeHtml(view.summary)}</p>`;
}

/**
 * The history view's controls, chart, legend and explanation, for a page that embeds it (its script is
 * {@link HISTORY_VIEW_SCRIPT}; its data the page's `#data` or `#history-data` element).
 * @returns trusted markup
 */
export function historyViewBody(view: HistoryView): string {
  return `
<nav class="controls">
  <button type="button" id="zoom-in" title="zoom in">+</button>
  <button type="button" id="zoom-out" title="zoom out">−</button>
  <button type="button" id="zoom-reset" title="show everything">fit</button>
  <label>key <select id="partition"><option value="*">all keys</option></select></label>
  <label>operation id <input id="search" type="search" size="8" placeholder="e.g. 42"></label>
  <span id="status" data-testid="status"></span>
</nav>
<div class="lanes-filter" id="lane-filter"></div>
<div id="chart"><svg id="timeline" data-testid="timeline" xmlns="http://www.w3.org/2000/svg"></svg></div>
<div id="tooltip" role="tooltip" hidden></div>
<section class="legend">
  <span class="swatch ok"></span> ok <span class="swatch unknown"></span> unknown outcome
  <span class="swatch failing"></span> cannot be linearized <span class="swatch prefix"></span> linearizable prefix <span class="swatch concurrent"></span> concurrent alternative
  · numbers: linearization order · drag to pan, wheel to zoom
</section>
${view.explanation ? `<pre class="explanation" data-testid="explanation">${escapeHtml(view.explanation)}</pre>` : ""}`;
}
