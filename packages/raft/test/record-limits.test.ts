import { describe, expect, it } from "vitest";
import { DEFAULT_RAFT_CONFIG } from "../src/config.js";
import { MAX_RECORD_BYTES } from "../src/limits.js";
import { TestCluster } from "./support/cluster.js";

/** The largest batch the default configuration accepts: maxProposalBatch entries of maxEntryBytes. */
const fullBatch = (): Uint8Array[] => Array.from({ length: DEFAULT_RAFT_CONFIG.maxProposalBatch }, (_, i) => new Uint8Array(DEFAULT_RAFT_CONFIG.maxEntryBytes).fill(i & 0xff));

/** Keep the log (a snapshot after the batch would replace its records). */
const NO_SNAPSHOTS = { snapshotIntervalEntries: 0 };

describe("durable-record limits fit together", () => {
  it("a full default batch (1,024 entries of 64 KiB) is persisted in records that each decode, so a restart recovers it instead of halting", () => {
    const cluster = new TestCluster(1, NO_SNAPSHOTS);
    cluster.request("n1", { type: "campaign" });
    cluster.request("n1", { type: "propose-batch", items: fullBatch(), tag: 1 });
    const last = cluster.node("n1").lastIndex;
    expect(last).toBe(1 + DEFAULT_RAFT_CONFIG.maxProposalBatch);
    for (const frame of cluster.storage.get("n1") ?? []) expect(frame.length).toBeLessThanOrEqual(MAX_RECORD_BYTES);
    cluster.crash("n1");
    cluster.restart("n1");
    expect(cluster.node("n1").halted).toBeUndefined();
    expect(cluster.node("n1").lastIndex).toBe(last);
  });

});
