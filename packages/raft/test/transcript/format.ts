import type { Entry } from "../../src/entry.js";
import type { RaftOutput } from "../../src/io.js";
import { kvCommandCodec, type KvReply } from "../../src/kv/kv-command.js";
import type { RaftMessage } from "../../src/messages.js";
import type { RaftRecord } from "../../src/records.js";
import type { RaftNode } from "../../src/raft-node.js";
import type { TestStep } from "../support/cluster.js";

/** @returns `term/index payload` for an entry */
export function formatEntry(e: Entry): string {
  if (e.type === "conf") {
    return e.change.kind === "leave-joint" ? `${e.term}/${e.index} leave-joint` : `${e.term}/${e.index} enter-joint voters=${e.change.voters.join(",")} learners=${e.change.learners.join(",") || "-"}`;
  }
  if (e.data.length === 0) return `${e.term}/${e.index} noop`;
  const cmd = kvCommandCodec.decode(e.data);
  if (!cmd.ok) return `${e.term}/${e.index} <${e.data.length} bytes>`;
  const { op } = cmd.value;
  const args = op.type === "cas" ? `${op.key} ${op.expected ?? "nil"}→${op.value ?? "nil"}` : op.type === "put" ? `${op.key}=${op.value ?? "nil"}` : op.key;
  return `${e.term}/${e.index} ${op.type} ${args}`;
}

/** @returns one line describing a message */
export function formatMessage(from: string, to: string, m: RaftMessage): string {
  const head = `${from}->${to} ${m.type} term=${m.term}`;
  switch (m.type) {
    case "preVote":
    case "vote":
      return `${head} last=${m.lastTerm}/${m.lastIndex}${m.type === "vote" && m.transfer ? " transfer" : ""}`;
    case "preVoteResponse":
    case "voteResponse":
      return `${head} ${m.granted ? "granted" : "rejected"}`;
    case "append":
      return `${head} prev=${m.prevTerm}/${m.prevIndex} commit=${m.commit} entries=[${m.entries.map(formatEntry).join(", ")}]`;
    case "appendResponse":
      return m.reject ? `${head} reject index=${m.index} hint=${m.hintTerm}/${m.hintIndex}` : `${head} index=${m.index}`;
    case "heartbeat":
      return `${head} commit=${m.commit} round=${m.context}`;
    case "heartbeatResponse":
      return `${head} round=${m.context}`;
    case "snapshot":
      return `${head} snapshot=${m.snapshot.term}/${m.snapshot.index} voters=${m.snapshot.conf.voters.join(",")} bytes=${m.offset}+${m.data.length}/${m.snapshot.size}`;
    case "snapshotResponse":
      return `${head} snapshot=${m.index} received=${m.received}`;
    case "timeoutNow":
      return head;
  }
}

function formatRecord(r: RaftRecord): string {
  switch (r.type) {
    case "hardState":
      return `hardState term=${r.term} vote=${r.vote ?? "-"} commit=${r.commit}`;
    case "entries":
      return `entries [${r.entries.map(formatEntry).join(", ")}]`;
    case "snapshotChunk":
      return `snapshotChunk ${r.term}/${r.index} bytes=${r.offset}+${r.data.length}`;
    case "snapshot":
      return `snapshot ${r.snapshot.term}/${r.snapshot.index} voters=${r.snapshot.conf.voters.join(",")} size=${r.snapshot.size}`;
  }
}

function formatOutput(o: RaftOutput<KvReply>): string {
  switch (o.type) {
    case "apply":
      return `apply ${formatEntry(o.entry)}${o.result === undefined ? "" : ` -> ${JSON.stringify(o.result.result)}`}`;
    case "restored":
      return `restored snapshot ${o.term}/${o.index}`;
    case "proposed":
      return `proposed tag=${o.tag} index=${o.index}${o.count > 1 ? ` count=${o.count}` : ""}`;
    case "unknown":
      return `unknown tag=${o.tag} index=${o.index}${o.count > 1 ? ` count=${o.count}` : ""}`;
    case "read":
      return `read tag=${o.tag} -> ${JSON.stringify(o.result.result)}`;
    case "refused":
      return `refused tag=${o.tag}: ${o.error.message}`;
    case "conf":
      return `conf index=${o.index} voters=${o.conf.voters.join(",")}${o.conf.outgoing.length ? ` outgoing=${o.conf.outgoing.join(",")}` : ""} learners=${o.conf.learners.join(",") || "-"}${o.rejected ? ` REJECTED: ${o.rejected}` : ""}`;
    case "role":
      return `role ${o.role} term=${o.term} leader=${o.leader ?? "-"}`;
    case "alarm":
      return `ALARM ${o.reason}`;
    case "election-timeout":
      return `election-timeout ${o.ticks} ticks (rtt ${o.rttTicks}, ${o.source})`;
    case "batch-target":
      return `batch-target ${o.entries} entries (depth ${o.depth})`;
  }
}

/** @returns the lines describing one step (empty for an empty step) */
export function formatStep(node: string, cause: string, step: TestStep): string[] {
  if (step.persist.length === 0 && step.send.length === 0 && step.output.length === 0 && !step.compact) return [];
  const lines = [`> ${node} ${cause}`];
  if (step.compact) lines.push("  compact (replaces all records)");
  for (const r of step.persist) lines.push(`  persist ${formatRecord(r)}`);
  for (const e of step.send) lines.push(`  send ${formatMessage(e.from, e.to, e.message)}`);
  for (const o of step.output) lines.push(`  ${formatOutput(o)}`);
  return lines;
}

/** @returns a one-line summary of a node's state */
export function formatStatus(node: RaftNode<KvReply>): string {
  const c = node.confState;
  const conf = `voters=${c.voters.join(",")}${c.outgoing.length ? ` outgoing=${c.outgoing.join(",")}` : ""}${c.learners.length ? ` learners=${c.learners.join(",")}` : ""}`;
  return `${node.id} ${node.role} term=${node.term} leader=${node.leader ?? "-"} vote=${node.vote ?? "-"} commit=${node.commitIndex} applied=${node.appliedIndex} last=${node.lastIndex} snapshot=${node.snapshotIndex} ${conf}`;
}
