import type { ClusterView, NodeId } from "@synod/core";
import { confMembers } from "../conf-state.js";
import type { KvReply } from "../kv/kv-command.js";
import type { RaftNode } from "../raft-node.js";
import { DoubleSeries } from "./double-series.js";
import type { LeaseSlot } from "./lease-checks.js";
import { cachedQuorumOf } from "./property-checks.js";

// LeaderLease (thesis §6.4.1): while a leader serves a read from its lease at real (simulated) time
// t, no node has become leader of a higher term at a real time ≤ t. The events reach the checker in
// real-time order, so it is: a lease read of a leader of term T is never decided after a node was
// first seen leading a term above T.
//
// The lease holds only under the protocol's clock assumption, which some faults break (a `skew` of
// 0.5–2×, a paused node whose ticks are lost). The checker measures every node's clock from the real
// times of its ticks and applies the property to a lease only when the clocks kept, over the lease's
// window [real time of the lease's start tick s, t], within the drift the margin covers:
//
//   A read at leader tick n < s + E − M (E the election timeout, M the safety margin, both in ticks)
//   happens at t ≤ T_L(s) + (E − M)·λ, λ the longest leader tick interval in the window (the current,
//   unfinished one counted as t − T_L(n)). A rival leader needs the vote of a node F that acknowledged
//   the heartbeat sent at tick s (quorums intersect); F got it at or after T_L(s) and grants no vote
//   before E of its ticks have passed (the vote lease) — E − 1 whole intervals, the first tick may come
//   at once — so not before T_L(s) + (E − 1)·φ, φ the shortest whole tick interval of another node in
//   the window. The lease is safe when (E − M)·λ ≤ (E − 1)·φ: the drift bound is
//   (leader's slowest rate) / (fastest other node's rate) ≥ (E − M) / (E − 1).
//
// LeaseVotersBound is the rule the lease stands on, checked at the same reads: the leader and the
// members still bound by their vote lease to it — a follower of its term that heard it (an append,
// heartbeat or snapshot, as VoteLease records) fewer than E of its own ticks ago — make a quorum of
// its configuration. Each node of the quorum that acknowledged the heartbeat of tick s heard it at
// or after T_L(s), and by the argument above has not counted E ticks since by t, so under the drift
// bound the rule holds whenever the lease is honest; it fails as soon as a lease outlives its
// voters' leases, whether or not a rival was elected in that window (LeaderLease needs one).
//
// A lease outside that bound is not judged: it is counted (`leaseReadsOutsideDrift`), and when a
// rival had been elected it is counted apart too (`leaseReadsOutsideDriftStale`: the lease really
// failed, for the fault's sake). Both are the run's metrics (see {@link leaderLeaseCounts}).

type Node = RaftNode<KvReply>;

/** What LeaderLease remembers of one node's clock. */
export class ClockSlot {
  /** The node object (lifetime) `tickAt` describes. */
  node: Node | undefined = undefined;
  /** Real time at which this lifetime's tick count became k (k = 0: its boot). */
  readonly tickAt = new DoubleSeries();
  /** Every whole tick interval of every lifetime, in order: its end (real ms) and length (ms). */
  readonly intervalEnd = new DoubleSeries();
  readonly intervalLength = new DoubleSeries();
  /** Lease reads of this lifetime already counted (`RaftNode.metrics.leaseReads`). */
  leaseReads = 0;

  /** @param id - the node's id */
  constructor(readonly id: NodeId) {}
}

/** The counts of one run's LeaderLease checker (run metrics). */
export interface LeaderLeaseCounts {
  /** Lease reads decided (every leader, every lifetime). */
  leaseReads: number;
  /** Of them, judged (the clocks within the drift bound over the lease's window). */
  leaseReadsJudged: number;
  /** Not judged: a clock outside the drift bound the margin covers in the lease's window. */
  leaseReadsOutsideDrift: number;
  /** Of those, decided after a higher term's leader had been elected (a lease the fault broke). */
  leaseReadsOutsideDriftStale: number;
}

/** The counts of each run's checker, by the run's view (one object per run in the simulator). */
const countsByView = new WeakMap<object, LeaderLeaseCounts>();

/** @returns the LeaderLease counts of the run whose view is `view` (undefined when it checked none) */
export function leaderLeaseCounts(view: object): LeaderLeaseCounts | undefined {
  return countsByView.get(view);
}

/** The LeaderLease checker of one run. */
export class LeaderLeaseCheck {
  /** Every node's clock, by first sight. */
  private readonly clocks: ClockSlot[] = [];
  /** The highest term a node was seen leading, the node and the real time it was first seen. */
  private topTerm = -1;
  private topLeader: NodeId | undefined = undefined;
  private topAtMs = 0;
  readonly counts: LeaderLeaseCounts = { leaseReads: 0, leaseReadsJudged: 0, leaseReadsOutsideDrift: 0, leaseReadsOutsideDriftStale: 0 };
  private view: object | undefined = undefined;

  /** @returns a fresh clock slot for node `id`, registered (the slot of each node is made once) */
  clockSlot(id: NodeId): ClockSlot {
    const slot = new ClockSlot(id);
    this.clocks.push(slot);
    return slot;
  }

  /**
   * After an event that changed node `id` (`node`: undefined while down), at real time `view.nowMs`:
   * record its clock's tick, a leadership first seen, and judge the lease reads it decided.
   * @returns why a lease read breaks LeaderLease, or undefined
   */
  check(
    slot: ClockSlot,
    id: NodeId,
    node: Node | undefined,
    view: ClusterView<Node, unknown, unknown>,
    leaseSlotOf: (id: NodeId) => LeaseSlot,
  ): LeaseProblem | undefined {
    if (this.view !== view) {
      this.view = view;
      countsByView.set(view, this.counts);
    }
    if (node === undefined) return undefined;
    const now = view.nowMs;
    const ticks = node.ticks;
    const at = slot.tickAt;
    if (slot.node !== node) {
      slot.node = node;
      at.clear();
      slot.leaseReads = 0;
    }
    // One tick per event: the tick count reached in this event is stamped now; a count this checker
    // did not see reached (a caller that checks less often) has no known time (NaN), and neither
    // the intervals around it.
    while (at.length <= ticks) {
      const k = at.length;
      const seen = k === ticks;
      if (seen && k >= 2 && !Number.isNaN(at.at(k - 1) as number)) {
        slot.intervalEnd.push(now);
        slot.intervalLength.push(now - (at.at(k - 1) as number));
      }
      at.push(seen ? now : Number.NaN);
    }
    if (node.role === "leader" && node.term > this.topTerm) {
      this.topTerm = node.term;
      this.topLeader = id;
      this.topAtMs = now;
    }
    const reads = node.metrics.leaseReads - slot.leaseReads;
    if (reads <= 0) return undefined;
    slot.leaseReads = node.metrics.leaseReads;
    this.counts.leaseReads += reads;
    const stale = this.topTerm > node.term;
    const start = node.leaseStartTick;
    const drift = start === undefined ? "no lease start" : this.outsideDrift(slot, node, start, now);
    if (drift !== undefined) {
      this.counts.leaseReadsOutsideDrift += reads;
      if (stale) this.counts.leaseReadsOutsideDriftStale += reads;
      return undefined;
    }
    this.counts.leaseReadsJudged += reads;
    const c = node.config;
    const read =
      `${id}, leader of term ${node.term}, served a read from its lease at ${fmt(now)} ms (tick ${ticks}, lease from tick ${String(start)} ` +
      `at ${fmt(at.at(start as number) as number)} ms, ${c.electionTimeoutTicks} − ${c.leaseSafetyMarginTicks} ticks long)`;
    if (stale) {
      const rival = `after ${String(this.topLeader)} became leader of term ${this.topTerm} at ${fmt(this.topAtMs)} ms (clocks within the drift bound)`;
      return { property: "LeaderLease", problem: `${read}, ${rival}` };
    }
    const unbound = this.unboundVoters(id, node, view, leaseSlotOf);
    return unbound === undefined ? undefined : { property: "LeaseVotersBound", problem: `${read}, ${unbound} (clocks within the drift bound)` };
  }

  /**
   * @returns which members of `leader`'s configuration are not bound to it by their vote lease, when
   *   those bound (and the leader) make no quorum; undefined when they do
   */
  private unboundVoters(id: NodeId, leader: Node, view: ClusterView<Node, unknown, unknown>, leaseSlotOf: (id: NodeId) => LeaseSlot): string | undefined {
    const conf = leader.confState;
    const bound = this.bound;
    bound.clear();
    bound.add(id);
    const free: string[] = [];
    for (const member of confMembers(conf)) {
      if (member === id) continue;
      const why = notBound(view.nodes.get(member), leaseSlotOf(member), id, leader.term);
      if (why === undefined) bound.add(member);
      else free.push(`${member}: ${why}`);
    }
    const quorum = cachedQuorumOf(conf);
    if (quorum.isQuorum(bound)) return undefined;
    return `while only ${[...bound].join(", ")} of ${quorum.kind} ${quorum.voters.join(",")} were bound by their vote lease to it (${free.join("; ")})`;
  }
  private readonly bound = new Set<NodeId>();

  /**
   * @returns why the clocks left the drift bound in the lease's window (from the real time of the
   *   leader's tick `start` to `now`), or undefined when they kept within it
   */
  private outsideDrift(slot: ClockSlot, node: Node, start: number, now: number): string | undefined {
    const at = slot.tickAt;
    const ticks = node.ticks;
    const from = at.at(start) ?? Number.NaN;
    let longest = now - (at.at(ticks) ?? Number.NaN);
    for (let k = start; k < ticks; k++) longest = Math.max(longest, (at.at(k + 1) as number) - (at.at(k) as number));
    if (start < 0 || Number.isNaN(from) || Number.isNaN(longest)) return `the leader's ticks from ${start} not all seen`;
    const e = node.config.electionTimeoutTicks;
    const m = node.config.leaseSafetyMarginTicks;
    // Every other node's whole tick intervals in the window must be at least this long.
    const shortestAllowed = ((e - m) * longest) / (e - 1);
    for (const other of this.clocks) {
      if (other === slot) continue;
      const ends = other.intervalEnd;
      const lengths = other.intervalLength;
      for (let k = ends.length - 1; k >= 0 && (ends.at(k) as number) >= from; k--) {
        const length = lengths.at(k) as number;
        if ((ends.at(k) as number) - length < from) break;
        if (length < shortestAllowed) return `${other.id} ticked ${fmt(length)} ms apart while the leader's ticks took up to ${fmt(longest)} ms`;
      }
    }
    return undefined;
  }
}

/** A lease read found breaking one of the two properties. */
export interface LeaseProblem {
  readonly property: "LeaderLease" | "LeaseVotersBound";
  readonly problem: string;
}

/**
 * @returns why `follower` (its LeaseSlot `slot`) would not refuse a vote for a rival of `leader`,
 *   leader of `term`, now, or undefined when its vote lease binds it to `leader`
 */
function notBound(follower: Node | undefined, slot: LeaseSlot, leader: NodeId, term: number): string | undefined {
  if (follower === undefined) return undefined; // a node that is down grants nothing (and restarts in its restart lease)
  if (!follower.config.checkQuorum) return "CheckQuorum off";
  // A restarted node refuses votes for its first election timeout (vote-granting.ts): bound to any leader.
  if (follower.ticks < follower.config.electionTimeoutTicks && slot.restarted) return undefined;
  if (follower.term !== term || follower.leader !== leader) return `term ${follower.term}, leader ${String(follower.leader)}`;
  if (slot.node !== follower || slot.heardTerm !== term) return "has not heard it in this lifetime";
  const since = follower.ticks - slot.heardTick;
  if (since >= follower.config.electionTimeoutTicks) return `heard it ${since} ticks ago`;
  return undefined;
}

function fmt(ms: number): string {
  return String(Math.round(ms * 1000) / 1000);
}
