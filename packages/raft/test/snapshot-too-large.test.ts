import { createRng, FRESH_STATE } from "@synod/core";
import { describe, expect, it } from "vitest";
import type { Entry } from "../src/entry.js";
import type { RaftOutput } from "../src/io.js";
import { MAX_SNAPSHOT_BYTES } from "../src/limits.js";
import { RaftNode } from "../src/raft-node.js";
import type { StateMachine } from "../src/state-machine.js";

/** A state machine whose snapshot outgrows the limit after `smallFor` applies; counts snapshot calls. */
class GrowingStateMachine implements StateMachine<undefined> {
  applied = 0;
  snapshots = 0;
  constructor(private readonly smallFor: number) {}
  apply(_entry: Entry & { readonly type: "normal" }): undefined {
    this.applied++;
    return undefined;
  }
  read(): undefined {
    return undefined;
  }
  snapshot(): Uint8Array {
    this.snapshots++;
    return new Uint8Array(this.applied > this.smallFor ? MAX_SNAPSHOT_BYTES + 1 : 8);
  }
  restore(): void {}
}

describe("a snapshot over the limit", () => {
  it("raises one alarm and backs off, instead of re-serialising the state on every apply", () => {
    const sm = new GrowingStateMachine(15);
    const node = new RaftNode({ ctx: { id: "n1", members: ["n1"], rng: createRng(1), recovered: FRESH_STATE }, stateMachine: sm, config: { snapshotIntervalEntries: 10 } });
    node.request({ type: "campaign" });
    const outputs: RaftOutput<undefined>[] = [];
    for (let i = 0; i < 400; i++) outputs.push(...node.request({ type: "propose", data: new Uint8Array([1]), tag: i }).output);
    expect(sm.applied).toBe(400);
    expect(node.metrics.snapshotsTooLarge).toBeGreaterThan(0);
    // Attempts after the first refusal double their spacing: a handful, not one per apply.
    expect(sm.snapshots).toBeLessThanOrEqual(8);
    const alarms = outputs.filter((o) => o.type === "alarm");
    expect(alarms).toHaveLength(1);
    expect(alarms[0]?.type === "alarm" && alarms[0].reason).toMatch(/snapshot/);
  });
});
