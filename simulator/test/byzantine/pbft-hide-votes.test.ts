import { describe, expect, it } from "vitest";
import { pbftSimulation } from "@synod/pbft";
import { createKvModel } from "@synod/lincheck";
import { nodeIds } from "@synod/core";
import { withLinearizability } from "../../src/checks/linearizable.js";
import { runSimulation } from "../../src/engine/run-simulation.js";
import { chooseByzantine } from "../../src/byzantine/choose-byzantine.js";
import { PBFT_STRATEGIES, PBFT_TARGETED_STRATEGIES } from "../../src/byzantine/pbft-strategies.js";

const ordered = withLinearizability(pbftSimulation, createKvModel());

describe("hide-votes: colluding replicas hiding their votes from all but q − 1 − F correct replicas", () => {
  // Seeds 1016 and 1041 of the catalogue's detector (pbft, 7 replicas, 2 faulty, no other fault) are
  // where pbft/committed-2f (commit on q − 1 commits) breaks ViewChangeSafety; n1, the primary of
  // view 0, is faulty in both.
  it.each([
    [1016, ["n6", "n1"]],
    [1041, ["n1", "n3"]],
  ])("pbft 7 replicas, seed %i: the hidden batches stall view 0, the view changes, every invariant holds", (seed, faulty) => {
    const choice = chooseByzantine("pbft", nodeIds(7), 2, seed, "hide-votes");
    expect(Object.keys(choice.strategies)).toEqual(faulty);
    expect(Object.values(choice.strategies)).toEqual(["hide-votes", "hide-votes"]);
    const result = runSimulation(ordered, { seed, nodes: 7, durationMs: 3000, byzantine: choice.adversaries });
    expect(result.violations).toEqual([]);
    expect(result.metrics.newViews).toBeGreaterThan(0);
    expect(result.history.filter((e) => e.type === "ok").length).toBeGreaterThan(100);
  });

  it("is never drawn, only named", () => {
    expect(PBFT_TARGETED_STRATEGIES).toContain("hide-votes");
    expect(PBFT_STRATEGIES as readonly string[]).not.toContain("hide-votes");
  });
});
