/**
 * The analytic epidemic bounds the dissemination benchmark prints beside its measurements.
 *
 * **Rounds.** Push gossip in synchronous rounds, where every informed member sends the update to `f`
 * members drawn uniformly at random: Pittel (1987, "On spreading a rumor", SIAM J. Appl. Math. 47(1),
 * 213–223) shows that with f = 1 all n members are informed after log2 n + ln n + O(1) rounds with
 * probability → 1. His two phases, for fanout f: while few members are informed, each round
 * multiplies them by about 1 + f (log_{1+f} n rounds); once most are, an uninformed member stays so
 * in a round with probability (1 − 1/n)^{f·n} ≈ e^{−f}, so the last of n is reached after about
 * ln(n) / f more rounds. Hence R(n, f) ≈ log_{1+f} n + ln(n) / f, the O(1) left out (a few rounds).
 *
 * **SWIM's fanout.** SWIM piggybacks updates on its failure detector's messages (Das, Gupta,
 * Motivala 2002, §4.1, "infection-style dissemination"): in each probe period a member sends one
 * ping to its next round-robin target and answers, on average, one ping with an ack; both carry the
 * update to a member that is (close to) uniformly random. So f = 2 per protocol period. The leaver of
 * the benchmark tells `indirectChecks + 1` members at once, which only shortens the first phase.
 *
 * **Transmissions.** Each member piggybacks an update at most λ·⌈log10(n + 1)⌉ times (SWIM's
 * "λ log n", memberlist's retransmit limit), so transmissions per member ≤ that limit; they ride on
 * messages that are sent anyway, so the messages added are 0. n·r transmissions to random members miss
 * a given member with probability ≈ e^{−r} (r = the limit), so ≈ n·e^{−r} members are expected never
 * to hear (< 10⁻⁴ for r ≥ 12 at n ≤ 10,000).
 *
 * **Plumtree** (Leitão, Pereira, Rodrigues, SRDS 2007): once the eager links form a spanning tree, a
 * broadcast costs n − 1 payload messages (the bound: ≤ 1.2 × (n − 1)); its hops are the
 * tree's depth, at least the diameter of the active-view graph, a random graph of degree d ≈ the
 * active view size, whose diameter is about log_{d−1} n (Bollobás and Fernandez de la Vega 1982, "The
 * diameter of random regular graphs", Combinatorica 2(2)). Plain eager push with fanout f sends f·n.
 */

/** Rounds for push gossip with fanout `f` to inform all of `n` members: log_{1+f} n + ln(n) / f (Pittel's two phases). */
export function pushGossipRounds(n: number, f: number): number {
  return Math.log(n) / Math.log(1 + f) + Math.log(n) / f;
}

/** SWIM's per-period push fanout: one ping sent and, on average, one ack sent per probe period. */
export const SWIM_FANOUT = 2;

/** Transmissions of one update per member: `retransmitMult` · ⌈log10(n + 1)⌉ (as `GossipNode` sizes its queue). */
export function swimRetransmitLimit(n: number, retransmitMult: number): number {
  return retransmitMult * Math.max(1, Math.ceil(Math.log10(n + 1)));
}

/** Members expected never to hear an update: n · e^{−r} for r transmissions per member. */
export function expectedMissed(n: number, transmissionsPerMember: number): number {
  return n * Math.exp(-transmissionsPerMember);
}

/** Hops of a broadcast over a random graph of degree `degree`: its diameter, ≈ log_{degree−1} n. */
export function randomGraphDiameter(n: number, degree: number): number {
  return Math.log(n) / Math.log(Math.max(2, degree - 1));
}
