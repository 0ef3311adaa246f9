export { escapeHtml, scriptSafeJson } from "./escape.js";
export { selfContainedPage, type PageParts } from "./page.js";
export { historyViewHtml, historyViewBody, historyVerdictLine, type HistoryView, type HistoryBar, type BarStatus, type BarMark } from "./history-view.js";
export { runReportHtml, type RunReport } from "./spacetime/run-report-page.js";
export type {
  SpaceTimeView,
  SpaceTimeMessages,
  SpaceTimeNodeEpisode,
  SpaceTimeNetworkEpisode,
  SpaceTimeRole,
  SpaceTimeViolation,
} from "./spacetime/spacetime-view.js";
