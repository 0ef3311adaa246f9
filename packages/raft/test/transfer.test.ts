import { describe, expect, it } from "vitest";
import { RequestRefusedError } from "../src/errors.js";
import { encodeKvCommand } from "../src/kv/kv-command.js";
import { TestCluster } from "./support/cluster.js";

const put = (seq: number): Uint8Array => encodeKvCommand({ client: 1, seq, op: { type: "put", key: "k", value: `${seq}` } });

function cluster(): TestCluster {
  const c = new TestCluster(3, { electionTimeoutTicks: 10 }, 5, { voters: ["n1", "n2"], outgoing: [], learners: ["n3"] });
  c.request("n1", { type: "campaign" });
  c.stabilize();
  c.takeOutputs("n1");
  return c;
}

describe("leadership transfer", () => {
  it("hands leadership to an up-to-date voter via TimeoutNow", () => {
    const c = cluster();
    c.request("n1", { type: "transfer-leadership", to: "n2", tag: 1 });
    c.stabilize();
    expect(c.node("n2").role).toBe("leader");
    expect(c.node("n2").term).toBe(2);
    expect(c.node("n1").leader).toBe("n2");
  });

  it("refuses a learner as target", () => {
    const c = cluster();
    c.request("n1", { type: "transfer-leadership", to: "n3", tag: 4 });
    const [out] = c.takeOutputs("n1");
    expect(out).toMatchObject({ type: "refused", tag: 4 });
    if (out?.type === "refused") expect((out.error as RequestRefusedError).reason).toBe("invalid-config");
    expect(c.node("n1").role).toBe("leader");
  });

  it("abandons a transfer that cannot finish within an election timeout, then accepts proposals again", () => {
    const c = cluster();
    c.partition(["n1", "n3"], ["n2"]);
    c.request("n1", { type: "transfer-leadership", to: "n2", tag: 1 });
    c.request("n1", { type: "propose", data: put(1), tag: 2 });
    expect(c.takeOutputs("n1").some((o) => o.type === "refused" && (o.error as RequestRefusedError).reason === "transfer-in-progress")).toBe(true);
    // One election timeout later the transfer is abandoned; n2 acknowledged n1 before the partition,
    // so the first CheckQuorum round still counts it and n1 stays leader.
    for (let i = 0; i < 10; i++) c.tick("n1");
    expect(c.node("n1").role).toBe("leader");
    c.request("n1", { type: "propose", data: put(3), tag: 3 });
    expect(c.takeOutputs("n1").some((o) => o.type === "proposed" && o.tag === 3)).toBe(true);
  });
});
