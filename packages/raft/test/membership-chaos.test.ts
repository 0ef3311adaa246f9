import { createRng, nameViolation, type ClusterView, type NodeId } from "@synod/core";
import { describe, expect, it } from "vitest";
import { encodeKvCommand } from "../src/kv/kv-command.js";
import type { KvOp, KvReply, KvResult } from "../src/kv/kv-command.js";
import type { RaftNode } from "../src/raft-node.js";
import { createRaftInvariants } from "../src/simulation/invariants.js";
import { TestCluster } from "./support/cluster.js";

/**
 * Randomized runs of membership changes under faults (the simulator's runs keep membership fixed):
 * 5 nodes, random joint-consensus changes proposed at the leader, message reordering and loss,
 * crashes (also right after a persist), partitions; the invariant twins of Raft.tla (createRaftInvariants) checked after
 * every step; after healing, a proposal must commit. Seeds are printed on failure.
 * Larger local run: RAFT_MEMBERSHIP_SEEDS=500 pnpm exec vitest run packages/raft/test/membership-chaos.test.ts
 */
const SEEDS = Number(process.env.RAFT_MEMBERSHIP_SEEDS ?? 100);
const STEPS = 3000;

/** Membership changes applied (joint entered) across all seeds: the test must exercise them. */
let jointEntered = 0;
/** Leaders that stepped down because they were removed. */
let leadersRemoved = 0;

function runSeed(seed: number): string | undefined {
  const rng = createRng(seed);
  const c = new TestCluster(5, { electionTimeoutTicks: 10, heartbeatTicks: 2, snapshotIntervalEntries: 16 }, seed);
  const invariants = createRaftInvariants();
  const view: ClusterView<RaftNode<KvReply>, KvOp, KvResult> = { nowMs: 0, members: c.ids, nodes: c.nodes, history: [] };
  let failure: string | undefined;
  c.onStep = (e) => {
    for (const o of e.step.output) {
      if (o.type === "conf" && o.rejected === undefined && o.conf.outgoing.length > 0) jointEntered++;
      if (o.type === "role" && o.role === "follower" && !c.nodes.get(e.node)?.confState.voters.includes(e.node)) leadersRemoved++;
    }
    if (failure !== undefined) return;
    for (const inv of invariants) {
      const problem = nameViolation(inv, inv.afterStep?.(e.node, e.step, view, undefined, undefined, e.delivered, e.from) ?? inv.check?.(view, e.node));
      if (problem !== undefined) failure = `seed ${seed}: ${problem.invariant}: ${problem.message}`;
    }
  };
  let seq = 0;
  const pickLive = (): NodeId | undefined => {
    const live = c.ids.filter((id) => c.nodes.get(id) !== undefined);
    return live.length === 0 ? undefined : rng.pick(live);
  };
  for (let step = 0; step < STEPS && failure === undefined; step++) {
    const roll = rng.float();
    const id = pickLive();
    if (id === undefined) {
      c.restart(rng.pick(c.ids));
      continue;
    }
    if (roll < 0.3) c.tick(id);
    else if (roll < 0.75) {
      const box = c.mailbox.get(id) ?? [];
      if (box.length > 0) {
        if (rng.bool(0.05)) box.splice(rng.int(0, box.length), 1); // loss
        else c.deliverAt(id, rng.bool(0.8) ? 0 : rng.int(0, box.length)); // mostly FIFO, some reordering
      }
    } else if (roll < 0.85) {
      const leader = c.leader();
      if (leader !== undefined) c.request(leader, { type: "propose", data: encodeKvCommand({ client: 1, seq: ++seq, op: { type: "put", key: "k", value: `${seq}` } }), tag: seq });
    } else if (roll < 0.88) {
      const leader = c.leader();
      if (leader !== undefined) {
        const shuffled = rng.shuffle([...c.ids]);
        const voters = shuffled.slice(0, rng.int(1, 6)).sort();
        const learners = shuffled.slice(voters.length).filter(() => rng.bool(0.5));
        c.request(leader, { type: "change-membership", voters, learners, tag: ++seq });
      }
    } else if (roll < 0.9) {
      if (rng.bool(0.5)) c.crash(id);
      else c.crashAfterNextPersist(id);
    } else if (roll < 0.93) {
      const crashed = c.ids.filter((x) => c.nodes.get(x) === undefined);
      if (crashed.length > 0) c.restart(rng.pick(crashed));
    } else if (roll < 0.95) {
      const shuffled = rng.shuffle([...c.ids]);
      const cut = rng.int(1, 5);
      c.partition(shuffled.slice(0, cut), shuffled.slice(cut));
    } else if (roll < 0.97) c.heal();
    else c.tick(id);
  }
  if (failure !== undefined) return failure;
  // Heal everything, then a proposal must commit within a bounded number of rounds.
  c.heal();
  c.cancelPendingCrashes();
  for (const id of c.ids) if (c.nodes.get(id) === undefined) c.restart(id);
  for (let round = 0; round < 400 && failure === undefined; round++) {
    c.tickAll(1);
    const leader = c.leader();
    if (leader !== undefined && c.node(leader).confState.outgoing.length === 0) {
      const before = c.node(leader).commitIndex;
      c.request(leader, { type: "propose", data: encodeKvCommand({ client: 2, seq: ++seq, op: { type: "put", key: "z", value: "1" } }), tag: seq });
      c.stabilize();
      c.tickAll(2);
      const now = c.leader();
      if (now !== undefined && c.node(now).commitIndex > before) return failure;
    }
  }
  const status = c.ids.map((id) => {
    const n = c.node(id);
    return `${id} ${n.role} t${n.term} lead=${n.leader ?? "-"} commit=${n.commitIndex} last=${n.lastIndex}/${String(n.entryTerm(n.lastIndex))} voters=${n.confState.voters.join(",")} out=${n.confState.outgoing.join(",")}`;
  });
  return failure ?? `seed ${seed}: no commit within 400 rounds after healing\n${status.join("\n")}`;
}

describe("membership changes under faults (randomized, TestCluster)", () => {
  it(`keeps every Raft.tla invariant twin and recovers liveness over ${SEEDS} seeds`, () => {
    const failures: string[] = [];
    for (let seed = 1; seed <= SEEDS && failures.length === 0; seed++) {
      const problem = runSeed(seed);
      if (problem !== undefined) failures.push(problem);
    }
    expect(failures).toEqual([]);
    expect(jointEntered).toBeGreaterThan(SEEDS);
    expect(leadersRemoved).toBeGreaterThan(0);
  });
});
