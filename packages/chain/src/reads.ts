import type { NodeId } from "@synod/core";
import type { KeyVersion } from "./chain-store.js";
import type { ChainState, LocalRead } from "./chain-state.js";
import type { ReadConsistency } from "./io.js";
import { onConfirm } from "./master.js";
import type { ChainMessage } from "./messages.js";

/**
 * Reads. Strong reads are linearizable: chain replication answers them at the tail; CRAQ at any
 * synced member — from its own committed version when the key is clean, else from the version the
 * tail names as committed (a version query). Either way a node first confirms, through the Raft
 * group (a ReadIndex read of the configuration), that its epoch was still current after the read
 * arrived: a member removed without knowing it must not answer from a chain that moved on.
 * Eventual and bounded reads answer at once from this node's newest versions.
 */

type VersionReply = Extract<ChainMessage, { type: "versionReply" }>;

/** A client's read arrived at this node. */
export function requestRead(c: ChainState, tag: number, key: string, consistency: ReadConsistency, maxVersionsAhead: number): void {
  if (consistency !== "strong") {
    if (c.position < 0) return c.out.output({ type: "refused", tag, reason: "not a chain member: holds no data", redirect: c.tail });
    const version = c.store.newestVersion(key, consistency === "bounded" ? maxVersionsAhead : undefined);
    c.metrics.weakReads++;
    answer(c, { origin: c.id, tag, key }, version, consistency);
    return;
  }
  if (c.config.mode === "craq" && c.position >= 0) return queueRead(c, { origin: c.id, tag, key });
  const tail = c.tail;
  if (tail === undefined) return c.out.output({ type: "refused", tag, reason: "no chain configured yet" });
  if (tail === c.id) return queueRead(c, { origin: c.id, tag, key });
  c.remoteReads.set(tag, c.now + c.config.submitTimeoutTicks);
  c.send(tail, { type: "tailRead", epoch: c.configuration.epoch, tag, key });
}

/** A read forwarded to this node as the tail. */
export function onTailRead(c: ChainState, from: NodeId, m: { readonly epoch: number; readonly tag: number; readonly key: string }): void {
  if (m.epoch !== c.configuration.epoch || !c.isTail) {
    c.send(from, { type: "readRefused", tag: m.tag, reason: `not the tail of epoch ${m.epoch}` });
    return;
  }
  queueRead(c, { origin: from, tag: m.tag, key: m.key });
}

function queueRead(c: ChainState, read: LocalRead): void {
  const held = c.waitingReads.length + (c.confirm?.covered.length ?? 0) + c.versionWaits.size;
  if (held >= c.config.maxPendingReads) return refuse(c, read, `more than ${c.config.maxPendingReads} reads wait here`);
  c.waitingReads.push(read);
  if (c.confirm === undefined) startConfirm(c);
}

/** Ask the Raft leader to confirm this node's epoch for every read waiting (one round covers them all). */
function startConfirm(c: ChainState): void {
  const leader = c.raft.leader;
  if (leader === undefined || (c.waitingReads.length === 0 && c.confirm === undefined)) return;
  const round = c.nextRound++;
  const covered = [...(c.confirm?.covered ?? []), ...c.waitingReads];
  c.waitingReads = [];
  c.confirm = { round, sentTick: c.now, covered };
  c.metrics.confirmRounds++;
  if (leader === c.id) onConfirm(c, c.id, round);
  else c.send(leader, { type: "confirm", tag: round });
}

/** The Raft group's configuration epoch, read after round `tag` started: serve the reads it covers if it is still this node's. */
export function onConfirmed(c: ChainState, tag: number, epoch: number): void {
  if (c.confirm?.round !== tag) return;
  const covered = c.confirm.covered;
  c.confirm = undefined;
  const current = epoch === c.configuration.epoch && c.position >= 0;
  for (const read of covered) {
    if (current) serveStrong(c, read);
    else refuse(c, read, `epoch ${c.configuration.epoch} is no longer current (the group holds ${epoch})`);
  }
  if (c.waitingReads.length > 0) startConfirm(c);
}

function serveStrong(c: ChainState, read: LocalRead): void {
  if (!c.synced) return refuse(c, read, "this node has not caught up with the chain yet");
  if (c.isTail || !c.store.isDirty(read.key)) {
    if (c.isTail) c.metrics.tailReads++;
    else c.metrics.cleanReads++;
    answer(c, read, c.store.cleanVersion(read.key), "strong");
    return;
  }
  const id = c.nextVersionId++;
  c.versionWaits.set(id, { ...read, expiresTick: c.now + c.config.submitTimeoutTicks });
  c.send(c.tail as NodeId, { type: "versionQuery", epoch: c.configuration.epoch, id, key: read.key });
}

/** As the tail: name the committed version of a key (everything the tail holds is committed). */
export function onVersionQuery(c: ChainState, from: NodeId, m: { readonly epoch: number; readonly id: number; readonly key: string }): void {
  if (m.epoch !== c.configuration.epoch) return c.metrics.reject("stale-epoch");
  if (!c.isTail || !c.synced) return c.metrics.reject("not-member");
  c.metrics.versionQueriesAnswered++;
  c.send(from, { type: "versionReply", epoch: m.epoch, id: m.id, version: c.store.cleanVersion(m.key).version });
}

/** The tail named the committed version of a dirty key: answer with this node's copy of that version. */
export function onVersionReply(c: ChainState, m: VersionReply): void {
  const read = c.versionWaits.get(m.id);
  if (read === undefined) return;
  if (m.epoch !== c.configuration.epoch) return c.metrics.reject("stale-epoch");
  c.versionWaits.delete(m.id);
  c.metrics.dirtyReads++;
  answer(c, read, c.store.versionAt(read.key, m.version), "strong");
}

function answer(c: ChainState, read: LocalRead, kv: KeyVersion, consistency: ReadConsistency): void {
  const committed = consistency === "strong" || kv.version <= c.store.committed;
  c.out.output({ type: "served", key: read.key, version: kv.version, consistency, committed });
  if (read.origin === c.id) c.out.output({ type: "reply", tag: read.tag, result: { ok: true, value: kv.value } });
  else c.send(read.origin, { type: "readReply", tag: read.tag, value: kv.value });
}

function refuse(c: ChainState, read: LocalRead, reason: string): void {
  if (read.origin === c.id) c.out.output({ type: "refused", tag: read.tag, reason });
  else c.send(read.origin, { type: "readRefused", tag: read.tag, reason });
}

/** The tail's answer to a read this node forwarded. */
export function onReadReply(c: ChainState, tag: number, value: string | null): void {
  if (c.remoteReads.delete(tag)) c.out.output({ type: "reply", tag, result: { ok: true, value } });
}

/** The tail refused a read this node forwarded. */
export function onReadRefused(c: ChainState, tag: number, reason: string): void {
  if (c.remoteReads.delete(tag)) c.out.output({ type: "refused", tag, reason });
}

/** Refuse every read waiting for a version (its query belongs to an epoch that ended). */
export function failVersionWaits(c: ChainState, reason: string): void {
  for (const read of c.versionWaits.values()) refuse(c, read, reason);
  c.versionWaits.clear();
}

/** Timer: forget reads nobody will answer; re-ask a confirmation that got no answer. */
export function readTimers(c: ChainState): void {
  for (const [tag, expires] of c.remoteReads) if (c.now >= expires) c.remoteReads.delete(tag);
  for (const [id, read] of c.versionWaits) if (c.now >= read.expiresTick) c.versionWaits.delete(id);
  const stale = c.confirm !== undefined && c.now - c.confirm.sentTick >= 2 * c.config.retransmitTicks;
  if (stale || (c.confirm === undefined && c.waitingReads.length > 0)) startConfirm(c);
}
