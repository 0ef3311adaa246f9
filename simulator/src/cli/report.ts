import type { RunSummary } from "../parallel/run-summary.js";

/** Arguments that reproduce one seed exactly. */
export interface ReplaySpec {
  readonly protocol: string;
  readonly nodes: number;
  readonly seed: number;
  readonly durationMs: number;
  readonly faultsText: string;
  /** Faulty nodes (`--byzantine`); absent or 0: none. */
  readonly byzantine?: number;
  /** The strategy forced on the faulty nodes (`--strategy`); absent: drawn from the seed. */
  readonly strategy?: string | undefined;
  /** Twinned nodes (`--twins`); absent or 0: none. */
  readonly twins?: number;
}

/** @returns the exact command that replays one seed, writing its trace */
export function replayCommand(spec: ReplaySpec): string {
  return `pnpm sim ${spec.protocol} --nodes ${spec.nodes} --seed ${spec.seed} --duration ${spec.durationMs} --faults ${spec.faultsText}${spec.byzantine ? ` --byzantine ${spec.byzantine}` : ""}${spec.byzantine && spec.strategy ? ` --strategy ${spec.strategy}` : ""}${spec.twins ? ` --twins ${spec.twins}` : ""} --trace ${spec.protocol}-${spec.seed}.ndjson`;
}

const m = (s: RunSummary, key: string): number => s.metrics[key] ?? 0;

/** @returns what happened in a run, for people: faults, traffic, clients, protocol metrics, invariants */
export function describeRun(s: RunSummary, replay: string): string {
  const lines: string[] = [];
  const violated = s.violations.length > 0;
  lines.push(`${s.protocol}: ${s.nodes} nodes, seed ${s.seed}, ${s.simulatedMs.toFixed(0)} ms simulated (faults heal at ${s.healAtMs} ms), ${s.events} events`);
  const rates = Object.entries(s.faultRates).map(([k, v]) => `${k}=${v}`);
  if (s.byzantine !== undefined) lines.push(`  Byzantine: ${Object.entries(s.byzantine).map(([id, strategy]) => `${id} ${strategy}`).join(", ")}`);
  if (s.twins !== undefined) {
    const copies = s.twins.map((id) => `${id} and ${id}'`).join(", ");
    lines.push(`  Twins: ${copies} until healing (${m(s, "twinEpisodes")} episodes of sides, ${m(s, "twinCut")} sends of a copy to the other side dropped)`);
  }
  lines.push(`  faults on: ${s.faults.length === 0 ? "none" : s.faults.join(", ")}${rates.length > 0 ? ` (${rates.join(", ")})` : ""}; ${s.scheduledFaults} episodes scheduled`);
  lines.push(
    `  injected: ${m(s, "partitions")} partitions (${m(s, "leaderIslands")} around the leader), ${m(s, "crashes")} crashes (${m(s, "leaderCrashes")} of the leader, ${m(s, "buggifyCrashes")} at crash points) / ${m(s, "restarts")} restarts, ${m(s, "pauses")} pauses, ${m(s, "slowEpisodes")} slow-node episodes (${m(s, "leaderStalls")} of the leader), ` +
      `${m(s, "tornWrites")} torn writes (${m(s, "tornTailsDetected")} detected), ${m(s, "corruptions")} corruptions (${m(s, "corruptionDetected")} detected at restart), ${m(s, "byzantineEpisodes")} Byzantine`,
  );
  lines.push(
    `  network: ${m(s, "messagesSent")} sent, ${s.messagesDelivered} delivered, ${m(s, "droppedLoss")} lost, ${m(s, "droppedPartition")} cut by partitions, ` +
      `${m(s, "droppedCrashed")} to crashed nodes, ${m(s, "duplicated")} duplicated, ${m(s, "drainedAtHeal")} delayed by faults brought forward at healing`,
  );
  lines.push(`  storage: ${m(s, "recordsPersisted")} records synced, ${m(s, "unsyncedRecordsLost")} unsynced lost in crashes, ${m(s, "sendsLostInCrash")} sends lost between persist and send`);
  lines.push(`  clients: ${m(s, "historyInvoke")} invoked, ${m(s, "historyOk")} ok, ${m(s, "historyFail")} fail, ${m(s, "historyUnknown")} unknown`);
  const simulatorKeys = new Set(["twinCut", "twinEpisodes", "messagesSent", "messagesDelivered", "droppedLoss", "droppedPartition", "droppedCrashed", "droppedPauseOverflow", "duplicated", "badEnvelopes", "decodeErrors", "bytesSent", "ticks", "requests", "requestsLost", "recordsPersisted", "unsyncedRecordsLost", "sendsLostInCrash", "tornWrites", "tornTailsDetected", "corruptions", "corruptionDetected", "faultsInjected", "partitions", "crashes", "leaderCrashes", "buggifyCrashes", "leaderStalls", "leaderIslands", "restarts", "pauses", "slowEpisodes", "byzantineEpisodes", "livenessAfterHealMs", "drainedAtHeal", "historyInvoke", "historyOk", "historyFail", "historyUnknown", "ignoredCompletions"]);
  const protocolMetrics = Object.entries(s.metrics).filter(([k]) => !simulatorKeys.has(k));
  if (protocolMetrics.length > 0) lines.push(`  protocol: ${protocolMetrics.map(([k, v]) => `${k}=${v}`).join(", ")}`);
  const live = m(s, "livenessAfterHealMs");
  if (live >= 0) lines.push(`  liveness: held ${live.toFixed(0)} ms after healing`);
  if (!violated) {
    lines.push(`  invariants held: ${s.invariants.length > 0 ? s.invariants.join(", ") : "(none registered)"}`);
  } else {
    for (const v of s.violations) lines.push(`  VIOLATION ${v.invariant} at event ${v.event} (t=${v.timeMs.toFixed(3)} ms${v.node ? `, node ${v.node}` : ""}): ${v.message}`);
    if (s.tail && s.tail.length > 0) {
      lines.push("  last events:");
      for (const t of s.tail) lines.push(`    ${t}`);
    }
    lines.push(`  replay: ${replay}`);
  }
  const twice = s.deterministic ? "ran twice, identical event for event" : "the two runs DIVERGED (the Determinism violation above says where)";
  if (s.deterministic !== undefined) lines.push(`  determinism: ${twice}`);
  lines.push(`  trace hash ${s.traceHash}`);
  return lines.join("\n");
}

/** @returns one line per run, for batches of seeds */
export function describeRunBriefly(s: RunSummary): string {
  const v = s.violations[0];
  const status = v === undefined ? "ok" : `VIOLATION ${v.invariant} at event ${v.event}: ${v.message.split("\n")[0]}`;
  const faulty =
    (s.byzantine === undefined ? "" : `, Byzantine [${Object.entries(s.byzantine).map(([id, strategy]) => `${id}:${strategy}`).join(",")}]`) +
    (s.twins === undefined ? "" : `, twins [${s.twins.join(",")}]`);
  const twice = s.deterministic === true ? ", ran twice identically" : "";
  const counts = `${s.events} events, ${s.messagesDelivered} delivered, faults [${s.faults.join(",")}], hash ${s.traceHash}`;
  return `seed ${s.seed}: ${status}${faulty}${twice} — ${counts}`;
}

/**
 * @returns the `--check-determinism` verdict over a batch, one line: how many seeds ran twice
 *   identically, and which did not
 */
export function determinismVerdict(summaries: readonly RunSummary[]): string {
  const diverged = summaries.filter((s) => s.deterministic === false).map((s) => s.seed);
  const unchecked = summaries.filter((s) => s.deterministic === undefined).length;
  const crashed = unchecked > 0 ? `; ${unchecked} not checked (the run failed before its second run)` : "";
  if (diverged.length === 0) return `determinism: deterministic — all ${summaries.length - unchecked} seeds ran twice with identical traces${crashed}`;
  const seeds = diverged.length > 10 ? `${diverged.slice(0, 10).join(", ")}, …` : diverged.join(", ");
  const which = `${diverged.length} of ${summaries.length} seeds diverged between two runs (seeds ${seeds})${crashed}`;
  return `determinism: NOT deterministic — ${which}; a bug: something outside the seed changes the run`;
}
