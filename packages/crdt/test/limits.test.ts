import { describe, expect, it } from "vitest";
import { createRng, FRESH_STATE, type Envelope } from "@synod/core";
import { CrdtReplicaNode, crdtSimulation, DEFAULT_CRDT_REPLICA_CONFIG, MAX_DOCUMENT_ELEMENT_LENGTH, MAX_DOCUMENT_INSERT_LENGTH, type CrdtMessage } from "../src/index.js";

const IDS = ["n1", "n2"];

describe("crdt limits: what a replica may create locally, its peer and its own recovery accept", () => {
  it("an insert and an element at their client limits (3-byte UTF-8 text) travel through both codecs and converge", () => {
    const rng = createRng(13);
    const [n1, n2] = IDS.map((id) => new CrdtReplicaNode({ id, members: IDS, rng: rng.fork(id), recovered: FRESH_STATE })) as [CrdtReplicaNode, CrdtReplicaNode];
    const text = "€".repeat(MAX_DOCUMENT_INSERT_LENGTH);
    const element = "x".repeat(MAX_DOCUMENT_ELEMENT_LENGTH);
    const sent: Envelope<CrdtMessage>[] = [];
    for (const op of [{ type: "insert", index: 0, text }, { type: "add", element }] as const) {
      const step = n1.request({ invocation: sent.length + 1, op });
      for (const record of step.persist) expect(crdtSimulation.recordCodec.decode(crdtSimulation.recordCodec.encode(record)).ok).toBe(true);
      sent.push(...step.send);
    }
    for (let t = 0; t < DEFAULT_CRDT_REPLICA_CONFIG.syncIntervalTicks; t++) sent.push(...n1.tick().send);
    const toN2 = sent.filter((envelope) => envelope.to === "n2");
    expect(toN2.length).toBeGreaterThan(0);
    for (const envelope of toN2) {
      const decoded = crdtSimulation.messageCodec.decode(crdtSimulation.messageCodec.encode(envelope.message));
      expect(decoded.ok).toBe(true);
      if (decoded.ok) n2.receive("n1", decoded.value);
    }
    expect(n2.document.equals(n1.document)).toBe(true);
  });
});
