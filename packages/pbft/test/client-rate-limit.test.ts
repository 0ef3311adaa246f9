import { describe, expect, it } from "vitest";
import { Cluster, signedInput } from "./cluster.js";
import type { PbftMessage } from "../src/messages.js";

/** A request of `client` at `timestamp` as the proxy `proxy` broadcasts it. */
function requestMessage(client: number, timestamp: number, proxy = "n2"): PbftMessage {
  const { request } = signedInput(client, timestamp, { type: "put", key: "k", value: String(timestamp) });
  return { type: "request", request: { ...request, proxy } };
}

describe("PBFT per-client rate limit (Aardvark)", () => {
  it("a client flooding new requests while its last one waits gets them dropped unchecked; an honest client's next request, sent after its reply, is taken at once", () => {
    const c = new Cluster(4, { viewChangeTimeoutTicks: 50 });
    // n1 (the primary) is silent for now: client 7's first request waits at n3.
    c.filter = (e) => e.from !== "n1" && e.to !== "n1";
    c.inject("n2", "n3", requestMessage(7, 1));
    const n3 = c.node("n3");
    for (let t = 2; t <= 51; t++) c.inject("n2", "n3", requestMessage(7, t));
    expect(n3.metrics.rejected["rate-limited"]).toBe(50);
    // Client 8 is not held up by client 7's flood.
    c.inject("n2", "n3", requestMessage(8, 1));
    expect(n3.metrics.rejected["rate-limited"]).toBe(50);
    // The primary speaks again: the first request executes, and the client's next one is taken.
    c.filter = () => true;
    c.invoke("n2", 7, 1, { type: "put", key: "k", value: "1" });
    c.deliverAll();
    expect(n3.lastExecuted).toBeGreaterThanOrEqual(1);
    c.invoke("n2", 7, 2, { type: "put", key: "k", value: "2" });
    c.deliverAll();
    expect(n3.metrics.rejected["rate-limited"]).toBe(50);
    expect(c.outputsOf("n2", "reply").map((o) => o.timestamp)).toContain(2);
  });

  it("a client that gave up on a request (longer than the view-change timeout) may send its next one", () => {
    const c = new Cluster(4, { viewChangeTimeoutTicks: 20 });
    c.filter = (e) => e.to === "n3";
    c.inject("n2", "n3", requestMessage(7, 1));
    c.tick(5);
    c.inject("n2", "n3", requestMessage(7, 2));
    expect(c.node("n3").metrics.rejected["rate-limited"]).toBe(1);
    c.tick(20);
    c.inject("n2", "n3", requestMessage(7, 3));
    expect(c.node("n3").metrics.rejected["rate-limited"]).toBe(1);
  });
});
