import { createRng, FRESH_STATE } from "@synod/core";
import { describe, expect, it } from "vitest";
import { CrdtReplicaNode, crdtMessageCodec } from "../src/replica-node.js";

describe("CrdtReplicaNode.receiveBytes", () => {
  it("drops and counts bytes that are not a replica message (null, garbage, a wrong shape); never throws", () => {
    const node = new CrdtReplicaNode({ id: "n1", members: ["n1", "n2"], rng: createRng(1), recovered: FRESH_STATE });
    for (const bytes of [new Uint8Array([0xc0]), new Uint8Array([0xff, 0x00]), crdtMessageCodec.encode({ kind: "nack" }).subarray(0, 1)]) {
      expect(node.receiveBytes("n2", bytes).send).toEqual([]);
    }
    expect(node.stats.droppedMessages).toBe(3);
  });

  it("handles a valid message's bytes as receive does (a nack asks for the full state)", () => {
    const node = new CrdtReplicaNode({ id: "n1", members: ["n1", "n2"], rng: createRng(1), recovered: FRESH_STATE });
    node.request({ invocation: 1, op: { type: "add", element: "x" } });
    node.receiveBytes("n2", crdtMessageCodec.encode({ kind: "nack" }));
    expect(node.stats.droppedMessages).toBe(0);
  });
});
