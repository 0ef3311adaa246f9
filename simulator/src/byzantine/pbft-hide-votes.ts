import type { NodeId } from "@synod/core";
import { sign, simulationKeys, type PbftMessage, type ViewChange } from "@synod/pbft";
import type { Adversary } from "./adversary.js";

/**
 * How late the held-back replicas get what `hide-votes` holds back: past the simulated replicas'
 * view-change timeout (40 ticks of 10 ms), so that they are in the next view when it lands.
 */
export const HIDE_VOTES_LAG_MS = 1000;

/** Who gets what on time in one view: the allies and one witness (the others are held back). */
interface Groups {
  readonly allies: ReadonlySet<NodeId>;
  readonly witness: ReadonlySet<NodeId>;
}

/**
 * The correct replicas of view `view` in the order the primaryship passes to them after it: the
 * last q − 1 − F (at least one; q = ⌈(n + f + 1)/2⌉ with f = ⌊(n − 1)/3⌋, F the colluders) are the
 * allies, the one before them the witness, the first ones the rest — the next primary among them,
 * so that the next view is started from the rest's view-changes. With F ≥ 2 and a colluder as
 * primary, the allies prepare (their prepares, the witness's and the backup colluders') and the
 * witness does not (its own and the allies' prepares only); the allies hold q − 1 commits.
 */
function groups(members: readonly NodeId[], faulty: readonly NodeId[], view: number): Groups {
  const n = members.length;
  const f = Math.floor((n - 1) / 3);
  const q = Math.ceil((n + f + 1) / 2);
  const order = Array.from({ length: n }, (_, i) => members[(view + 1 + i) % n] as NodeId).filter((m) => !faulty.includes(m));
  const count = Math.max(1, q - 1 - faulty.length);
  const allies = order.slice(order.length - count);
  return { allies: new Set(allies), witness: new Set(order.slice(Math.max(0, order.length - count - 1), order.length - count)) };
}

/**
 * `hide-votes` (colluding; never drawn, named by a detector): what a commit on q − 1 matching commits
 * (`pbft/committed-2f`, M2 of packages/pbft/MUTANTS.md) lets through, made by F ≥ 2 faulty replicas.
 * Every faulty replica holds back {@link HIDE_VOTES_LAG_MS}:
 * - as primary, its pre-prepares to all but the allies and the witness;
 * - its prepares and commits to all but the allies and the other colluders;
 * - its view-changes to the allies, and every view-change it sends leaves its prepared certificates
 *   (and, with MACs, its claims) out, re-signed with its own key.
 * The allies prepare and hold q − 1 commits (theirs and the colluders'), one short of committing; the
 * others have not prepared, time out and, with the colluders' view-changes, make a view-change
 * quorum without the allies, so the next view may order something else at that sequence number.
 * Correct replicas wait for q commits and never execute the hidden batch; with one commit fewer the
 * allies execute it and disagree with the rest (Agreement). A faulty backup alone cannot do this: a
 * correct primary's pre-prepare reaches every correct replica, whose prepares then reach each other.
 * @param faulty - every faulty replica of the run (each runs this strategy)
 */
export function hideVotes(faulty: readonly NodeId[]): Adversary<PbftMessage> {
  const byView = new Map<number, Groups>();
  const groupsOf = (members: readonly NodeId[], view: number): Groups => {
    if (byView.size >= 8 && !byView.has(view)) byView.clear();
    const known = byView.get(view) ?? groups(members, faulty, view);
    byView.set(view, known);
    return known;
  };
  return {
    name: "hide-votes",
    onSend(e, ctx) {
      const m = e.message;
      if (!("view" in m)) return ctx.emit(e.to, m);
      // A view-change leaves the view before the one it names: the allies are that view's.
      const split = groupsOf(ctx.members, m.type === "viewChange" ? Math.max(0, m.view - 1) : m.view);
      const ally = split.allies.has(e.to);
      const reached = ally || split.witness.has(e.to) || faulty.includes(e.to);
      if (m.type === "prePrepare" && m.replica === ctx.self) return ctx.emit(e.to, m, reached ? 0 : HIDE_VOTES_LAG_MS);
      if (m.type === "prepare" || m.type === "commit") return ctx.emit(e.to, m, ally || faulty.includes(e.to) ? 0 : HIDE_VOTES_LAG_MS);
      if (m.type !== "viewChange") return ctx.emit(e.to, m);
      const { sig: _sig, ...unsigned } = m;
      const lie: Omit<ViewChange, "sig"> = { ...unsigned, prepared: [], preparedClaims: [], prePrepared: [] };
      ctx.emit(e.to, sign<ViewChange>(simulationKeys.provider, simulationKeys.secretKeyOf(e.from), lie), ally ? HIDE_VOTES_LAG_MS : 0);
    },
  };
}
