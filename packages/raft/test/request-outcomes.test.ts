// What a client learns about its request from the node it asked: `apply` carries the proposal's tag
// on the leader that accepted it; a leader that steps down first says `unknown` (the entry may still
// commit elsewhere); a refusal is definite and names the leader it knows.
import { describe, expect, it } from "vitest";
import { encodeKvCommand } from "../src/kv/kv-command.js";
import { TestCluster } from "./support/cluster.js";

const put = (key: string, value: string, seq: number): Uint8Array => encodeKvCommand({ client: 1, seq, op: { type: "put", key, value } });

function electLeader(c: TestCluster): string {
  for (let i = 0; i < 100 && c.leader() === undefined; i++) c.tickAll(1);
  const leader = c.leader();
  if (leader === undefined) throw new Error("no leader elected");
  return leader;
}

describe("request outcomes", () => {
  it("apply carries the proposal's tag on the leader that accepted it, and only there", () => {
    const c = new TestCluster(3);
    const leader = electLeader(c);
    c.request(leader, { type: "propose-batch", items: [put("x", "1", 1), put("y", "2", 2)], tag: 41 });
    c.stabilize();
    c.tickAll(2);
    for (const id of c.ids) {
      const tags = c.takeOutputs(id).flatMap((o) => (o.type === "apply" && o.result !== undefined ? [o.tag] : []));
      expect(tags, id).toEqual(id === leader ? [41, 41] : [undefined, undefined]);
    }
  });

  it("a leader that steps down with proposals pending reports each as unknown, once", () => {
    const c = new TestCluster(3, { checkQuorum: true });
    const leader = electLeader(c);
    c.tickAll(2);
    c.takeOutputs(leader);
    const others = c.ids.filter((id) => id !== leader);
    c.partition([leader], others);
    c.request(leader, { type: "propose", data: put("x", "1", 1), tag: 7 });
    c.request(leader, { type: "propose", data: put("x", "2", 2), tag: 8 });
    c.tickAll(60); // check-quorum: the isolated leader steps down; the others elect a new one
    const outputs = c.takeOutputs(leader);
    expect(outputs.filter((o) => o.type === "unknown")).toEqual([
      { type: "unknown", tag: 7, index: 2, count: 1 },
      { type: "unknown", tag: 8, index: 3, count: 1 },
    ]);
    c.heal();
    c.stabilize();
    c.tickAll(10);
    // Its uncommitted entries were overwritten by the new leader's log: no apply carries tag 7 or 8.
    const later = c.takeOutputs(leader);
    expect(later.some((o) => o.type === "apply" && o.entry.index >= 2)).toBe(true);
    expect(later.filter((o) => o.type === "apply" && o.tag !== undefined)).toEqual([]);
  });

  it("a refusal names the leader it knows, and retries there", () => {
    const c = new TestCluster(3);
    const leader = electLeader(c);
    c.tickAll(2);
    const follower = c.ids.find((id) => id !== leader) as string;
    c.takeOutputs(follower);
    c.request(follower, { type: "propose", data: put("x", "1", 1), tag: 3 });
    const refused = c.takeOutputs(follower).find((o) => o.type === "refused");
    expect(refused).toMatchObject({ type: "refused", tag: 3, leader, retryAt: leader });
  });

  it("a node that knows no leader refuses without naming one: retryAt is a guess", () => {
    const c = new TestCluster(3);
    c.request("n2", { type: "propose", data: put("x", "1", 1), tag: 5 });
    const refused = c.takeOutputs("n2").find((o) => o.type === "refused");
    expect(refused).toMatchObject({ type: "refused", tag: 5 });
    expect(refused !== undefined && "leader" in refused).toBe(false);
  });
});
