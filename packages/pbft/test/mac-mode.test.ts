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

  it("a replica restarted after a view change still claims what it pre-prepared in the earlier view, so the next new view decides that sequence number (seed 165)", () => {
    const c = new Cluster(4, { ...MACS, viewChangeTimeoutTicks: 5, retransmitTicks: 3 });
    // View 0: n1 pre-prepares the request at 1 to n3 and n4 only (n2 never sees it), their prepares
    // reach n1 alone, and commits are lost: n1 prepared (1, d) on the quorum {n1, n3, n4}; nobody commits.
    c.filter = (e) => e.to !== "n2" && (e.message.type !== "prepare" || e.to === "n1") && e.message.type !== "commit";
    c.invoke("n1", 1, 1, { type: "put", key: "x", value: "1" });
    c.deliverAll();
    const digest = c.outputsOf("n3", "prePrepared")[0]?.digest as Uint8Array;
    expect(c.outputsOf("n4", "prePrepared")).toHaveLength(1);
    // n1 is cut off: n3 and n4 time out, n2 follows them, and view 1 starts from n2, n3 and n4's
    // view-changes — none claims (1, d) prepared, so the new-view leaves it out; n2 has no request to propose.
    c.filter = (e) => e.from !== "n1" && e.to !== "n1" && e.message.type !== "prepare"; // (n3 and n4 never prepare it either)
    c.tick(6);
    for (const id of ["n2", "n3", "n4"]) expect([c.node(id).view, c.node(id).viewActive], id).toEqual([1, true]);
    // n3 restarts in view 1; n4's storage is corrupted (it halts: the one faulty replica). n1 comes
    // back; the request never reaches n2, so n1 and n3 time out in view 1 and take n2 to view 2, whose primary is n3.
    c.restart("n3");
    c.restart("n4", { corrupted: 1 });
    c.filter = (e) => !(e.message.type === "request" && e.to === "n2");
    c.tick(60);
    // n3's view-change for view 2 still claims it pre-prepared (1, d) in view 0: with n1's prepared
    // claim that is f+1 claims (A2), and seq 1 is decided. Before the fix n3 had forgotten it on
    // restarting, seq 1 stayed undecided, and n3 waited for n4's view-change for good.
    const vc = c.sent.find((e) => e.from === "n3" && e.message.type === "viewChange" && e.message.view === 2)?.message as ViewChange;
    expect(vc.prePrepared.map((q) => [q.view, q.seq, equalBytes(q.digest, digest)])).toEqual([[0, 1, true]]);
    for (const id of ["n1", "n2", "n3"]) {
      expect([c.node(id).view, c.node(id).viewActive], id).toEqual([2, true]);
      const committed = c.outputsOf(id, "committed");
      expect(committed.map((o) => [o.seq, equalBytes(o.digest, digest)]), id).toEqual([[1, true]]);
    }
    expect(c.outputsOf("n1", "reply").map((o) => o.result)).toEqual([{ ok: true }]);
  });

  it("the claims of an earlier view survive a compaction (a checkpoint made stable in a later view) and the restart after it", () => {
    const c = new Cluster(4, { ...MACS, viewChangeTimeoutTicks: 5, retransmitTicks: 3, checkpointInterval: 2, windowSize: 4 });
    // View 0: seqs 1 and 2 commit everywhere, but the checkpoint at 2 does not become stable yet.
    c.filter = (e) => e.message.type !== "checkpoint";
    c.invoke("n1", 1, 1, { type: "put", key: "x", value: "1" });
    c.deliverAll();
    c.invoke("n1", 2, 1, { type: "put", key: "y", value: "2" });
    c.deliverAll();
    for (const id of c.ids) expect([c.node(id).lastExecuted, c.node(id).stableCheckpoint], id).toEqual([2, 0]);
    // Seq 3 as at seed 165: prepared at n1 alone, on the quorum {n1, n3, n4}.
    c.filter = (e) => e.to !== "n2" && (e.message.type !== "prepare" || e.to === "n1") && e.message.type !== "commit" && e.message.type !== "checkpoint";
    c.invoke("n1", 3, 1, { type: "put", key: "z", value: "3" });
    c.deliverAll();
    const digest = c.outputsOf("n3", "prePrepared").find((o) => o.seq === 3)?.digest as Uint8Array;
    // View 1 starts without n1 and leaves seq 3 out; then the checkpoint at 2 becomes stable there,
    // and n3 replaces its durable log by its durable state: its pre-prepare of view 0 at 3 is no record any more.
    c.filter = (e) => e.from !== "n1" && e.to !== "n1" && e.message.type !== "prepare" && e.message.type !== "checkpoint";
    c.tick(6);
    for (const id of ["n2", "n3", "n4"]) expect([c.node(id).view, c.node(id).viewActive], id).toEqual([1, true]);
    c.filter = (e) => e.from !== "n1" && e.to !== "n1" && e.message.type !== "prepare";
    c.tick(3);
    expect([c.node("n3").view, c.node("n3").viewActive, c.node("n3").stableCheckpoint]).toEqual([1, true, 2]);
    c.restart("n3");
    expect(c.node("n3").stableCheckpoint).toBe(2);
    c.restart("n4", { corrupted: 1 });
    c.filter = (e) => !(e.message.type === "request" && e.to === "n2");
    c.tick(60);
    const vc = c.sent.find((e) => e.from === "n3" && e.message.type === "viewChange" && e.message.view === 2)?.message as ViewChange;
    expect(vc.prePrepared.map((q) => [q.view, q.seq, equalBytes(q.digest, digest)])).toEqual([[0, 3, true]]);
    for (const id of ["n1", "n2", "n3"]) {
      expect([c.node(id).view, c.node(id).viewActive], id).toEqual([2, true]);
      expect(c.node(id).lastExecuted, id).toBe(3);
    }
    expect(c.outputsOf("n1", "reply").map((o) => o.result)).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
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
    certificates: "signatures",
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

  it("A1 needs a quorum: a faulty replica's claim of another batch in the committed batch's view, with one replica that never prepared, decides nothing (specs/pbft/PBFTMac.tla, mac-a1-weak-quorum)", () => {
    // TLC's counterexample of the broken copy: the faulty primary n1 sent v1 to n2 and n3 and the
    // null request to n4; v1 committed (commits of n1, n2, n3). View-changes of n1 (claims the null
    // request prepared), n2 (v1 prepared) and n4 (pre-prepared the null request, prepared nothing).
    const ctx = context("macs");
    const batch = [{ ...macInput(1, 1, { type: "put", key: "x", value: "1" }, members).request, proxy: "n2" }];
    const v1 = { view: 0, seq: 1, digest: batchDigest(simulationKeys.provider, batch), requests: batch };
    const noop = { view: 0, seq: 1, digest: batchDigest(simulationKeys.provider, []), requests: [] as PreparedClaim["requests"] };
    const q = (claim: PreparedClaim): { view: number; seq: number; digest: Uint8Array } => ({ view: claim.view, seq: claim.seq, digest: claim.digest });
    const liar = signed("n1", { prepared: [], preparedClaims: [noop], prePrepared: [q(noop)] });
    const committer = signed("n2", { prepared: [], preparedClaims: [v1], prePrepared: [q(v1)] });
    const misled = signed("n4", { prepared: [], preparedClaims: [], prePrepared: [q(noop)] });
    for (const vc of [liar, committer, misled]) expect(viewChangeIsValid(ctx, vc)).toBe(true);
    // A1 holds for neither batch (two of three for each; a quorum is three) and B does not hold (one
    // claims nothing prepared): undecided, the new primary waits. On f + 1 = 2 the null request was
    // chosen (A2: n1 and n4) and replaced the committed v1 in view 1: ViewChangeSafety.
    expect(decideFromClaims(ctx, 1, [liar, committer, misled])).toBeUndefined();
    // With n3's view-change (it committed v1) the committed batch is chosen: A1 three, A2 two.
    const other = signed("n3", { prepared: [], preparedClaims: [v1], prePrepared: [q(v1)] });
    const decided = decideFromClaims(ctx, 1, [liar, committer, other, misled]);
    expect(decided !== "null" && decided !== undefined && equalBytes(decided.digest, v1.digest)).toBe(true);
  });
});
