export { escapeHtml, scriptSafeJson } from "./escape.js";
export { selfContainedPage, type PageParts } from "./page.js";
export { historyViewHtml, type HistoryView, type HistoryBar, type BarStatus, type BarMark } from "./history-view.js";
