import { ConfigError, createRng, FRESH_STATE, nodeIds, type NodeId, type RecoveredState } from "@synod/core";
import { describe, expect, it } from "vitest";
import {
  agreementQuorum,
  commitmentsDigest,
  defaultDkgFaults,
  dkgConstraintFault,
  dealingFault,
  DkgNode,
  dkgSimulationKeys,
  encodeShare,
  evaluatePolynomial,
  feldmanPolynomial,
  FRESH_DKG,
  seededRandomBytes,
  supportStatement,
  valueFault,
  type CompleteDealing,
  type DealingRules,
  type DkgRecord,
} from "../src/index.js";

const members = nodeIds(4);
const t = 1;

function node(id: NodeId, recovered: RecoveredState<DkgRecord> = FRESH_STATE): DkgNode {
  return new DkgNode({ id, members, rng: createRng(7).fork(id), recovered }, { t, keys: dkgSimulationKeys.keysFor(id, members) });
}

describe("DkgNode at the boundary", () => {
  it("counts and drops bytes that do not decode, and messages from non-members", () => {
    const n1 = node("n1");
    const step = n1.receiveBytes("n2", Uint8Array.of(0xc1, 0xff));
    expect(step.send).toEqual([]);
    expect(n1.counters.malformed).toBe(1);
    n1.receive("stranger", { type: "withdrawn" });
    expect(n1.counters.unknownSender).toBe(1);
  });

  it("a participant that restarted mid-protocol withdraws: it only says so, and never decides", () => {
    const restarted = node("n1", { records: [{ started: true }], corrupted: 0, tornTail: false });
    expect(restarted.passive).toBe(true);
    for (let k = 0; k < 40; k++) for (const e of restarted.tick().send) expect(e.message.type).toBe("withdrawn");
    expect(restarted.outcome).toBeUndefined();
  });

  it("its first tick persists the start, then deals: its commitments to each member with that member's share, and its own support", () => {
    const step = node("n1").tick();
    expect(step.persist).toEqual([{ started: true }]);
    const deals = step.send.filter((e) => e.message.type === "deal");
    expect(deals.map((e) => e.to)).toEqual(["n2", "n3", "n4"]);
    expect(deals.every((e) => e.message.type === "deal" && e.message.share !== undefined)).toBe(true);
    const supports = step.send.filter((e) => e.message.type === "supports");
    expect(supports).toHaveLength(3);
  });
});

/** Four dealers' polynomials, and the complete dealings the rules accept. */
function fixture() {
  const keys = (id: NodeId) => dkgSimulationKeys.keysFor(id, members);
  const rules: DealingRules = { members, t, mode: FRESH_DKG, keys: keys("n1") };
  const random = seededRandomBytes(11);
  const polynomials = new Map(members.map((id) => [id, feldmanPolynomial(t, random)]));
  const support = (signer: NodeId, dealer: NodeId, commitments = polynomials.get(dealer)!.commitments) => {
    const statement = supportStatement(dealer, commitmentsDigest(rules.keys.provider, commitments));
    return { signer, sig: rules.keys.provider.sign(dkgSimulationKeys.secretKeyOf(signer), statement) };
  };
  const reveal = (dealer: NodeId, receiver: NodeId) => ({
    receiver,
    share: encodeShare(evaluatePolynomial(polynomials.get(dealer)!.coefficients, members.indexOf(receiver) + 1)),
  });
  const dealing = (dealer: NodeId, supporters: readonly NodeId[] = members, revealed: readonly NodeId[] = []): CompleteDealing => ({
    dealer,
    commitments: [...polynomials.get(dealer)!.commitments],
    supports: supporters.map((signer) => support(signer, dealer)),
    reveals: revealed.map((receiver) => reveal(dealer, receiver)),
  });
  return { rules, polynomials, support, reveal, dealing };
}

describe("complete dealings: what the agreed value may contain", () => {
  const { rules, polynomials, support, reveal, dealing } = fixture();

  it("every receiver supported: complete", () => {
    expect(dealingFault(rules, dealing("n2"))).toBeUndefined();
  });

  it("a receiver that did not support is covered by its revealed share, if that share matches the commitments", () => {
    expect(dealingFault(rules, dealing("n2", ["n1", "n2", "n3"], ["n4"]))).toBeUndefined();
    const lie = { ...dealing("n2", ["n1", "n2", "n3"]), reveals: [{ ...reveal("n2", "n4"), receiver: "n4", share: encodeShare(5n) }] };
    expect(dealingFault(rules, lie)).toBe("bad reveal for n4");
    expect(dealingFault(rules, dealing("n2", ["n1", "n2", "n3"]))).toBe("no support or reveal for n4");
  });

  it("more than t revealed shares are refused (t+1 points of the dealer's polynomial would be public)", () => {
    expect(dealingFault(rules, dealing("n2", ["n1", "n2"], ["n3", "n4"]))).toBe("more than t shares revealed");
  });

  it("the dealer must endorse its commitments, and a support must be the signer's signature over these commitments", () => {
    expect(dealingFault(rules, dealing("n2", ["n1", "n3", "n4"], ["n2"]))).toBe("not endorsed by its dealer");
    const other = feldmanPolynomial(t, seededRandomBytes(99)).commitments;
    const forged = { ...dealing("n2"), supports: [...dealing("n2", ["n1", "n2", "n3"]).supports, support("n4", "n2", other)] };
    expect(dealingFault(rules, forged)).toBe("bad support from n4");
    expect(polynomials.size).toBe(4);
  });

  it("a value needs at least t+1 complete dealings, one per dealer, in member order", () => {
    expect(valueFault(rules, { dealings: [dealing("n1"), dealing("n3")] })).toBeUndefined();
    expect(valueFault(rules, { dealings: [dealing("n1")] })).toBe("only 1 dealings");
    expect(valueFault(rules, { dealings: [dealing("n3"), dealing("n1")] })).toBe("dealings out of member order");
    expect(valueFault(rules, { dealings: [dealing("n1"), dealing("n1")] })).toBe("dealings out of member order");
    expect(valueFault(rules, { dealings: [dealing("n1"), dealing("n2", ["n1", "n2"])] })).toBe("n2: no support or reveal for n3");
  });
});

describe("DKG configuration: the sharing degree t apart from the agreement's f", () => {
  it("n ≥ 3f+1, f ≤ t ≤ n−f−1; PBFT's 2f+1 of 3f+1 (t = 2f) passes", () => {
    expect(dkgConstraintFault(4, 2, 1)).toBeUndefined(); // threshold 3 = q at n = 4
    expect(dkgConstraintFault(7, 4, 2)).toBeUndefined();
    expect(dkgConstraintFault(5, 2, 0)).toBeUndefined(); // crash-only agreement
    expect(dkgConstraintFault(6, 2, 2)).toBe("n = 6 < 3f+1 = 7");
    expect(dkgConstraintFault(7, 1, 2)).toBe("f = 2 > t = 1: f members would hold a threshold of shares");
    expect(dkgConstraintFault(4, 3, 1)).toBe("t+1 = 4 > n−f = 3: the correct members could not sign");
    expect(agreementQuorum(4, defaultDkgFaults(4, 1))).toBe(3);
  });

  it("t < 2f is refused (a correct dealer reveals at most t−f shares: f members silent for good would stall it), and the default f is the largest allowed", () => {
    expect(dkgConstraintFault(4, 1, 1)).toBe(
      "t = 1 < 2f = 2: a correct dealer reveals at most t−f = 0 shares, so f silent members would stall it; choose t ≥ 2f = 2 (t+1 ≤ n−f = 3) or f ≤ ⌊t/2⌋ = 0",
    );
    expect(dkgConstraintFault(7, 3, 2)).toMatch(/^t = 3 < 2f = 4: .* choose t ≥ 2f = 4 \(t\+1 ≤ n−f = 5\) or f ≤ ⌊t\/2⌋ = 1$/);
    expect(dkgConstraintFault(4, 1, 0)).toBeUndefined(); // crash-only: no Byzantine member, the budget t covers t crashed ones
    expect([defaultDkgFaults(4, 1), defaultDkgFaults(4, 2), defaultDkgFaults(7, 3), defaultDkgFaults(7, 4), defaultDkgFaults(10, 4)]).toEqual([0, 1, 1, 2, 2]);
    const build = () => new DkgNode({ id: "n1", members, rng: createRng(7), recovered: FRESH_STATE }, { t: 1, faults: 1, keys: dkgSimulationKeys.keysFor("n1", members) });
    expect(build).toThrow(ConfigError);
  });

  it("a participant built outside the constraints throws a ConfigError naming them", () => {
    const build = () => new DkgNode({ id: "n1", members, rng: createRng(7), recovered: FRESH_STATE }, { t: 3, faults: 1, keys: dkgSimulationKeys.keysFor("n1", members) });
    expect(build).toThrow(ConfigError);
    expect(build).toThrow(/t\+1 = 4 > n−f = 3/);
  });
});
