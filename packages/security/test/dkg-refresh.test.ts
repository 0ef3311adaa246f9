// Proactive refresh and resharing, run in process: every message is delivered within the tick it was
// sent in, until every participant decided.
import { createRng, FRESH_STATE, nodeIds, type Envelope, type NodeId } from "@synod/core";
import { describe, expect, it } from "vitest";
import {
  combinePartialSignatures,
  DkgNode,
  dkgSimulationKeys,
  equalBytes,
  signShare,
  verifyKeyShare,
  verifyThresholdSignature,
  type DkgMessage,
  type DkgMode,
  type DkgOutcome,
} from "../src/index.js";

const members = nodeIds(5);
const union = nodeIds(7);
const MESSAGE = new TextEncoder().encode("refresh transcript");

/** Run one DKG among `members` with t and a mode per member; @returns each member's outcome */
function runDkg(t: number, mode: (id: NodeId) => DkgMode, seed: number, members = nodeIds(5)): Map<NodeId, DkgOutcome> {
  const create = (id: NodeId): DkgNode =>
    new DkgNode(
      { id, members, rng: createRng(seed).fork(id), recovered: FRESH_STATE },
      { t, keys: dkgSimulationKeys.keysFor(id, members), mode: mode(id), excludeAfterTicks: 30 },
    );
  const nodes = new Map(members.map((id) => [id, create(id)]));
  for (let tick = 0; tick < 400 && [...nodes.values()].some((node) => node.outcome === undefined); tick++) {
    const queue: Envelope<DkgMessage>[] = [];
    for (const node of nodes.values()) queue.push(...node.tick().send);
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) queue.push(...nodes.get(next.to)!.receive(next.from, next.message).send);
  }
  return new Map([...nodes].map(([id, node]) => [id, node.outcome!]));
}

function signWith(outcomes: readonly DkgOutcome[], group: DkgOutcome["group"]) {
  return combinePartialSignatures(group, MESSAGE, outcomes.map((o) => signShare(o.share!, MESSAGE)));
}

describe("proactive refresh and resharing of a DKG key", () => {
  const fresh = runDkg(2, () => ({ kind: "fresh" }), 1);
  const before = fresh.get("n1")!;

  it("refresh: same group key, new shares that verify, and any t+1 new shares sign", () => {
    const refreshed = runDkg(2, (id) => ({ kind: "refresh", previous: fresh.get(id)!.group, share: fresh.get(id)!.share! }), 2);
    const after = refreshed.get("n1")!;
    expect(after.qual).toEqual(members);
    expect(equalBytes(after.group.groupPublicKey, before.group.groupPublicKey)).toBe(true);
    for (const [id, outcome] of refreshed) {
      expect(verifyKeyShare(outcome.group, outcome.share!).ok, id).toBe(true);
      expect(equalBytes(outcome.share!.secretKey, fresh.get(id)!.share!.secretKey), `${id}'s share changed`).toBe(false);
    }
    const signed = signWith([refreshed.get("n2")!, refreshed.get("n4")!, refreshed.get("n5")!], after.group);
    expect(signed.ok && verifyThresholdSignature(before.group, MESSAGE, signed.value.signature)).toBe(true);
  });

  it("refresh: shares stolen before it do not combine with shares after it", () => {
    const refreshed = runDkg(2, (id) => ({ kind: "refresh", previous: fresh.get(id)!.group, share: fresh.get(id)!.share! }), 3);
    const group = refreshed.get("n1")!.group;
    // The thief holds n1's and n2's old shares (t = 2, not enough alone) and obtains n3's new one.
    const mixed = [fresh.get("n1")!, fresh.get("n2")!, refreshed.get("n3")!];
    const partials = mixed.map((o) => signShare(o.share!, MESSAGE));
    const combined = combinePartialSignatures(group, MESSAGE, partials);
    expect(combined.ok && verifyThresholdSignature(group, MESSAGE, combined.value.signature)).toBe(false);
  });

  it("reshare to a new threshold (t = 2 → 1): same group key, and now 2 shares sign", () => {
    const reshared = runDkg(1, (id) => ({ kind: "reshare", previous: fresh.get(id)!.group, share: fresh.get(id)!.share! }), 4);
    const after = reshared.get("n1")!;
    expect(after.group.threshold).toBe(2);
    expect(equalBytes(after.group.groupPublicKey, before.group.groupPublicKey)).toBe(true);
    for (const [id, outcome] of reshared) expect(verifyKeyShare(outcome.group, outcome.share!).ok, id).toBe(true);
    const signed = signWith([reshared.get("n3")!, reshared.get("n5")!], after.group);
    expect(signed.ok && verifyThresholdSignature(before.group, MESSAGE, signed.value.signature)).toBe(true);
  });

  it("reshare: a dealer that deals something else than its previous share is disqualified", () => {
    const reshare = (id: NodeId): DkgMode => ({ kind: "reshare", previous: fresh.get(id)!.group, share: fresh.get(id)!.share! });
    const reshared = runDkg(1, (id) => (id === "n2" ? { kind: "fresh" } : reshare(id)), 5);
    const after = reshared.get("n1")!;
    expect(after.disqualified.get("n2")).toBe("incomplete");
    expect(equalBytes(after.group.groupPublicKey, before.group.groupPublicKey)).toBe(true);
  });

  it("reshare to a new membership (n1..n5, t = 2 → n3..n7, t = 1): same group key; n6 and n7 get shares; 2 of them sign", () => {
    const mode = (id: NodeId): DkgMode => {
      const before = fresh.get(id);
      const receivers = ["n3", "n4", "n5", "n6", "n7"];
      return { kind: "reshare", previous: fresh.get("n1")!.group, previousHolders: members, receivers, ...(before ? { share: before.share! } : {}) };
    };
    const reshared = runDkg(1, mode, 6, union);
    const after = reshared.get("n6")!;
    expect(after.qual).toEqual(members);
    expect(after.group.size).toBe(5);
    expect(equalBytes(after.group.groupPublicKey, before.group.groupPublicKey)).toBe(true);
    expect(reshared.get("n1")!.share).toBeUndefined();
    for (const id of ["n3", "n4", "n5", "n6", "n7"]) expect(verifyKeyShare(reshared.get(id)!.group, reshared.get(id)!.share!).ok, id).toBe(true);
    const signed = signWith([reshared.get("n6")!, reshared.get("n7")!], after.group);
    expect(signed.ok && verifyThresholdSignature(before.group, MESSAGE, signed.value.signature)).toBe(true);
  });
});
