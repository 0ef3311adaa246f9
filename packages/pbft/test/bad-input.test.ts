import { describe, expect, it } from "vitest";
import { EncodeError, encodeUnchecked, SynodError } from "@synod/core";
import { pbftMessageCodec, type Prepare, type Reply } from "../src/messages.js";
import { sign } from "../src/signing.js";
import { simulationKeys } from "../src/simulation/simulation-keys.js";
import { Cluster } from "./cluster.js";

describe("PBFT bad input", () => {
  it("a request that is not { tag, request } is a usage SynodError (it was a TypeError), and the node goes on", () => {
    const c = new Cluster(4);
    for (const input of [null, undefined, 7, {}, { tag: 1, request: null }]) expect(() => c.node("n1").request(input as never)).toThrow(SynodError);
    c.invoke("n1", 1, 1, { type: "put", key: "x", value: "1" });
    c.deliverAll();
    expect(c.node("n2").lastExecuted).toBe(1);
  });

  it("forged, mis-attributed, out-of-window and wrong-view messages are counted per peer and change nothing", () => {
    const c = new Cluster(4);
    c.invoke("n1", 1, 1, { type: "put", key: "x", value: "1" });
    c.deliverAll();
    const target = c.node("n2");
    const before = target.lastExecuted;
    const provider = simulationKeys.provider;
    const good = sign<Prepare>(provider, simulationKeys.secretKeyOf("n3"), { type: "prepare", view: 0, seq: 2, digest: new Uint8Array(32), replica: "n3" });
    c.inject("n3", "n2", { ...good, digest: new Uint8Array(32).fill(1) }); // signature no longer matches
    c.inject("n4", "n2", good); // n4 replays n3's message as its own
    c.inject("n3", "n2", sign<Prepare>(provider, simulationKeys.secretKeyOf("n3"), { ...good, seq: 10_000 })); // beyond the high watermark
    c.inject("n3", "n2", sign<Prepare>(provider, simulationKeys.secretKeyOf("n3"), { ...good, view: 5 })); // a view not entered
    c.inject("n9", "n2", good); // not a member
    c.inject("n3", "n2", { type: "request", request: { client: 1, timestamp: 2, proxy: "n3", command: new Uint8Array(3), sig: new Uint8Array(64) } });
    expect(target.metrics.rejected["bad-signature"]).toBe(2);
    expect(target.metrics.rejected["unknown-sender"]).toBe(2);
    expect(target.metrics.rejected["out-of-window"]).toBe(1);
    expect(target.metrics.rejected["wrong-view"]).toBe(1);
    expect(target.metrics.rejectedByPeer.get("n3")).toBe(4);
    expect(target.metrics.rejectedByPeer.get("n4")).toBe(1);
    expect(target.lastExecuted).toBe(before);
    expect(target.view).toBe(0);
  });

  it("as proxy, a forged reply to a request still waiting is refused; replies to a request already answered are dropped unread", () => {
    const c = new Cluster(4);
    c.filter = (e) => e.message.type !== "reply" && e.message.type !== "prePrepare"; // the request waits at its proxy n2
    c.invoke("n2", 1, 1, { type: "put", key: "x", value: "1" });
    c.deliverAll();
    const proxy = c.node("n2");
    const provider = simulationKeys.provider;
    const reply = (timestamp: number): Reply =>
      sign<Reply>(provider, simulationKeys.secretKeyOf("n3"), { type: "reply", view: 0, client: 1, timestamp, result: new Uint8Array([1]), replica: "n3" });
    c.inject("n3", "n2", { ...reply(1), sig: reply(2).sig }); // awaited, but the signature is another reply's
    expect(proxy.metrics.rejected["bad-signature"]).toBe(1);
    c.inject("n3", "n2", { ...reply(7), sig: reply(8).sig }); // for a timestamp n2 does not wait for: dropped unread, uncounted
    expect(proxy.metrics.rejected["bad-signature"]).toBe(1);
    c.filter = () => true;
    c.tick(1_000); // retransmissions: ordered, executed and answered
    c.deliverAll();
    expect(c.outputsOf("n2", "reply").map((r) => r.timestamp)).toEqual([1]);
    c.inject("n3", "n2", { ...reply(1), sig: reply(2).sig }); // answered already: dropped unread
    expect(proxy.metrics.rejected["bad-signature"]).toBe(1);
  });

  it("the codec rejects malformed bytes with a typed error", () => {
    const bytes = pbftMessageCodec.encode({ type: "fetchState", seq: 1, replica: "n1", sig: new Uint8Array(64) });
    expect(pbftMessageCodec.decode(bytes).ok).toBe(true);
    // encode refuses what decode would reject: forge the out-of-range message's bytes directly.
    const negativeSeq = encodeUnchecked({ type: "fetchState", seq: -1, replica: "n1", sig: new Uint8Array(64) });
    expect(() => pbftMessageCodec.encode({ type: "fetchState", seq: -1, replica: "n1", sig: new Uint8Array(64) })).toThrow(EncodeError);
    for (const bad of [new Uint8Array([0xc1]), bytes.slice(0, bytes.length - 3), negativeSeq]) {
      const decoded = pbftMessageCodec.decode(bad);
      expect(decoded.ok).toBe(false);
    }
  });
});
