import { describe, expect, it } from "vitest";
import { toHex } from "@synod/security";
import { Cluster } from "./cluster.js";

describe("PBFT normal case", () => {
  it("a request is pre-prepared, prepared, committed and executed by every replica; the proxy replies after f+1 matching replies", () => {
    const c = new Cluster(4);
    c.invoke("n2", 1, 1, { type: "put", key: "x", value: "1" });
    c.deliverAll();
    for (const id of c.ids) {
      expect(c.outputsOf(id, "committed").map((o) => o.seq)).toEqual([1]);
      expect(c.outputsOf(id, "execute").map((o) => [o.client, o.timestamp])).toEqual([[1, 1]]);
      expect(c.node(id).lastExecuted).toBe(1);
    }
    expect(c.outputsOf("n2", "reply")).toEqual([{ type: "reply", tag: 1, client: 1, timestamp: 1, result: { ok: true } }]);
    c.invoke("n3", 1, 2, { type: "get", key: "x" });
    c.deliverAll();
    expect(c.outputsOf("n3", "reply").map((o) => o.result)).toEqual([{ ok: true, value: "1" }]);
  });

  it("a retransmitted request (same client timestamp) executes once and gets the same reply again", () => {
    const c = new Cluster(4);
    c.invoke("n2", 7, 1, { type: "cas", key: "x", expected: null, value: "a" });
    c.deliverAll();
    c.invoke("n3", 7, 1, { type: "cas", key: "x", expected: null, value: "a" });
    c.deliverAll();
    for (const id of c.ids) expect(c.outputsOf(id, "execute")).toHaveLength(1);
    expect(c.outputsOf("n3", "reply").map((o) => o.result)).toEqual([{ ok: true }]);
  });

  it("checkpoints become stable with 2f+1 matching digests and the log below them is collected", () => {
    const c = new Cluster(4, { checkpointInterval: 4, windowSize: 8, batchMax: 1 });
    for (let t = 1; t <= 10; t++) {
      c.invoke("n1", 1, t, { type: "put", key: "k", value: `${t}` });
      c.deliverAll();
    }
    for (const id of c.ids) {
      expect(c.node(id).lastExecuted).toBe(10);
      expect(c.node(id).stableCheckpoint).toBe(8);
      expect(c.node(id).logSize).toBeLessThanOrEqual(2);
    }
    const digests = new Set(c.ids.map((id) => toHex(c.outputsOf(id, "committed")[9]?.digest ?? new Uint8Array())));
    expect(digests.size).toBe(1);
  });

  it("the primary batches the requests that wait while its in-flight window is full", () => {
    const c = new Cluster(4, { maxInFlight: 1, batchMax: 8 });
    for (let client = 1; client <= 5; client++) c.invoke("n1", client, client, { type: "put", key: `k${client}`, value: "v" });
    c.deliverAll();
    const committed = c.outputsOf("n2", "committed");
    expect(committed[0]?.requests).toBe(1);
    expect(committed.reduce((s, o) => s + o.requests, 0)).toBe(5);
    expect(committed.length).toBeLessThan(5);
  });
});
