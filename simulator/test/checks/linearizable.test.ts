import { nameViolation, type ClusterView, type HistoryEvent, type ProtocolNode, type SimulationTarget } from "@synod/core";
import { createKvModel, type KvOp, type KvResult } from "@synod/lincheck";
import { describe, expect, it } from "vitest";
import { broadcastSimulation, LINEARIZABLE, withLinearizability } from "../../src/index.js";

type AnyNode = ProtocolNode<unknown, unknown, unknown, unknown>;

/** The broadcast target seen as one with KV operations (only its invariant list and the history matter here). */
const base = broadcastSimulation as unknown as SimulationTarget<AnyNode, unknown, unknown, unknown, unknown, KvOp, KvResult>;

function endCheck(history: HistoryEvent<KvOp, KvResult>[]): string | undefined {
  const target = withLinearizability(base, createKvModel());
  const invariant = target.createInvariants().find((i) => i.name === LINEARIZABLE);
  expect(invariant).toBeDefined();
  const view: ClusterView<AnyNode, KvOp, KvResult> = { nowMs: 0, members: [], nodes: new Map(), history };
  return invariant === undefined ? undefined : nameViolation(invariant, invariant.atEnd?.(view))?.message;
}

describe("withLinearizability", () => {
  it("keeps the target's own invariants and adds Linearizable", () => {
    const names = withLinearizability(base, createKvModel()).createInvariants().map((i) => i.name);
    expect(names).toEqual([...broadcastSimulation.createInvariants().map((i) => i.name), LINEARIZABLE]);
  });

  it("passes a linearizable history", () => {
    expect(
      endCheck([
        { type: "invoke", id: 1, client: 0, timeMs: 0, op: { type: "put", key: "x", value: "1" } },
        { type: "ok", id: 1, client: 0, timeMs: 1, result: { ok: true } },
        { type: "invoke", id: 2, client: 1, timeMs: 2, op: { type: "get", key: "x" } },
        { type: "ok", id: 2, client: 1, timeMs: 3, result: { ok: true, value: "1" } },
      ]),
    ).toBeUndefined();
  });

  it("reports a stale read after a completed write", () => {
    const problem = endCheck([
      { type: "invoke", id: 1, client: 0, timeMs: 0, op: { type: "put", key: "x", value: "1" } },
      { type: "ok", id: 1, client: 0, timeMs: 1, result: { ok: true } },
      { type: "invoke", id: 2, client: 1, timeMs: 2, op: { type: "get", key: "x" } },
      { type: "ok", id: 2, client: 1, timeMs: 3, result: { ok: true, value: null } },
    ]);
    expect(problem).toMatch(/not linearizable/);
  });
});
