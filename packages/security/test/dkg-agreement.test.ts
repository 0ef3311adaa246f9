// Transcripts of the DKG's agreement on the qualified set: messages are carried by hand, so each test
// reads as the schedule it plays (losses, a leader crash, a partition, a forged certificate).
import { nodeIds, type NodeId } from "@synod/core";
import { describe, expect, it } from "vitest";
import { dkgSimulationKeys, QualAgreement, type AgreementMessage, type DkgMessage, type DkgValue } from "../src/index.js";

const members = nodeIds(5); // t = 2, quorums of 3
const timing = { retransmitTicks: 5, ballotTicks: 40 };

/** Two distinguishable values (the agreement treats them as opaque; validity is the caller's). */
const value = (dealers: readonly NodeId[]): DkgValue => ({ dealings: dealers.map((dealer) => ({ dealer, commitments: [], supports: [], reveals: [] })) });
const V1 = value(["n1"]);
const V2 = value(["n2"]);

interface Sent {
  readonly from: NodeId;
  readonly to: NodeId;
  readonly message: AgreementMessage;
}

/** Five members whose outgoing messages wait in `wire` until the test delivers or drops them. */
function cluster(proposals: Record<NodeId, DkgValue>) {
  const wire: Sent[] = [];
  const nodes = new Map(
    members.map((id) => [id, new QualAgreement(id, members, 2, dkgSimulationKeys.keysFor(id, members), timing, () => true)]),
  );
  let now = 0;
  const tick = (ids: readonly NodeId[] = members) => {
    for (const id of ids) nodes.get(id)!.tick(now, () => proposals[id], (to, message) => wire.push({ from: id, to, message }));
    now++;
  };
  /** Deliver the waiting messages that `allow` lets through (the others are lost). */
  const deliver = (allow: (m: Sent) => boolean = () => true) => {
    for (let m = wire.shift(); m !== undefined; m = wire.shift()) {
      if (!allow(m)) continue;
      nodes.get(m.to)!.receive(m.from, m.message, now, (to, message) => wire.push({ from: m.to, to, message }));
    }
  };
  const decided = (id: NodeId) => nodes.get(id)!.decision?.value;
  return { nodes, wire, tick, deliver, decided };
}

describe("QualAgreement: Paxos on the qualified set", () => {
  it("no faults: ballot 0's leader n1 proposes its value and every member decides it", () => {
    const c = cluster({ n1: V1, n2: V2, n3: V2, n4: V2, n5: V2 });
    for (let k = 0; k < 3; k++) {
      c.tick();
      c.deliver();
    }
    for (const id of members) expect(c.decided(id), id).toEqual(V1);
  });

  it("a value accepted by one member of a quorum survives the leader's crash: the next leader proposes it, not its own", () => {
    const c = cluster({ n1: V1, n2: V2, n3: V2, n4: V2, n5: V2 });
    c.tick(); // n1 prepares
    c.deliver(); // promises from everyone: n1 proposes V1
    c.tick();
    c.deliver((m) => !(m.from === "n1" && m.to !== "n2")); // n1's accepts reach only n2; n1 then crashes
    expect(c.decided("n2")).toBeUndefined(); // 2 votes (n1, n2) < 3
    for (let k = 0; k < 120 && c.decided("n3") === undefined; k++) {
      c.tick(["n2", "n3", "n4", "n5"]); // ballot 1 (leader n2) starts when ballot 0 expires
      c.deliver((m) => m.to !== "n1" && m.from !== "n1");
    }
    for (const id of ["n2", "n3", "n4", "n5"]) expect(c.decided(id), id).toEqual(V1); // n2's promise carried V1
  });

  it("a minority side of a partition never decides; after healing everyone decides one value", () => {
    const c = cluster({ n1: V1, n2: V1, n3: V2, n4: V2, n5: V2 });
    const side = (id: NodeId) => (["n1", "n2"].includes(id) ? "a" : "b");
    for (let k = 0; k < 130; k++) {
      c.tick(); // ballots 0 and 1 are led by n1 and n2, on the minority side; ballot 2 (from tick 80) by n3
      c.deliver((m) => side(m.from) === side(m.to));
    }
    expect(c.decided("n1")).toBeUndefined();
    expect(c.decided("n2")).toBeUndefined();
    const majority = c.decided("n3");
    expect(majority).toEqual(V2); // ballot 2's leader n3 had a quorum on its side
    for (let k = 0; k < 60; k++) {
      c.tick();
      c.deliver();
    }
    for (const id of members) expect(c.decided(id), id).toEqual(majority);
  });

  it("a decision certificate with fewer than n−t valid votes is refused", () => {
    const c = cluster({ n1: V1, n2: V1, n3: V1, n4: V1, n5: V1 });
    const forged: DkgMessage = { type: "decided", ballot: 0, value: V2, votes: [{ signer: "n4", sig: new Uint8Array(64) }] };
    expect(c.nodes.get("n5")!.receive("n4", forged as AgreementMessage, 0, () => {})).toBe(false);
    expect(c.decided("n5")).toBeUndefined();
  });
});
