/**
 * @synod/lincheck — a linearizability checker for key-value and register histories: Wing & Gong
 * search with Lowe's memoisation, P-compositionality (partition by key), unknown outcomes.
 */
export type { KvOp, KvOpType, KvResult, KvValue } from "./kv-op.js";
export type { Operation } from "./operation.js";
export { ILLEGAL, type Model, type StepResult } from "./model.js";
export { createRegisterModel, type ValueModelOptions } from "./models/register-model.js";
export { createKvModel } from "./models/kv-model.js";
export type { ValueState } from "./models/value-step.js";
export { operationsFromHistory, MAX_HISTORY_EVENTS } from "./from-history.js";
export { checkOperations, DEFAULT_TIMEOUT_MS, DEFAULT_MAX_CACHE_ENTRIES, type CheckOptions, type CheckResult, type Verdict } from "./check.js";
export type { Witness, LinearizedStep } from "./witness.js";
export { HistoryFormatError, UsageError } from "./errors.js";
export { parseJepsenEtcd, ETCD_REGISTER_KEY } from "./formats/jepsen-etcd.js";
export { parseJepsenKv } from "./formats/jepsen-kv.js";
export { parseSynodHistory } from "./formats/synod-ndjson.js";
export { MAX_LINE_CHARS, type ParsedHistory } from "./formats/parsed-history.js";
export { loadHistory, HISTORY_FORMATS, type HistoryFormat, type LoadedHistory } from "./formats/load-history.js";
export { historyView, historyReportHtml } from "./report/history-report.js";
