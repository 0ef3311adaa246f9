import type { NodeId } from "@synod/core";
import { kvCommandCodec, type KvResult } from "@synod/raft";
import type { ChainState } from "./chain-state.js";
import type { PendingWrite } from "./chain-store.js";
import type { ChainMessage, Write } from "./messages.js";

/**
 * Chain replication's write path (van Renesse & Schneider §3): the head orders a write, each node
 * appends it and forwards it to its successor, the tail commits it and answers the client, and the
 * commit point flows back upstream in acks. Lost messages are re-sent on a timer; after a
 * reconfiguration each node re-sends to its new successor every write that successor may have
 * missed (everything not known committed), and asks its new predecessor for what it lacks.
 */

/**
 * An origin re-submits a write only after this many retransmission periods without an answer. A
 * write already committed is ordered again when re-submitted (its session answers it without
 * applying it twice): re-submitting every period under load made the head order each write many
 * times and the chain's throughput collapse (bench/suites/chain.ts, 50 % reads).
 */
const SUBMIT_RETRY_TIMERS = 5;

type Append = Extract<ChainMessage, { type: "append" }>;
type Ack = Extract<ChainMessage, { type: "ack" }>;
type Snapshot = Extract<ChainMessage, { type: "snapshot" }>;

/** A client's write arrived at this node (its origin): order it here if head, else forward it to the head. */
export function requestWrite(c: ChainState, tag: number, command: Uint8Array): void {
  if (!kvCommandCodec.decode(command).ok) {
    c.out.output({ type: "refused", tag, reason: "the command does not decode" });
    return;
  }
  c.submits.set(tag, { command, sentTick: c.now, expiresTick: c.now + c.config.submitTimeoutTicks });
  forwardSubmit(c, tag, command);
}

function forwardSubmit(c: ChainState, tag: number, command: Uint8Array): void {
  const head = c.head;
  if (head === undefined) return; // no chain yet: the retransmission timer tries again
  if (head === c.id) orderWrite(c, c.id, tag, command);
  else c.send(head, { type: "submit", tag, command });
}

/** Head: give the write the next sequence number and send it down the chain (a tail-less chain of one commits it at once). */
export function orderWrite(c: ChainState, origin: NodeId, tag: number, command: Uint8Array): void {
  if (!c.isHead || !c.synced || c.store.pending.length >= c.config.maxPendingWrites || !kvCommandCodec.decode(command).ok) return;
  // An origin re-submits until the tail answers: a write still on its way down the chain is not ordered twice.
  if (c.store.pending.some((w) => w.tag === tag && w.origin === origin)) return;
  c.store.append({ seq: c.store.received + 1, command, origin, tag });
  c.metrics.ordered++;
  afterReceive(c);
}

/** What follows a node receiving writes: the tail commits them; another node forwards them. */
function afterReceive(c: ChainState): void {
  if (c.isTail) commitTo(c, c.store.received);
  else sendNewWrites(c);
}

/** Send the successor what it has not been sent yet (at most a batch). */
function sendNewWrites(c: ChainState): void {
  if (c.successor === undefined || c.sentTo >= c.store.received) return;
  sendFrom(c, c.sentTo + 1, false);
}

/** Send the successor the writes from `from` (a batch; `resend`: counted as re-sent), or the committed state when it needs writes already committed here. */
function sendFrom(c: ChainState, from: number, resend: boolean): void {
  const successor = c.successor;
  if (successor === undefined) return;
  const pending = c.store.pending;
  const first = from - c.store.committed - 1;
  if (first < 0) {
    sendSnapshot(c, successor);
    return;
  }
  const writes: Write[] = [];
  for (let i = first; i < pending.length && writes.length < c.config.maxBatch; i++) {
    const w = pending[i] as PendingWrite;
    writes.push({ seq: w.seq, command: w.command, origin: w.origin, tag: w.tag });
  }
  if (resend) c.metrics.resent += writes.length;
  const last = writes[writes.length - 1];
  if (last !== undefined) c.sentTo = Math.max(c.sentTo, last.seq);
  c.send(successor, { type: "append", epoch: c.configuration.epoch, floor: c.syncFloor, writes });
}

function sendSnapshot(c: ChainState, successor: NodeId): void {
  const snap = c.store.snapshot();
  c.metrics.snapshotsSent++;
  c.sentTo = Math.max(c.sentTo, snap.seq);
  c.send(successor, { type: "snapshot", epoch: c.configuration.epoch, floor: c.syncFloor, ...snap });
}

/** Whether `from` may send this node replication messages of `epoch` as its predecessor (counted when not). */
function fromPredecessor(c: ChainState, from: NodeId, epoch: number): boolean {
  if (epoch !== c.configuration.epoch) return c.metrics.reject("stale-epoch"), false;
  if (c.position < 0) return c.metrics.reject("not-member"), false;
  if (from !== c.predecessor) return c.metrics.reject("not-neighbour"), false;
  return true;
}

/** Writes from the predecessor: append those that extend this node's log, then commit (tail) or forward. */
export function onAppend(c: ChainState, from: NodeId, m: Append): void {
  if (!fromPredecessor(c, from, m.epoch)) return;
  const before = c.store.received;
  for (const w of m.writes) {
    if (w.seq === c.store.received + 1) c.store.append(w);
    // A write past a gap (the network reordered appends) waits for the gap to fill, within limits.
    else if (w.seq > c.store.received && c.early.size < c.config.maxPendingWrites) c.early.set(w.seq, w);
  }
  for (let next = c.early.get(c.store.received + 1); next !== undefined; next = c.early.get(c.store.received + 1)) {
    c.early.delete(next.seq);
    c.store.append(next);
  }
  for (const seq of c.early.keys()) if (seq <= c.store.received) c.early.delete(seq); // arrived again in order
  const appended = c.store.received - before;
  if (appended > 0) {
    c.metrics.appended += appended;
    c.out.output({ type: "accepted", epoch: m.epoch, from, last: c.store.received });
  }
  maybeSync(c, m.floor);
  if (appended > 0) afterReceive(c);
  sendAck(c);
}

/** The predecessor's committed state: install it when it is ahead of everything this node holds. */
export function onSnapshot(c: ChainState, from: NodeId, m: Snapshot): void {
  if (!fromPredecessor(c, from, m.epoch)) return;
  if (m.seq > c.store.received) {
    try {
      c.store.restore(m.seq, m.hash, m.state);
    } catch {
      c.metrics.reject("bad-snapshot");
      return;
    }
    c.metrics.snapshotsInstalled++;
    c.early.clear();
    c.sentTo = Math.min(c.sentTo, m.seq);
    c.out.output({ type: "accepted", epoch: m.epoch, from, last: m.seq });
    c.out.output({ type: "committed", seq: m.seq });
    afterReceive(c);
  }
  maybeSync(c, m.floor);
  sendAck(c);
}

/** This node is synced once its predecessor, synced itself, names a floor this node has reached. */
function maybeSync(c: ChainState, floor: number): void {
  if (c.synced || floor < 0 || c.store.received < floor) return;
  c.synced = true;
  c.syncFloor = c.store.received;
}

/** Tell the predecessor what this node holds and what is committed. */
export function sendAck(c: ChainState): void {
  if (c.predecessor === undefined) return;
  c.send(c.predecessor, { type: "ack", epoch: c.configuration.epoch, received: c.store.received, committed: c.store.committed });
}

/** The successor's progress: learn the commit point (and pass it upstream); a successor behind the commit point gets a snapshot. */
export function onAck(c: ChainState, from: NodeId, m: Ack): void {
  if (m.epoch !== c.configuration.epoch) return c.metrics.reject("stale-epoch");
  if (c.position < 0) return c.metrics.reject("not-member");
  if (from !== c.successor) return c.metrics.reject("not-neighbour");
  // Acks may arrive out of order: within an epoch a successor's received only grows.
  c.successorReceived = c.successorAcked ? Math.max(c.successorReceived, m.received) : m.received;
  c.successorAcked = true;
  if (c.successorReceived < c.store.committed) {
    sendSnapshot(c, from);
    return;
  }
  const before = c.store.committed;
  commitTo(c, Math.min(m.committed, m.received));
  if (c.store.committed > before) sendAck(c);
}

/** Advance the commit point to `seq`; as the tail, answer the writes' origins. */
export function commitTo(c: ChainState, seq: number): void {
  const done = c.store.commitTo(seq);
  if (done.length === 0) return;
  c.out.output({ type: "committed", seq: c.store.committed });
  if (!c.isTail) return;
  c.metrics.committedAsTail += done.length;
  for (const w of done) answerWrite(c, w.origin, w.tag, w.result);
}

function answerWrite(c: ChainState, origin: NodeId, tag: number, result: KvResult): void {
  if (origin === c.id) onReply(c, tag, result);
  else c.send(origin, { type: "reply", tag, result });
}

/** The tail's answer to a write this node forwarded: complete the client's request once. */
export function onReply(c: ChainState, tag: number, result: KvResult): void {
  if (!c.submits.delete(tag)) return;
  c.out.output({ type: "reply", tag, result });
}

/**
 * The re-send rule, on adopting a configuration: send the (new) successor everything not known
 * committed, and ask the (new) predecessor for what this node may have missed.
 */
export function resendAfterReconfiguration(c: ChainState): void {
  c.sentTo = c.store.committed;
  c.successorReceived = c.store.committed;
  c.successorAcked = false;
  if (c.successor !== undefined) sendFrom(c, c.store.committed + 1, true);
  if (c.isTail) commitTo(c, c.store.received);
  sendAck(c);
}

/** Timer: re-send what the successor has not acknowledged, re-ack, and re-submit clients' writes. */
export function retransmit(c: ChainState): void {
  if (c.now - c.lastRetransmitTick < c.config.retransmitTicks) return;
  c.lastRetransmitTick = c.now;
  if (c.position >= 0) {
    // Go back only when the successor made no progress since the last timer: writes merely in
    // flight are not sent twice (under load that doubled the traffic on every link).
    const stuck = c.successorReceived === c.progressMark;
    c.progressMark = c.successorReceived;
    if (c.successor !== undefined && (stuck || c.successorReceived >= c.sentTo)) sendFrom(c, c.successorReceived + 1, true);
    sendAck(c);
  }
  for (const [tag, submit] of c.submits) {
    if (c.now >= submit.expiresTick) c.submits.delete(tag);
    else if (c.now - submit.sentTick >= SUBMIT_RETRY_TIMERS * c.config.retransmitTicks) {
      submit.sentTick = c.now;
      forwardSubmit(c, tag, submit.command);
    }
  }
}
