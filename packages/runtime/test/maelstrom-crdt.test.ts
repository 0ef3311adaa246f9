/** The Maelstrom CRDT workloads (g-counter, pn-counter, g-set, broadcast) against the documented formats, with partitions. */
import { afterEach, describe, expect, it } from "vitest";
import { MaelstromCrdt, type CrdtWorkload } from "../src/maelstrom/maelstrom-crdt.js";
import { Network } from "./support/maelstrom-network.js";

let network: Network | undefined;
afterEach(() => network?.stop());

async function cluster(workload: CrdtWorkload): Promise<Network> {
  const net = new Network(["n0", "n1", "n2"], (io) => new MaelstromCrdt(io, workload));
  network = net;
  await net.init();
  return net;
}

/** Poll every node's read until all equal `expected` (convergence after healing); `field` is the read_ok field. */
async function converges(net: Network, expected: unknown, normalise: (v: unknown) => unknown = (v) => v, field = "value"): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const values = await Promise.all([...net.nodes.keys()].map(async (id) => normalise((await net.call("c9", id, { type: "read" }))[field])));
    if (values.every((v) => JSON.stringify(v) === JSON.stringify(expected))) return;
    if (Date.now() > deadline) throw new Error(`no convergence: ${JSON.stringify(values)}, expected ${JSON.stringify(expected)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("Maelstrom CRDT workloads", () => {
  it("g-counter: adds at every node, one node partitioned meanwhile, converge to the sum after healing; a negative delta is refused with 12", async () => {
    const net = await cluster("g-counter");
    net.isolate("n2");
    expect(await net.call("c1", "n0", { type: "add", delta: 3 })).toMatchObject({ type: "add_ok" });
    expect(await net.call("c1", "n1", { type: "add", delta: 4 })).toMatchObject({ type: "add_ok" });
    expect(await net.call("c1", "n2", { type: "add", delta: 5 })).toMatchObject({ type: "add_ok" });
    expect(await net.call("c1", "n2", { type: "read" })).toMatchObject({ type: "read_ok", value: 5 });
    expect(await net.call("c1", "n0", { type: "add", delta: -1 })).toMatchObject({ type: "error", code: 12 });
    net.heal();
    await converges(net, 12);
  });

  it("pn-counter: negative deltas count down", async () => {
    const net = await cluster("pn-counter");
    expect(await net.call("c1", "n0", { type: "add", delta: 10 })).toMatchObject({ type: "add_ok" });
    expect(await net.call("c2", "n1", { type: "add", delta: -7 })).toMatchObject({ type: "add_ok" });
    await converges(net, 3);
  });

  it("g-set: elements of any JSON shape, added on both sides of a partition, converge to the union", async () => {
    const net = await cluster("g-set");
    net.isolate("n0");
    expect(await net.call("c1", "n0", { type: "add", element: 1 })).toMatchObject({ type: "add_ok" });
    expect(await net.call("c1", "n1", { type: "add", element: 2 })).toMatchObject({ type: "add_ok" });
    expect(await net.call("c1", "n2", { type: "add", element: [3, "x"] })).toMatchObject({ type: "add_ok" });
    expect(await net.call("c1", "n2", { type: "add", element: 2 })).toMatchObject({ type: "add_ok" });
    expect(await net.call("c1", "n1", { type: "add" })).toMatchObject({ type: "error", code: 12 });
    net.heal();
    await converges(net, ["1", "2", '[3,"x"]'], (v) => (v as unknown[]).map((e) => JSON.stringify(e)).sort());
  });

  it("broadcast: topology acknowledged, messages broadcast on both sides of a partition reach every node after healing; no message is invented", async () => {
    const net = await cluster("broadcast");
    for (const id of ["n0", "n1", "n2"]) {
      expect(await net.call("c0", id, { type: "topology", topology: { n0: ["n1"], n1: ["n0", "n2"], n2: ["n1"] } })).toMatchObject({ type: "topology_ok" });
    }
    net.isolate("n2");
    expect(await net.call("c1", "n0", { type: "broadcast", message: 1 })).toMatchObject({ type: "broadcast_ok" });
    expect(await net.call("c1", "n2", { type: "broadcast", message: 8 })).toMatchObject({ type: "broadcast_ok" });
    expect(await net.call("c2", "n1", { type: "broadcast", message: 72 })).toMatchObject({ type: "broadcast_ok" });
    expect(await net.call("c2", "n1", { type: "broadcast", message: 1 })).toMatchObject({ type: "broadcast_ok" });
    expect(await net.call("c2", "n1", { type: "broadcast" })).toMatchObject({ type: "error", code: 12 });
    expect(await net.call("c1", "n2", { type: "read" })).toMatchObject({ type: "read_ok", messages: [8] });
    net.heal();
    await converges(net, [1, 8, 72], (v) => (v as number[]).slice().sort((a, b) => a - b), "messages");
  });
});
