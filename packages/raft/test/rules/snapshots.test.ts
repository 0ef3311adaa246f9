import { describe, expect, it } from "vitest";
import { handleAppendResponse } from "../../src/rules/replication.js";
import { handleInstallSnapshot, retrySnapshot, takeSnapshot } from "../../src/rules/snapshots.js";
import { appendEntries } from "../../src/rules/proposals.js";
import { maybeApply } from "../../src/rules/apply.js";
import { elect, raftState, sent } from "../support/state.js";

const conf = { voters: ["n1", "n2", "n3"], outgoing: [], learners: [] };

describe("snapshots", () => {
  it("taking one compacts the log up to the applied index and persists snapshot + rest as one compaction", () => {
    const r = raftState({ members: ["n1"] });
    elect(r);
    maybeApply(r);
    r.out.finish();
    takeSnapshot(r);
    expect(r.log.snapshotIndex).toBe(1);
    expect(r.compactStep).toBe(true);
    expect(r.records.map((x) => x.type)).toEqual(["snapshot"]);
  });

  it("a follower whose next entry is compacted away gets the snapshot, once it was heard from; a lost one is retried", () => {
    const r = elect(raftState({ config: { snapshotRetryTicks: 2 } }));
    handleAppendResponse(r, "n2", { type: "appendResponse", term: 1, index: 1, reject: false, hintIndex: 0, hintTerm: 0 });
    appendEntries(r, [{ type: "normal", data: new Uint8Array([1]) }]);
    r.log.commitTo(2);
    maybeApply(r);
    takeSnapshot(r);
    sent(r);
    const pr = r.progress.get("n3");
    if (pr === undefined) throw new Error("no progress for n3");
    pr.probeSent = false;
    pr.recentActive = true;
    pr.next = 1;
    retrySnapshot.call(r, pr, "n3"); // not in snapshot state: nothing
    handleAppendResponse(r, "n3", { type: "appendResponse", term: 1, index: 0, reject: true, hintIndex: 0, hintTerm: 0 });
    expect(pr.state).toBe("snapshot");
    expect(sent(r).map((e) => [e.to, e.message.type])).toEqual([["n3", "snapshot"]]);
    retrySnapshot.call(r, pr, "n3");
    expect(sent(r)).toEqual([]);
    retrySnapshot.call(r, pr, "n3"); // snapshotRetryTicks without an answer: probe just after the snapshot
    expect([pr.state, pr.next]).toEqual(["probe", 3]);
    expect(sent(r).map((e) => [e.to, e.message.type === "append" && e.message.prevIndex])).toEqual([["n3", 2]]);
  });

  it("a follower installs a newer snapshot, ignores an older one, and drops one its state machine cannot read", () => {
    const r = raftState();
    r.term = 2;
    handleInstallSnapshot(r, "n2", { type: "snapshot", term: 2, snapshot: { index: 3, term: 1, conf, data: new Uint8Array([0xff, 0xff]) } });
    expect(r.metrics.rejected.malformed).toBe(1);
    const leader = elect(raftState({ members: ["n1"] }));
    maybeApply(leader);
    takeSnapshot(leader);
    const good = { ...leader.log.snapshot, conf };
    handleInstallSnapshot(r, "n2", { type: "snapshot", term: 2, snapshot: good });
    expect([r.log.snapshotIndex, r.log.committed, r.metrics.snapshotsInstalled]).toEqual([1, 1, 1]);
    sent(r);
    handleInstallSnapshot(r, "n2", { type: "snapshot", term: 2, snapshot: good });
    expect(sent(r).map((e) => e.message)).toEqual([{ type: "appendResponse", term: 2, index: 1, reject: false, hintIndex: 0, hintTerm: 0 }]);
    expect(r.metrics.snapshotsInstalled).toBe(1);
  });
});
