import { describe, expect, it } from "vitest";
import { encodeKvCommand } from "../../src/kv/kv-command.js";
import { TestCluster } from "../support/cluster.js";

const put = (seq: number) => encodeKvCommand({ client: 1, seq, op: { type: "put", key: "k", value: String(seq) } });

/** `maxApplyPerStep`: the apply index may lag the commit index; a node campaigns only with every committed entry applied. */
describe("bounded apply (maxApplyPerStep)", () => {
  it("applies at most the bound before and after each step, the rest at the next steps", () => {
    const c = new TestCluster(3, { maxApplyPerStep: 1 });
    c.request("n1", { type: "campaign" });
    c.stabilize();
    c.request("n1", { type: "propose-batch", items: [put(1), put(2), put(3), put(4), put(5)], tag: 1 });
    c.deliver("n2");
    c.deliver("n3");
    // One answer commits entries 2–6 (n1 and n2 are a quorum); the step applies one of them after its rule.
    const n1 = c.node("n1");
    c.deliver("n1", 1);
    expect(n1.commitIndex).toBe(6);
    expect(n1.appliedIndex).toBe(2);
    c.tick("n1"); // one before the tick's rule, one after
    expect(n1.appliedIndex).toBe(4);
    c.stabilize();
    expect(n1.appliedIndex).toBe(6);
  });

  it("a follower with committed entries left to apply does not campaign", () => {
    const c = new TestCluster(3, { maxApplyPerStep: 1, preVote: false });
    c.request("n1", { type: "campaign" });
    c.stabilize();
    c.request("n1", { type: "propose-batch", items: [put(1), put(2), put(3), put(4), put(5), put(6), put(7), put(8)], tag: 1 });
    c.stabilize();
    c.tick("n1"); // the heartbeat carrying the commit index
    c.stabilize();
    const n2 = c.node("n2");
    expect(n2.appliedIndex).toBeLessThan(n2.commitIndex);
    const term = n2.term;
    c.request("n2", { type: "campaign" });
    expect(n2.term).toBe(term);
    expect(n2.role).toBe("follower");
  });
});
