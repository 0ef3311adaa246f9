import { describe, expect, it } from "vitest";
import { EventQueue, MAX_CHANNELS, MAX_NODES, runSimulation, broadcastSimulation } from "@synod/simulator";
import { QueueChannels } from "../../src/engine/queue-channels.js";
import { DENSE_LINK_LIMIT } from "../../src/engine/network.js";

describe("simulator limits", () => {
  it("a run of the largest cluster with a channel per link can build its event queue (it could not while MAX_CHANNELS was 2^20)", () => {
    const channels = new QueueChannels(DENSE_LINK_LIMIT).count;
    expect(channels).toBeGreaterThan(1 << 20);
    expect(channels).toBeLessThanOrEqual(MAX_CHANNELS);
    const queue = new EventQueue(16, 16, channels);
    queue.pushInOrder(channels - 1, 1, 0, 0, 0, null);
    expect(queue.pop()).toBe(true);
  });

  it("the largest cluster (a channel per destination beyond DENSE_LINK_LIMIT) fits MAX_CHANNELS", () => {
    expect(MAX_NODES).toBeGreaterThan(DENSE_LINK_LIMIT);
    expect(new QueueChannels(MAX_NODES).count).toBe(MAX_NODES + 4);
  });

  it("one node more than MAX_NODES is a usage error naming the bound", () => {
    expect(() => runSimulation(broadcastSimulation, { seed: 1, nodes: MAX_NODES + 1, durationMs: 1 })).toThrow(`${MAX_NODES}]`);
  });
});
