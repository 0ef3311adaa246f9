// Every protocol node but PBFT's (tested in its package) checks its context first (core's requireNodeContext): a driver's mistake
// is a ConfigError naming the field; before, each threw a TypeError from deep inside.
import { ChainNode } from "@synod/chain";
import { ConfigError } from "@synod/core";
import { CrdtReplicaNode } from "@synod/crdt";
import { GossipNode } from "@synod/gossip";
import { RaftNode } from "@synod/raft";
import { DkgNode, KeyGossipNode } from "@synod/security";
import { describe, expect, it } from "vitest";

describe("protocol nodes built without a proper context", () => {
  for (const [name, build] of [
    ["RaftNode", (options: unknown) => new RaftNode(options as never)],
    ["ChainNode", (options: unknown) => new ChainNode(options as never)],
    // these take the context itself, not { ctx }
    ["CrdtReplicaNode", (options: unknown) => new CrdtReplicaNode((options as { ctx?: never } | undefined)?.ctx as never)],
    ["GossipNode", (options: unknown) => new GossipNode((options as { ctx?: never } | undefined)?.ctx as never)],
    ["DkgNode", (options: unknown) => new DkgNode((options as { ctx?: never } | undefined)?.ctx as never, {} as never)],
    ["KeyGossipNode", (options: unknown) => new KeyGossipNode((options as { ctx?: never } | undefined)?.ctx as never, {} as never)],
  ] as const) {
    it(`${name}: no options, no ctx, or a ctx without rng is a ConfigError naming the field`, () => {
      expect(() => build(undefined)).toThrow(ConfigError);
      expect(() => build({})).toThrow(/^ctx: /);
      expect(() => build({ ctx: { id: "n1", members: ["n1"], recovered: { records: [] } } })).toThrow(/^ctx\.rng: /);
    });
  }
});
