// Transcripts of the DKG's agreement on the qualified set (single-shot PBFT, n = 4, f = 1, Q = 3):
// messages are carried by hand, so each test reads as the schedule it plays (losses, a leader crash,
// an equivocating leader, a Byzantine member lying about its lock, forged certificates).
import { nodeIds, type NodeId } from "@synod/core";
import { describe, expect, it } from "vitest";
import {
  agreementQuorum,
  commitStatement,
  dkgSimulationKeys,
  dkgValueCodec,
  prepareStatement,
  QualAgreement,
  viewChangeStatement,
  type AgreementMessage,
  type DkgMessage,
  type DkgValue,
  type SignedViewChange,
} from "../src/index.js";

const members = nodeIds(4); // f = 1, quorums of 3
const timing = { retransmitTicks: 5, ballotTicks: 40 };

/** Two distinguishable values (the agreement treats them as opaque; validity is the caller's). */
const value = (dealers: readonly NodeId[]): DkgValue => ({ dealings: dealers.map((dealer) => ({ dealer, commitments: [], supports: [], reveals: [] })) });
const V1 = value(["n1"]);
const V2 = value(["n2"]);
const keys = dkgSimulationKeys;
const digest = (v: DkgValue) => keys.provider.sha256(dkgValueCodec.encode(v));

/** A vote or view-change signed by `signer` (what a Byzantine member can make with its own key). */
const signed = {
  prepare: (signer: NodeId, view: number, v: DkgValue): AgreementMessage => ({
    type: "prepare",
    view,
    digest: digest(v),
    sig: keys.provider.sign(keys.secretKeyOf(signer), prepareStatement(view, digest(v))),
  }),
  commit: (signer: NodeId, view: number, v: DkgValue): AgreementMessage => ({
    type: "commit",
    view,
    digest: digest(v),
    sig: keys.provider.sign(keys.secretKeyOf(signer), commitStatement(view, digest(v))),
  }),
  viewChange: (signer: NodeId, view: number): SignedViewChange => ({ signer, view, sig: keys.provider.sign(keys.secretKeyOf(signer), viewChangeStatement(view, undefined)) }),
};

interface Sent {
  readonly from: NodeId;
  readonly to: NodeId;
  readonly message: AgreementMessage;
}

/** Four members whose outgoing messages wait in `wire` until the test delivers or drops them. */
function cluster(proposals: Record<NodeId, DkgValue>) {
  const wire: Sent[] = [];
  /** Every message ever sent. */
  const log: Sent[] = [];
  const post = (m: Sent) => {
    wire.push(m);
    log.push(m);
  };
  const rules = { valid: () => true, acceptsFree: () => true, learn: () => {} };
  const nodes = new Map(members.map((id) => [id, new QualAgreement(id, members, 1, keys.keysFor(id, members), timing, rules)]));
  let now = 0;
  const tick = (ids: readonly NodeId[] = members) => {
    for (const id of ids) nodes.get(id)!.tick(now, () => proposals[id], (to, message) => post({ from: id, to, message }));
    now++;
  };
  /** Deliver the messages waiting now that `allow` lets through (the others are lost); what they cause waits for the next call. */
  const deliver = (allow: (m: Sent) => boolean = () => true) => {
    for (const m of wire.splice(0, wire.length)) {
      if (allow(m)) nodes.get(m.to)!.receive(m.from, m.message, now, (to, message) => post({ from: m.to, to, message }));
    }
  };
  /** `from` (Byzantine) sends `message` to `to` directly. */
  const inject = (from: NodeId, to: NodeId, message: AgreementMessage) =>
    nodes.get(to)!.receive(from, message, now, (t, reply) => post({ from: to, to: t, message: reply }));
  const decided = (id: NodeId) => nodes.get(id)!.decision?.value;
  /** Run ticks and deliveries among `ids` until `done` or `limit` ticks. */
  const run = (ids: readonly NodeId[], done: () => boolean, limit = 200, allow: (m: Sent) => boolean = () => true) => {
    for (let k = 0; k < limit && !done(); k++) {
      tick(ids);
      deliver((m) => ids.includes(m.from) && ids.includes(m.to) && allow(m));
    }
  };
  return { nodes, wire, log, tick, deliver, inject, decided, run, now: () => now };
}

describe("QualAgreement: single-shot PBFT on the qualified set", () => {
  it("quorums are ⌈(n+f+1)/2⌉: 3 of 4 (f = 1), 5 of 7 (f = 2), majorities with f = 0", () => {
    expect(agreementQuorum(4, 1)).toBe(3);
    expect(agreementQuorum(7, 2)).toBe(5);
    expect(agreementQuorum(5, 1)).toBe(4);
    expect(agreementQuorum(5, 0)).toBe(3);
  });

  it("no faults: view 0's leader n1 proposes its value and every member decides it", () => {
    const c = cluster({ n1: V1, n2: V2, n3: V2, n4: V2 });
    for (let k = 0; k < 3; k++) {
      c.tick();
      c.deliver();
    }
    for (const id of members) expect(c.decided(id), id).toEqual(V1);
  });

  it("a lock survives the leader's crash: view 1's leader n2 must propose the value n3 prepared, not its own", () => {
    const c = cluster({ n1: V1, n2: V2, n3: V2, n4: V2 });
    c.tick(); // n1 proposes V1 to everyone, and prepares it
    c.deliver(); // everyone prepares V1 (their prepares wait on the wire)
    c.deliver((m) => m.message.type === "prepare" && m.to === "n3"); // only n3 sees 3 prepares: locked on V1, commits
    c.wire.length = 0; // n3's commits are lost; n1 crashes
    for (const id of members) expect(c.decided(id), id).toBeUndefined();
    c.run(["n2", "n3", "n4"], () => c.decided("n4") !== undefined, 200, (m) => m.message.view >= 1); // view 0's resends stay lost
    for (const id of ["n2", "n3", "n4"]) expect(c.decided(id), id).toEqual(V1); // n3's view-change carried its prepared certificate
    expect(c.nodes.get("n4")!.decision?.view).toBe(1);
  });

  it("an equivocating leader with an equivocating voter: V1 to n2, V2 to n3 and n4, n1 votes for both — only V2 reaches a quorum", () => {
    const c = cluster({ n1: V1, n2: V2, n3: V2, n4: V2 });
    const proposal = (v: DkgValue): AgreementMessage => ({ type: "propose", view: 0, value: v, justification: [] });
    c.inject("n1", "n2", proposal(V1));
    c.inject("n1", "n3", proposal(V2));
    c.inject("n1", "n4", proposal(V2));
    for (const to of ["n2", "n3", "n4"]) {
      for (const v of [V1, V2]) {
        c.inject("n1", to, signed.prepare("n1", 0, v));
        c.inject("n1", to, signed.commit("n1", 0, v));
      }
    }
    c.run(["n2", "n3", "n4"], () => ["n2", "n3", "n4"].every((id) => c.decided(id) !== undefined));
    for (const id of ["n2", "n3", "n4"]) expect(c.decided(id), id).toEqual(V2);
  });

  it("two commits of a value (one Byzantine) do not decide; a later view's quorum without the lock decides for everyone", () => {
    const c = cluster({ n1: V1, n2: V1, n3: V1, n4: V1 });
    // Byzantine n4 leads view 0... it is n1's view: n1 proposes V2 to n3 only, signs prepare and commit of V2 for n3.
    c.inject("n1", "n3", { type: "propose", view: 0, value: V2, justification: [] });
    c.inject("n1", "n3", signed.prepare("n1", 0, V2));
    c.inject("n2", "n3", signed.prepare("n2", 0, V2)); // n2 prepared V2 too, but its own proposal never came: it lost it
    c.inject("n1", "n3", signed.commit("n1", 0, V2)); // n3 is locked on V2 and holds 2 commits (n1's and its own)
    expect(c.decided("n3")).toBeUndefined();
    c.wire.length = 0; // n3's commits are lost
    // View 1 among n1 (lying: no lock), n2 and n4; n3 is cut off until n2 proposed.
    c.run(["n1", "n2", "n4"], () => c.decided("n2") !== undefined);
    expect(c.decided("n2")).toEqual(V1);
    c.run(members, () => c.decided("n3") !== undefined);
    expect(c.decided("n3")).toEqual(V1);
  });

  it("a justified proposal must carry the highest prepared certificate's value: a Byzantine leader's other value is refused", () => {
    const c = cluster({ n1: V1, n2: V2, n3: V1, n4: V1 });
    c.tick(); // n1 proposes V1
    c.deliver(); // everyone prepares it
    c.deliver((m) => m.message.type === "prepare" && m.to !== "n2"); // n1, n3, n4 see 3 prepares: locked on V1, they commit
    c.deliver((m) => m.message.type === "commit" && m.to === "n4"); // only n4 gets the commits: it decides V1
    c.wire.length = 0;
    expect(c.decided("n4")).toEqual(V1);
    const proposalOfView1 = () => c.log.find((m) => m.message.type === "propose" && m.message.view === 1)?.message;
    // View 0's votes stay lost; view 1's view-changes get through, its proposal is held back.
    c.run(["n1", "n2", "n3"], () => proposalOfView1() !== undefined, 60, (m) => m.message.type === "viewChange");
    const justified = proposalOfView1();
    expect(justified?.type === "propose" && justified.value).toEqual(V1); // n2 (correct here) proposes the locked V1, not its own V2
    if (justified?.type !== "propose") return;
    // Byzantine n2 instead: the same justification with another value, to n1 and n3 before its true proposal.
    const lie: AgreementMessage = { ...justified, value: V2 };
    const before = ["n1", "n3"].map((id) => c.nodes.get(id)!.refused);
    for (const to of ["n1", "n3"]) c.inject("n2", to, lie);
    ["n1", "n3"].forEach((to, i) => expect(c.nodes.get(to)!.refused, to).toBe(before[i]! + 1));
    c.wire.length = 0;
    c.run(members, () => members.every((id) => c.decided(id) !== undefined));
    for (const id of members) expect(c.decided(id), id).toEqual(V1);
  });

  it("a proposal for view 1 with fewer than Q view-changes, or with a forged one, is refused", () => {
    const c = cluster({ n1: V1, n2: V2, n3: V2, n4: V2 });
    const two = [signed.viewChange("n2", 1), signed.viewChange("n4", 1)];
    c.inject("n2", "n3", { type: "propose", view: 1, value: V2, justification: two });
    const forged = { ...signed.viewChange("n4", 1), signer: "n1" };
    c.inject("n2", "n3", { type: "propose", view: 1, value: V2, justification: [...two, forged] });
    expect(c.nodes.get("n3")!.refused).toBe(2);
    expect(c.nodes.get("n3")!.view).toBe(0);
  });

  it("a decision certificate with fewer than Q valid commits is refused", () => {
    const c = cluster({ n1: V1, n2: V1, n3: V1, n4: V1 });
    const commit = signed.commit("n4", 0, V2);
    const forged: DkgMessage = {
      type: "decided",
      view: 0,
      value: V2,
      votes: [
        { signer: "n4", sig: commit.type === "commit" ? commit.sig : new Uint8Array(64) },
        { signer: "n1", sig: new Uint8Array(64) },
        { signer: "n4", sig: commit.type === "commit" ? commit.sig : new Uint8Array(64) },
      ],
    };
    expect(c.nodes.get("n3")!.receive("n4", forged as AgreementMessage, 0, () => {})).toBe(false);
    expect(c.decided("n3")).toBeUndefined();
  });
});
