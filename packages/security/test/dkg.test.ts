import { createRng, FRESH_STATE, nodeIds, type NodeId, type RecoveredState } from "@synod/core";
import { describe, expect, it } from "vitest";
import {
  complaintBodyCodec,
  dealBodyCodec,
  decideDkg,
  DkgNode,
  dkgSimulationKeys,
  evaluatePolynomial,
  feldmanPolynomial,
  seededRandomBytes,
  type AcceptedItem,
  type DkgRecord,
} from "../src/index.js";

const members = nodeIds(4);
const t = 1;

function node(id: NodeId, recovered: RecoveredState<DkgRecord> = FRESH_STATE): DkgNode {
  return new DkgNode({ id, members, rng: createRng(7).fork(id), recovered }, { t, roundTicks: 5, keys: dkgSimulationKeys.keysFor(id, members) });
}

describe("DkgNode at the boundary", () => {
  it("counts and drops bytes that do not decode, and messages from non-members", () => {
    const n1 = node("n1");
    const step = n1.receiveBytes("n2", Uint8Array.of(0xc1, 0xff));
    expect(step.send).toEqual([]);
    expect(n1.counters.malformed).toBe(1);
    n1.receive("stranger", { type: "share", value: new Uint8Array(32) });
    expect(n1.counters.unknownSender).toBe(1);
  });

  it("a participant that restarted mid-protocol stays out: it sends nothing and never decides", () => {
    const restarted = node("n1", { records: [{ started: true }], corrupted: 0, tornTail: false });
    expect(restarted.passive).toBe(true);
    for (let k = 0; k < 40; k++) expect(restarted.tick().send).toEqual([]);
    expect(restarted.outcome).toBeUndefined();
  });

  it("its first tick persists the start, then deals: n-1 private shares and n-1 copies of its commitments", () => {
    const step = node("n1").tick();
    expect(step.persist).toEqual([{ started: true }]);
    expect(step.send.filter((e) => e.message.type === "share")).toHaveLength(3);
    expect(step.send.filter((e) => e.message.type === "item")).toHaveLength(3);
  });
});

describe("decideDkg: the disqualification rules on agreed transcripts", () => {
  const random = seededRandomBytes(11);
  const polynomials = new Map(members.map((id) => [id, feldmanPolynomial(t, random)]));
  const deal = (id: NodeId, commitments = polynomials.get(id)!.commitments): AcceptedItem => ({ origin: id, body: dealBodyCodec.encode({ commitments: [...commitments] }) });
  const complaint = (origin: NodeId, accused: NodeId): AcceptedItem => ({ origin, body: complaintBodyCodec.encode({ accused }) });
  const sharesFor = (self: NodeId) => new Map(members.map((id) => [id, evaluatePolynomial(polynomials.get(id)!.coefficients, members.indexOf(self) + 1)]));

  it("all deal, nobody complains: everyone qualifies and n1's share is the sum of its shares", () => {
    const outcome = decideDkg(members, t, "n1", { deals: members.map((id) => deal(id)), complaints: [], justifications: [] }, sharesFor("n1"));
    expect(outcome.qual).toEqual(members);
    expect(outcome.share?.index).toBe(1);
  });

  it("silent, equivocating and over-complained dealers are out, each for its reason", () => {
    const other = feldmanPolynomial(t, random).commitments;
    const deals = [deal("n1"), deal("n2"), deal("n2", other), deal("n3")]; // n4 silent, n2 two versions
    const complaints = [complaint("n1", "n3"), complaint("n2", "n3")]; // 2 > t against n3
    const outcome = decideDkg(members, t, "n1", { deals, complaints, justifications: [] }, sharesFor("n1"));
    expect(outcome.qual).toEqual(["n1"]);
    expect(Object.fromEntries(outcome.disqualified)).toEqual({ n2: "equivocated", n3: "too-many-complaints", n4: "silent" });
  });

  it("an unanswered complaint disqualifies its dealer", () => {
    const outcome = decideDkg(members, t, "n1", { deals: members.map((id) => deal(id)), complaints: [complaint("n2", "n4")], justifications: [] }, sharesFor("n1"));
    expect(outcome.disqualified.get("n4")).toBe("unanswered-complaint");
  });
});
