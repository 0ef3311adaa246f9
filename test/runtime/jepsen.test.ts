/**
 * End to end, the way Jepsen tests: a real synod-kv cluster (3 Raft processes, 4 PBFT ones; 5 Raft with SYNOD_JEPSEN_FULL=1),
 * concurrent clients with sessions, and a nemesis that SIGKILLs and restarts nodes, SIGSTOPs them,
 * and partitions them through a fault-injecting proxy on every link (cut, one-way cut, delay).
 * After healing, final reads of every key join the history, which @synod/lincheck must find
 * linearizable — so an acknowledged write that was lost (or a stale read) fails the test.
 * Seeded: the nemesis schedule and the workload's choices come from a printed seed (SYNOD_JEPSEN_SEED
 * replays the choices; real timing still varies). Loopback only; bounded in time; stops by itself.
 */
import { createRng, type Rng } from "@synod/core";
import { checkOperations, createKvModel, operationsFromHistory } from "@synod/lincheck";
import type { KvOp } from "@synod/raft";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KvClient } from "synod-kv";
import { afterAll, describe, expect, it } from "vitest";
import { HistoryRecorder } from "./support/history-recorder.js";
import { ProcessCluster } from "./support/process-cluster.js";

const FULL = process.env.SYNOD_JEPSEN_FULL === "1";
const SEED = Number(process.env.SYNOD_JEPSEN_SEED ?? 20261205);
const KEYS = ["k0", "k1", "k2", "k3", "k4"];
const dirs: string[] = [];
afterAll(() => {
  if (process.env.SYNOD_JEPSEN_KEEP !== "1") for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

type Fault = "kill" | "pause" | "isolate" | "one-way" | "delay";
const FAULTS: readonly Fault[] = ["kill", "pause", "isolate", "one-way", "delay"];

/** One fault, held for `holdMs`, then healed (a killed node is restarted). */
async function injectFault(cluster: ProcessCluster, rng: Rng, fault: Fault, holdMs: number): Promise<string> {
  const ids = cluster.ids;
  const victim = ids[rng.int(0, ids.length)] as string;
  const other = ids.filter((id) => id !== victim)[rng.int(0, ids.length - 1)] as string;
  switch (fault) {
    case "kill":
      await cluster.kill(victim);
      await sleep(holdMs);
      cluster.restart(victim);
      // One node faulty at a time: the next fault waits until this one serves again.
      return `kill -9 ${victim}, restart after ${holdMs} ms (serving ${await cluster.waitUntilServing(victim, 60_000)} ms later)`;
    case "pause":
      cluster.pause(victim);
      await sleep(holdMs);
      cluster.resumeAll();
      return `SIGSTOP ${victim} for ${holdMs} ms`;
    case "isolate":
      cluster.isolate(victim);
      await sleep(holdMs);
      cluster.heal();
      return `isolate ${victim} for ${holdMs} ms`;
    case "one-way":
      cluster.cutOneWay(victim, other);
      cluster.cutOneWay(victim, ids.find((id) => id !== victim && id !== other) as string);
      await sleep(holdMs);
      cluster.heal();
      return `cut ${victim} → others one way for ${holdMs} ms`;
    case "delay":
      cluster.delayNode(victim, 40);
      await sleep(holdMs);
      cluster.heal();
      return `delay ${victim}'s links by 40 ms for ${holdMs} ms`;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function randomOp(rng: Rng, process: number, n: number): KvOp {
  const key = KEYS[rng.int(0, KEYS.length)] as string;
  const value = `p${process}-${n}`; // distinct values: a read names the write it saw
  const roll = rng.int(0, 100);
  if (roll < 40) return { type: "get", key };
  if (roll < 75) return { type: "put", key, value };
  if (roll < 95) return { type: "cas", key, expected: `p${rng.int(0, 6)}-${rng.int(0, Math.max(1, n))}`, value };
  return { type: "delete", key };
}

async function jepsenRun(nodes: number, workloadMs: number, protocol: "raft" | "pbft" = "raft"): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), `synod-jepsen-${protocol}-${nodes}-`));
  dirs.push(dir);
  const rng = createRng(SEED + nodes);
  process.stderr.write(`jepsen ${protocol} ${nodes} nodes: seed ${SEED} (SYNOD_JEPSEN_SEED=${SEED} replays the choices), logs in ${dir}\n`);
  const cluster = await ProcessCluster.start(dir, nodes, protocol);
  try {
    await cluster.waitForLeader(40_000);
    const recorder = new HistoryRecorder();
    const outcomes = { ok: 0, fail: 0, unknown: 0 };
    const stopAt = Date.now() + workloadMs;
    // The workload runs for workloadMs and at least until the nemesis has run every kind of fault
    // (restarts are slow on a loaded machine, and the nemesis waits for each one).
    let nemesisDone = false;
    const clients = Array.from({ length: 6 }, (_, p) => ({ p, client: new KvClient({ endpoints: cluster.endpoints, deadlineMs: 4_000, attemptTimeoutMs: 1_000 }), rng: rng.fork(`client${p}`) }));
    const workload = Promise.all(
      clients.map(async ({ p, client, rng: r }) => {
        for (let n = 0; !nemesisDone || Date.now() < stopAt; n++) {
          outcomes[await recorder.run(p, client, randomOp(r, p, n))]++;
          await sleep(r.int(0, 20));
        }
      }),
    );
    const nemesisRng = rng.fork("nemesis");
    const injected: string[] = [];
    const nemesis = (async () => {
      await sleep(1_000);
      for (let i = 0; i < FAULTS.length || Date.now() < stopAt - 2_500; i++) {
        injected.push(await injectFault(cluster, nemesisRng, FAULTS[i % FAULTS.length] as Fault, nemesisRng.int(600, 1_500)));
        await sleep(nemesisRng.int(200, 600));
      }
      nemesisDone = true;
    })();
    await Promise.all([workload, nemesis]);
    process.stderr.write(`nemesis: ${injected.join("; ")}\n`);

    // Heal, bring every node back, and read every key: these reads close the history.
    cluster.heal();
    for (const id of cluster.ids) cluster.restart(id);
    await cluster.waitForLeader(40_000);
    const reader = new KvClient({ endpoints: cluster.endpoints, deadlineMs: 10_000 });
    for (const key of KEYS) expect(await recorder.run(99, reader, { type: "get", key }), `final read of ${key}`).toBe("ok");

    const check = checkOperations(createKvModel(), operationsFromHistory(recorder.events), { timeoutMs: 30_000 });
    process.stderr.write(`history: ${recorder.events.length} events, ${JSON.stringify(outcomes)}, linearizable ${String(check.linearizable)}\n`);
    if (check.linearizable !== true) process.stderr.write(`${check.witness?.text ?? ""}\n`);
    expect(check.linearizable).toBe(true);
    expect(injected.length, "the nemesis ran every kind of fault").toBeGreaterThanOrEqual(FAULTS.length);
    expect(outcomes.ok, "clients made progress through the faults").toBeGreaterThanOrEqual(10);
  } finally {
    await cluster.stop();
  }
}

describe("synod-kv under a Jepsen-style nemesis (real processes, loopback)", () => {
  it("3 nodes: kill -9 / restart, SIGSTOP, partitions, one-way cuts and delays; the history is linearizable", async () => {
    await jepsenRun(3, 12_000);
  }, 120_000);

  it("PBFT, 4 nodes (f = 1): the same nemesis, one replica faulty at a time; the history is linearizable", async () => {
    await jepsenRun(4, 12_000, "pbft");
  }, 120_000);

  it.runIf(FULL)("5 nodes (SYNOD_JEPSEN_FULL=1): the same nemesis over a longer run", async () => {
    await jepsenRun(5, 30_000);
  }, 240_000);
});
