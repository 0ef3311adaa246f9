import type { MemberState } from "./member-state.js";

/**
 * SWIM's override rule (memberlist's aliveNode / suspectNode / deadNode): whether a claim that a
 * member is `state` at `incarnation` replaces what an observer holds (`current` at `currentIncarnation`).
 *
 * - alive(i) replaces anything held at a lower incarnation (a rejoin revives a dead member);
 * - suspect(i) replaces alive(j) for i ≥ j and suspect(j) for i > j, never dead or left;
 * - dead(i) and left(i) replace alive(j) or suspect(j) for i ≥ j, never dead or left.
 *
 * So an incarnation never decreases, a stale suspicion never overrides a newer alive, and a dead
 * declaration is final for its incarnation (TLA+: `IncarnationMonotonic`, `NoStaleSuspicion`,
 * `DeadIsFinal` in specs/gossip/Swim.tla).
 */
export function supersedes(state: MemberState, incarnation: number, current: MemberState, currentIncarnation: number): boolean {
  switch (state) {
    case "alive":
      return incarnation > currentIncarnation;
    case "suspect":
      if (current === "alive") return incarnation >= currentIncarnation;
      if (current === "suspect") return incarnation > currentIncarnation;
      return false;
    case "dead":
    case "left":
      return (current === "alive" || current === "suspect") && incarnation >= currentIncarnation;
  }
}
