// A full batch: the primary holds one sequence number in flight, so the requests arriving meanwhile
// form the next batch, up to batchMax. Regression: a batch of more than 62 requests made the batch
// digest's signed statement exceed the statement limit (64 parts), the throw was swallowed inside the
// primary, and ordering stopped after the first request (found by `pnpm bench pbft`).
import { describe, expect, it } from "vitest";
import { Cluster } from "./cluster.js";

describe("PBFT batching", () => {
  it("commits and executes a batch of batchMax (64) requests, then the next one", () => {
    const c = new Cluster(4, { batchMax: 64, maxInFlight: 1 });
    // Request 1 goes out alone (seq 1 in flight); the next 64 wait, then form batch 2 of 64.
    for (let client = 0; client < 65; client++) c.invoke("n1", client, 1, { type: "put", key: `k${client}`, value: `v${client}` });
    c.deliverAll();
    for (let client = 0; client < 65; client++) c.invoke("n1", client, 2, { type: "put", key: `k${client}`, value: `w${client}` });
    c.deliverAll();
    for (const id of c.ids) expect(c.node(id).metrics.executedRequests, id).toBe(130);
    const batches = (c.outputs.get("n1") ?? []).filter((o) => o.type === "prePrepared");
    expect(batches.length).toBeGreaterThanOrEqual(3);
    for (const id of c.ids) expect(c.node(id).metrics.rejected.malformed, id).toBe(0);
  });
});
