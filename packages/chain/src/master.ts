import type { NodeId } from "@synod/core";
import { encodeKvCommand, encodeKvQuery } from "@synod/raft";
import type { ChainState } from "./chain-state.js";
import { CONFIG_KEY, encodeConfiguration, positionOf, withJoiner, withoutMember, type ChainConfiguration, type ChainMember } from "./membership.js";
import { absorbRaft } from "./raft-bridge.js";

/**
 * The configuration master (the paper's master service), run by whichever node leads the Raft
 * group: a failure detector over heartbeats counted in ticks, and configuration changes proposed
 * to the group as compare-and-swap commands on the KV store (one at a time, each from the
 * configuration this node applied, so a stale master's change fails instead of overwriting).
 */

/** The KV session the master's compare-and-swap commands use (its sequence number is the new epoch). */
export const MASTER_CLIENT = 2 ** 40;

/** Timer: send heartbeats; as master, maybe propose one configuration change. */
export function masterTick(c: ChainState): void {
  if (c.now % c.config.heartbeatTicks === 0) {
    const beat = { type: "heartbeat", boot: c.boot, since: c.dataSince, synced: c.synced } as const;
    for (const peer of c.members) if (peer !== c.id) c.send(peer, beat);
    onHeartbeat(c, c.id, beat);
  }
  if (c.raft.role !== "leader") return;
  if (c.proposal !== undefined && c.now - c.proposal.sentTick < c.config.proposalTimeoutTicks) return;
  const next = nextConfiguration(c, c.configuration);
  if (next !== undefined) propose(c, next);
}

/** A heartbeat: `from` is alive in incarnation `boot`. */
export function onHeartbeat(c: ChainState, from: NodeId, m: { readonly boot: number; readonly since: number; readonly synced: boolean }): void {
  c.lastHeard.set(from, { boot: m.boot, since: m.since, synced: m.synced, tick: c.now });
}

/** This node just became the Raft leader: its failure detector gives every member a full suspicion period. */
export function onLeadership(c: ChainState): void {
  c.leaderSinceTick = c.now;
  c.proposal = undefined;
  c.confirmRound = undefined;
  c.confirmQueue = [];
}

function alive(c: ChainState, member: ChainMember): boolean {
  const heard = c.lastHeard.get(member.id);
  if (heard !== undefined && heard.boot !== member.boot) return false; // restarted: that incarnation's data is gone
  const lastTick = Math.max(heard?.tick ?? 0, c.leaderSinceTick);
  return c.now - lastTick <= c.config.suspectTicks;
}

function synced(c: ChainState, member: ChainMember): boolean {
  const heard = c.lastHeard.get(member.id);
  return heard !== undefined && heard.boot === member.boot && heard.since === member.since && heard.synced;
}

/**
 * The change to make now, if any: remove the first member suspected dead — unless it is the last
 * synced member (the others do not hold every committed write: removing it would lose them) —
 * else append one live node that is not a member as the new tail.
 */
export function nextConfiguration(c: ChainState, config: ChainConfiguration): ChainConfiguration | undefined {
  for (const m of config.members) {
    if (alive(c, m)) continue;
    const otherSynced = config.members.some((o) => o !== m && synced(c, o));
    if (otherSynced) return withoutMember(config, m.id);
  }
  const outside = (id: NodeId, boot: number): boolean => !config.members.some((m) => m.id === id) && positionOf(config, id, boot) < 0;
  const joiners = [...c.lastHeard]
    .filter(([id, heard]) => c.now - heard.tick <= c.config.suspectTicks && outside(id, heard.boot))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const first = joiners[0];
  return first === undefined ? undefined : withJoiner(config, first[0], first[1].boot);
}

function propose(c: ChainState, next: ChainConfiguration): void {
  const tag = c.nextRaftTag++;
  c.proposal = { tag, sentTick: c.now };
  c.metrics.proposals++;
  const op = { type: "cas", key: CONFIG_KEY, expected: c.configText, value: encodeConfiguration(next) } as const;
  const command = encodeKvCommand({ client: MASTER_CLIENT, seq: next.epoch, op });
  absorbRaft(c, c.raft.request({ type: "propose", data: command, tag }));
}

/**
 * A node asks whether its epoch is still current: read the configuration through Raft (ReadIndex)
 * and answer. One round is in flight at a time; the confirmations that arrive meanwhile wait for the
 * next one (a round started before a confirmation arrived cannot answer it), so the leader's cost is
 * one heartbeat round per round trip however many nodes and reads ask.
 */
export function onConfirm(c: ChainState, from: NodeId, tag: number): void {
  if (c.raft.role !== "leader") return; // the asker retries at the leader it learns of
  if (c.confirmQueue.length >= c.config.maxPendingReads) c.confirmQueue.shift(); // that asker retries
  c.confirmQueue.push({ node: from, tag });
  if (c.confirmRound === undefined) startConfirmRound(c);
}

/** Start a ReadIndex round for every queued confirmation. */
export function startConfirmRound(c: ChainState): void {
  if (c.confirmQueue.length === 0 || c.raft.role !== "leader") return;
  const raftTag = c.nextRaftTag++;
  c.confirmRound = { raftTag, askers: c.confirmQueue };
  c.confirmQueue = [];
  absorbRaft(c, c.raft.request({ type: "read", query: CONFIG_QUERY, tag: raftTag }));
}

const CONFIG_QUERY = encodeKvQuery(CONFIG_KEY);
