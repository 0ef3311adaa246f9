import { SynodError } from "@synod/core";
import { describe, expect, it } from "vitest";
import { chainMessageCodec } from "../src/messages.js";
import { resolveChainConfig } from "../src/config.js";
import { decodeConfiguration } from "../src/membership.js";
import { Cluster } from "./cluster.js";

describe("bad input", () => {
  it("a request that is not a write or a read is a usage SynodError (it was a TypeError or a read of undefined)", () => {
    const cluster = new Cluster(3);
    cluster.formChain();
    for (const input of [null, undefined, 7, {}, { type: "append", tag: 1 }]) expect(() => cluster.node("n1").request(input as never)).toThrow(SynodError);
  });

  it("bytes that do not decode are counted and dropped; nothing else changes", () => {
    const cluster = new Cluster(3);
    cluster.formChain();
    const node = cluster.node("n2");
    const received = node.store.received;
    for (const bytes of [new Uint8Array([0xc1]), new Uint8Array(0), chainMessageCodec.encode({ type: "confirm", tag: 1 }).subarray(0, 3)]) {
      const step = node.receiveBytes("n1", bytes);
      expect(step.send).toHaveLength(0);
      expect(step.output).toHaveLength(0);
    }
    expect(node.metrics.rejected.malformed).toBe(3);
    expect(node.store.received).toBe(received);
  });

  it("a message with a field out of range is a typed decode error, not an exception", () => {
    const bytes = chainMessageCodec.encode({ type: "ack", epoch: 1, received: 1, committed: 1 });
    const decoded = chainMessageCodec.decode(bytes.map((b) => (b === 1 ? 0xff : b)));
    expect(decoded.ok).toBe(false);
  });

  it("messages from unknown senders are counted and dropped", () => {
    const cluster = new Cluster(3);
    const step = cluster.node("n1").receive("intruder", { type: "heartbeat", boot: 1, since: 1, synced: true });
    expect(step.send).toHaveLength(0);
    expect(cluster.node("n1").metrics.rejected["unknown-sender"]).toBe(1);
  });

  it("a write whose command does not decode is refused at its origin", () => {
    const cluster = new Cluster(3);
    cluster.formChain();
    cluster.request("n1", { type: "write", command: new Uint8Array([9, 9]), tag: 1 });
    expect(cluster.replyTo("n1", 1)).toMatchObject({ type: "refused" });
  });

  it("configurations and settings are checked", () => {
    expect(decodeConfiguration("not json").ok).toBe(false);
    expect(decodeConfiguration('[1, [["n1", -1, 0]]]').ok).toBe(false);
    expect(() => resolveChainConfig({ suspectTicks: 2, heartbeatTicks: 3 })).toThrow(/suspectTicks/);
    expect(() => resolveChainConfig({ mode: "other" as never })).toThrow(/mode/);
  });
});
