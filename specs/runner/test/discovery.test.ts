import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { discoverModels } from "../discovery.js";

const root = mkdtempSync(join(tmpdir(), "synod-specs-discovery-"));
const write = (path: string): void => {
  mkdirSync(join(root, path, ".."), { recursive: true });
  writeFileSync(join(root, path), "");
};
write("raft/Raft.tla");
write("raft/MCRaft.tla");
write("raft/MCRaft.cfg");
write("raft/MCRaftSmall.cfg"); // no MCRaftSmall.tla: a broken pairing
write("crdt/MCCrdt.tla");
write("crdt/MCCrdt.cfg");
write("quorum/Quorum.tla"); // no cfg: nothing to check
write("runner/ignored.cfg");
write("raft/RaftTrace.tla");
write("raft/RaftTrace.cfg"); // trace validation (pnpm specs validate), not a model
write("README.md");
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("discoverModels", () => {
  it("pairs each cfg with its module, sorted, skipping the runner folder and trace-validation configs", () => {
    const models = discoverModels(root);
    expect(models.map((m) => `${m.protocol}/${m.config}:${m.module}`)).toEqual([
      "crdt/MCCrdt.cfg:MCCrdt.tla",
      "raft/MCRaft.cfg:MCRaft.tla",
      "raft/MCRaftSmall.cfg:MCRaftSmall.tla",
    ]);
    expect(models[0]?.dir).toBe(join(root, "crdt"));
    expect(models[1]?.problem).toBeUndefined();
    expect(models[2]?.problem).toBe("MCRaftSmall.cfg has no MCRaftSmall.tla beside it");
  });

  it("filters by protocol and rejects an unknown one", () => {
    expect(discoverModels(root, ["crdt"]).map((m) => m.config)).toEqual(["MCCrdt.cfg"]);
    expect(discoverModels(root, ["quorum"])).toEqual([]);
    expect(() => discoverModels(root, ["pbft"])).toThrow(/no spec folder specs\/pbft \(known: crdt, quorum, raft\)/);
  });

  it("finds the committed broadcast models in this repository", () => {
    const specs = new URL("../..", import.meta.url).pathname;
    const broadcast = discoverModels(specs, ["broadcast"]);
    expect(broadcast.map((m) => m.config)).toContain("MCBroadcast.cfg");
    expect(broadcast.every((m) => m.problem === undefined)).toBe(true);
  });
});
