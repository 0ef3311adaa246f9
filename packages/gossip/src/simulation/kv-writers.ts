import type { NodeContext, Rng } from "@synod/core";
import type { GossipConfig } from "../config.js";
import { GossipNode } from "../gossip-node.js";
import type { GossipRecord } from "../messages.js";

/** Members that write keys in the simulation: the first of the member order (owners of the replicated state). */
export const KV_SIM_WRITERS = 4;

/** Keys each writer writes (a write overwrites one, so an owner's state stays this small). */
export const KV_SIM_KEYS = 8;

/**
 * Probability per tick that a writer writes (every 8 s on average at 100 ms ticks). Every write
 * reaches every member: at 10,000 members, 4 writers at this rate are ~300,000 writes taken per minute.
 */
export const KV_SIM_WRITE_PROBABILITY = 0.0125;

/**
 * Share of writes with a large value (150–1,000 characters; else up to 150): an owner's state then
 * often outgrows one message at small cluster sizes too, so deltas get cut at the size limit.
 */
export const KV_SIM_LARGE_VALUES = 0.5;

/**
 * A gossip member that, when Scuttlebutt anti-entropy is on and it is one of the first
 * `KV_SIM_WRITERS` members, writes one of its `KV_SIM_KEYS` keys now and then (its application, as
 * the simulation plays it: values of up to 1,000 characters drawn from its own generator, forked from
 * the node's so that the protocol's draws are unchanged). Deterministic and pure, like the node.
 */
export class KvWritingMember extends GossipNode {
  private readonly writes: Rng;
  private readonly writer: boolean;

  /**
   * @param writeProbability - probability per tick that a writer writes (the workload; default
   *   {@link KV_SIM_WRITE_PROBABILITY})
   */
  constructor(
    ctx: NodeContext<GossipRecord>,
    config: Partial<GossipConfig> = {},
    private readonly writeProbability = KV_SIM_WRITE_PROBABILITY,
  ) {
    super(ctx, config);
    this.writes = ctx.rng.fork("kv-writes");
    // The first few of the list, looked up there only (an indexOf over the whole list cost O(n²) to
    // build a cluster: 0.9 s of a 10,000-member run).
    this.writer = this.config.kvSyncIntervalTicks > 0 && ctx.members.slice(0, KV_SIM_WRITERS).includes(ctx.id);
  }

  override tick(): ReturnType<GossipNode["tick"]> {
    const step = super.tick();
    if (!this.writer || this.state === "left" || !this.writes.bool(this.writeProbability)) return step;
    const key = `k${this.writes.int(0, KV_SIM_KEYS)}`;
    const length = this.writes.bool(KV_SIM_LARGE_VALUES) ? this.writes.int(150, 1000) : this.writes.int(0, 150);
    const value = `${this.id}:${this.ticks}:${"x".repeat(length)}`;
    const write = this.request({ type: "set", key, value });
    // One step: the write's record is persisted with the tick's, before any of their sends.
    return { persist: [...step.persist, ...write.persist], send: step.send, output: [...step.output, ...write.output] };
  }
}
