import { historyViewHtml, type HistoryBar, type HistoryView } from "@synod/viz";
import type { CheckResult } from "../check.js";
import type { LoadedHistory } from "../formats/load-history.js";
import type { KvOp, KvResult, KvValue } from "../kv-op.js";
import type { Operation } from "../operation.js";

const show = (v: KvValue | undefined): string => (v === null || v === undefined ? "∅" : v.length > 24 ? `${v.slice(0, 23)}…` : v);

function label(op: Operation<KvOp, KvResult>): string {
  const { input, output } = op;
  const got = output === undefined ? "?" : output.ok ? show(output.value) : "✗";
  switch (input.type) {
    case "get":
      return `get ${input.key}→${op.unknown ? "?" : got}`;
    case "put":
      return `put ${input.key}=${show(input.value)}`;
    case "append":
      return `append ${input.key}+${show(input.value)}`;
    case "delete":
      return `delete ${input.key}`;
    case "cas":
      return `cas ${input.key} ${show(input.expected)}→${show(input.value)}${output && !output.ok ? " ✗" : ""}`;
  }
}

/**
 * The picture of a checked history: one lane per client, the linearization order when there is one,
 * and for a non-linearizable history the witness (prefix, failing operation, concurrent alternatives).
 * Operations that failed are not drawn: they did not take effect and are left out of the check.
 * @param name - what the page is titled after (the file name)
 * @param loaded - the parsed history
 * @param result - what the checker found
 * @param timeUnit - the unit of the history's times
 * @returns the view to render with `historyViewHtml`
 */
export function historyView(name: string, loaded: LoadedHistory, result: CheckResult<unknown, KvOp, KvResult>, timeUnit: string): HistoryView {
  const clients = [...new Set(loaded.operations.map((op) => op.client))].sort((a, b) => a - b);
  const laneOf = new Map(clients.map((c, i) => [c, i]));
  const order = new Map<number, number>();
  for (const ops of result.linearizations?.values() ?? []) ops.forEach((op, i) => order.set(op.id, i + 1));
  const mark = new Map<number, HistoryBar["mark"]>();
  const witness = result.witness;
  if (witness) {
    witness.prefix.forEach((step, i) => {
      mark.set(step.operation.id, "prefix");
      order.set(step.operation.id, i + 1);
    });
    for (const op of witness.concurrent) mark.set(op.id, "concurrent");
    mark.set(witness.operation.id, "failing");
  }
  const bars: HistoryBar[] = loaded.operations.map((op) => {
    const m = mark.get(op.id);
    const o = order.get(op.id);
    return {
      id: op.id,
      lane: laneOf.get(op.client) ?? 0,
      start: op.call,
      end: op.unknown ? null : op.ret,
      label: label(op),
      detail: `${JSON.stringify(op.input)} → ${op.unknown ? "unknown outcome" : JSON.stringify(op.output)}`,
      status: op.unknown ? "unknown" : "ok",
      partition: op.input.key,
      ...(o !== undefined ? { order: o } : {}),
      ...(m !== undefined ? { mark: m } : {}),
    };
  });
  const verdict = result.linearizable === true ? "linearizable" : result.linearizable === false ? "not linearizable" : "unknown";
  const unknown = loaded.operations.filter((op) => op.unknown).length;
  return {
    title: `History ${name}`,
    summary: `${loaded.operations.length} operations checked (${unknown} with unknown outcome) of ${loaded.invocations} invocations, ${clients.length} client${clients.length === 1 ? "" : "s"}, ${result.partitions} key${result.partitions === 1 ? "" : "s"}${witness ? ` — key ${JSON.stringify(witness.partition)}: operation #${witness.operation.id} cannot follow the ${witness.prefix.length}-operation prefix` : ""}`,
    verdict,
    lanes: clients.map((c) => `client ${c}`),
    bars,
    timeUnit,
    ...(witness ? { explanation: witness.text } : {}),
  };
}

/** @returns the self-contained HTML report of a checked history */
export function historyReportHtml(name: string, loaded: LoadedHistory, result: CheckResult<unknown, KvOp, KvResult>, timeUnit: string): string {
  return historyViewHtml(historyView(name, loaded, result, timeUnit));
}
