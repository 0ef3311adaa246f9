import { describe, expect, it } from "vitest";
import { nodeIds } from "@synod/core";
import { equalBytes, MAC_BYTES, SIGNATURE_BYTES } from "@synod/security";
import { decideFromClaims, viewChangeIsValid, type CertificateContext } from "../src/certificates.js";
import type { PbftMessage, Prepare, PreparedClaim, ViewChange } from "../src/messages.js";
import { batchDigest, sign } from "../src/signing.js";
import { simulationKeys } from "../src/simulation/simulation-keys.js";
import { VerifiedRequests } from "../src/verified-requests.js";
import { Cluster, macInput } from "./cluster.js";

const MACS = { authentication: "macs" } as const;

describe("PBFT with MAC authenticators (authentication: macs)", () => {
  it("commits in the normal case: requests, pre-prepares, prepares and commits carry one MAC per member, replies one MAC, checkpoints a signature", () => {
    const c = new Cluster(4, { ...MACS, checkpointInterval: 2, windowSize: 8 });
    c.invoke("n2", 1, 1, { type: "put", key: "x", value: "1" });
    c.deliverAll();
    c.invoke("n3", 2, 1, { type: "put", key: "y", value: "2" });
    c.deliverAll();
    for (const id of c.ids) {
      expect(c.node(id).lastExecuted, id).toBe(2);
      expect(c.node(id).stableCheckpoint, id).toBe(2);
      expect(c.node(id).metrics.rejectedTotal, id).toBe(0);
    }
    expect(c.outputsOf("n2", "reply").map((o) => o.result)).toEqual([{ ok: true }]);
    expect(c.outputsOf("n3", "reply").map((o) => o.result)).toEqual([{ ok: true }]);
    const sizes = new Map<string, Set<number>>();
    for (const e of c.sent) {
      const m = e.message;
      const tag = m.type === "request" || m.type === "readRequest" ? m.request.sig : m.sig;
      const held = sizes.get(m.type) ?? new Set<number>();
      held.add(tag.length);
      sizes.set(m.type, held);
    }
    for (const type of ["request", "prePrepare", "prepare", "commit"]) expect([...(sizes.get(type) ?? [])], type).toEqual([4 * MAC_BYTES]);
    expect([...(sizes.get("reply") ?? [])]).toEqual([MAC_BYTES]);
    expect([...(sizes.get("checkpoint") ?? [])]).toEqual([SIGNATURE_BYTES]);
  });

  it("a bad MAC is rejected, counted against its sender, and changes nothing", () => {
    const c = new Cluster(4, MACS);
    c.filter = (e) => e.message.type !== "commit"; // keep the slot prepared, not committed
    c.invoke("n1", 1, 1, { type: "put", key: "x", value: "1" });
    c.deliverAll();
    const prepare = c.sent.find((e) => e.message.type === "prepare" && e.from === "n3" && e.to === "n2")?.message as Prepare;
    // n4's prepare for a digest nobody proposed, with n3's authenticator: the entry for n2 does not match.
    const forged: Prepare = { ...prepare, replica: "n4", digest: batchDigest(simulationKeys.provider, []) };
    const flipped = prepare.sig.slice();
    flipped[c.ids.indexOf("n2") * MAC_BYTES] = (flipped[c.ids.indexOf("n2") * MAC_BYTES] as number) ^ 1;
    const before = c.sent.length;
    c.inject("n4", "n2", forged);
    c.inject("n3", "n2", { ...prepare, sig: flipped });
    c.inject("n3", "n2", { ...prepare, sig: prepare.sig.slice(0, MAC_BYTES) }); // too short to hold n2's entry
    c.inject("n3", "n2", { ...prepare, sig: new Uint8Array(SIGNATURE_BYTES) }); // no signature either
    const n2 = c.node("n2");
    expect(n2.metrics.rejected["bad-mac"]).toBe(3);
    expect(n2.metrics.rejected["bad-signature"]).toBe(1);
    expect(n2.metrics.rejectedByPeer.get("n4")).toBe(1);
    expect(n2.metrics.rejectedByPeer.get("n3")).toBe(3);
    expect(c.sent.length).toBe(before); // nothing sent in answer
    // A request whose client authenticator has a bad entry for n2 is refused there (and counted), and accepted by the others.
    const input = macInput(2, 1, { type: "put", key: "y", value: "2" }, c.ids);
    const sig = input.request.sig.slice();
    sig[c.ids.indexOf("n2") * MAC_BYTES + 5] = (sig[c.ids.indexOf("n2") * MAC_BYTES + 5] as number) ^ 0x80;
    const request = { ...input.request, sig, proxy: "n3" };
    c.inject("n3", "n2", { type: "request", request });
    c.inject("n3", "n4", { type: "request", request });
    expect(n2.metrics.rejected["bad-mac"]).toBe(4);
    expect(c.node("n4").metrics.rejectedTotal).toBe(0);
  });

  it("a request prepared but not committed in view 0 keeps its sequence number in view 1, from the replicas' signed claims", () => {
    const c = new Cluster(4, { ...MACS, viewChangeTimeoutTicks: 5 });
    c.filter = (e) => e.message.type !== "commit";
    c.invoke("n1", 1, 1, { type: "put", key: "x", value: "1" });
    c.deliverAll();
    const digest = c.outputsOf("n2", "prePrepared")[0]?.digest as Uint8Array;
    c.filter = () => true;
    c.tick(12);
    const vc = c.sent.find((e) => e.message.type === "viewChange")?.message as ViewChange;
    expect(vc.prepared).toHaveLength(0); // no certificates: their prepares carry MACs
    expect(vc.preparedClaims.map((claim) => [claim.view, claim.seq])).toEqual([[0, 1]]);
    expect(vc.prePrepared.map((claim) => [claim.view, claim.seq])).toEqual([[0, 1]]);
    for (const id of c.ids) {
      expect(c.node(id).view, id).toBeGreaterThanOrEqual(1);
      const committed = c.outputsOf(id, "committed");
      expect(committed, id).toHaveLength(1);
      expect(equalBytes(committed[0]?.digest as Uint8Array, digest)).toBe(true);
    }
  });

  it("a silent primary is replaced and the request ordered in view 1", () => {
    const c = new Cluster(4, { ...MACS, viewChangeTimeoutTicks: 5 });
    c.filter = (e) => e.from !== "n1" && e.to !== "n1";
    c.invoke("n2", 1, 1, { type: "put", key: "x", value: "1" });
    c.tick(12);
    for (const id of ["n2", "n3", "n4"]) expect(c.node(id).lastExecuted, id).toBe(1);
    expect(c.outputsOf("n2", "reply").map((o) => o.result)).toEqual([{ ok: true }]);
  });
});

describe("MAC'd messages are never proof in a view change", () => {
  const members = nodeIds(4);
  const keys = simulationKeys.keysFor("n1", members);
  const context = (authentication: "signatures" | "macs"): CertificateContext => ({
    keys,
    members,
    f: 1,
    quorumSize: 3,
    authentication,
    windowSize: 32,
    verified: new VerifiedRequests(keys),
  });
  const signed = (replica: string, body: Omit<ViewChange, "sig" | "replica" | "type" | "view" | "stableSeq" | "checkpointProof">): ViewChange =>
    sign<ViewChange>(simulationKeys.provider, simulationKeys.secretKeyOf(replica), { type: "viewChange", view: 2, stableSeq: 0, checkpointProof: [], replica, ...body });

  it("a prepared certificate made of MAC'd prepares is refused, in either mode", () => {
    const c = new Cluster(4, MACS);
    c.filter = (e) => e.message.type !== "commit";
    c.invoke("n1", 1, 1, { type: "put", key: "x", value: "1" });
    c.deliverAll();
    const pp = c.sent.find((e) => e.message.type === "prePrepare")?.message as Extract<PbftMessage, { type: "prePrepare" }>;
    const prepares = c.sent.filter((e) => e.message.type === "prepare" && e.to === "n1").map((e) => e.message as Prepare);
    expect(prepares.length).toBeGreaterThanOrEqual(2);
    const certificate = { prePrepare: pp, prepares: prepares.slice(0, 2) };
    const none = { preparedClaims: [], prePrepared: [] };
    expect(viewChangeIsValid(context("macs"), signed("n2", { prepared: [certificate], ...none }))).toBe(false);
    expect(viewChangeIsValid(context("signatures"), signed("n2", { prepared: [certificate], ...none }))).toBe(false);
  });

  it("one replica's signed claim of a batch prepared in a high view is not believed without f+1 claims of having pre-prepared it", () => {
    const ctx = context("macs");
    const requests = [] as PreparedClaim["requests"];
    const real = { view: 0, seq: 1, digest: batchDigest(simulationKeys.provider, requests), requests };
    const other = macInput(9, 9, { type: "put", key: "z", value: "9" }, members).request;
    const bogusRequests = [{ ...other, proxy: "n4" }];
    const bogus = { view: 1, seq: 1, digest: batchDigest(simulationKeys.provider, bogusRequests), requests: bogusRequests };
    const q = (claim: PreparedClaim): { view: number; seq: number; digest: Uint8Array } => ({ view: claim.view, seq: claim.seq, digest: claim.digest });
    const vcs = [
      signed("n1", { prepared: [], preparedClaims: [real], prePrepared: [q(real)] }),
      signed("n2", { prepared: [], preparedClaims: [real], prePrepared: [q(real)] }),
      signed("n4", { prepared: [], preparedClaims: [bogus], prePrepared: [q(bogus)] }), // the liar
    ];
    for (const vc of vcs) expect(viewChangeIsValid(ctx, vc)).toBe(true);
    // A1 holds for the liar's claim (nobody else prepared anything in view 1 or later), A2 does not
    // (one claim of having pre-prepared it); the real batch fails A1 (the liar's higher claim): undecided, wait.
    expect(decideFromClaims(ctx, 1, vcs)).toBeUndefined();
    // One more view-change, from a replica that saw nothing: the real batch now has A1 (three) and A2 (two).
    const quiet = signed("n3", { prepared: [], preparedClaims: [], prePrepared: [] });
    const decided = decideFromClaims(ctx, 1, [...vcs, quiet]);
    expect(decided !== "null" && decided !== undefined && equalBytes(decided.digest, real.digest)).toBe(true);
    // Only when a second replica claims it pre-prepared the bogus batch in view 1 (so one correct replica did) can it be chosen.
    const support = signed("n3", { prepared: [], preparedClaims: [], prePrepared: [q(bogus)] });
    const supported = decideFromClaims(ctx, 1, [vcs[0] as ViewChange, support, vcs[2] as ViewChange]);
    expect(supported !== "null" && supported !== undefined && equalBytes(supported.digest, bogus.digest)).toBe(true);
    // A claim whose batch does not hash to its digest, or that the claimant does not also claim pre-prepared, is malformed.
    expect(viewChangeIsValid(ctx, signed("n4", { prepared: [], preparedClaims: [{ ...bogus, requests: [] }], prePrepared: [q(bogus)] }))).toBe(false);
    expect(viewChangeIsValid(ctx, signed("n4", { prepared: [], preparedClaims: [bogus], prePrepared: [] }))).toBe(false);
  });
});
