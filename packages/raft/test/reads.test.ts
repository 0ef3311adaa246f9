import { describe, expect, it } from "vitest";
import { encodeKvCommand, encodeKvQuery } from "../src/kv/kv-command.js";
import { TestCluster } from "./support/cluster.js";

function setup(config = {}) {
  const c = new TestCluster(3, config);
  c.request("n1", { type: "campaign" });
  c.stabilize();
  c.request("n1", { type: "propose", data: encodeKvCommand({ client: 1, seq: 1, op: { type: "put", key: "k", value: "1" } }), tag: 1 });
  c.stabilize();
  c.tick("n1");
  c.stabilize();
  c.takeOutputs("n1");
  return c;
}

describe("reads", () => {
  it("ReadIndex: a leader cut off from its quorum never answers", () => {
    const c = setup();
    c.partition(["n1"], ["n2", "n3"]);
    c.request("n1", { type: "read", query: encodeKvQuery("k"), tag: 2 });
    c.stabilize();
    expect(c.takeOutputs("n1").filter((o) => o.type === "read")).toEqual([]);
  });

  it("ReadIndex: a new leader waits until an entry of its term commits", () => {
    const c = new TestCluster(3);
    c.request("n1", { type: "campaign" });
    // Deliver only what makes n1 leader, not the acknowledgements of its first entry.
    for (let i = 0; i < 10 && c.node("n1").role !== "leader"; i++) {
      c.deliver("n2");
      c.deliver("n3");
      while (c.node("n1").role !== "leader" && c.deliver("n1", 1) > 0) {
        // one message at a time: stop as soon as n1 leads
      }
    }
    expect(c.node("n1").role).toBe("leader");
    expect(c.node("n1").commitIndex).toBe(0);
    c.request("n1", { type: "read", query: encodeKvQuery("k"), tag: 9 });
    expect(c.takeOutputs("n1").filter((o) => o.type === "read")).toEqual([]);
    c.stabilize();
    expect(c.takeOutputs("n1").filter((o) => o.type === "read")).toEqual([
      // Linearized at index 1, this term's first entry: the one the new leader waited for.
      { type: "read", tag: 9, result: { client: 0, seq: 0, result: { ok: true, value: null } }, index: 1 },
    ]);
  });

  it("lease reads: served at once while a quorum acknowledged a recent heartbeat, not after", () => {
    const c = setup({ readMode: "lease", electionTimeoutTicks: 10, leaseSafetyMarginTicks: 2 });
    c.request("n1", { type: "read", query: encodeKvQuery("k"), tag: 2 });
    expect(c.takeOutputs("n1").filter((o) => o.type === "read")).toHaveLength(1);
    c.partition(["n1"], ["n2", "n3"]);
    for (let i = 0; i < 8; i++) c.tick("n1");
    c.stabilize();
    c.request("n1", { type: "read", query: encodeKvQuery("k"), tag: 3 });
    expect(c.takeOutputs("n1").filter((o) => o.type === "read")).toEqual([]);
  });
});
