import { describe, expect, it } from "vitest";
import { describeFault } from "../../src/report/describe-fault.js";

const ids = ["n1", "n2", "n3"];

describe("describeFault: one line per fault episode, as the run report lists them", () => {
  it("names the crashed node of a plain crash", () => {
    expect(describeFault({ kind: "crash", atMs: 1200, node: 1, downMs: 300, mode: "clean", torn: false, corrupt: false }, ids)).toContain("crash n2 (clean), down 300 ms");
  });

  it("says 'the leader' for an aimed crash, never its placeholder node", () => {
    const line = describeFault({ kind: "crash", atMs: 1200, node: 0, downMs: 300, mode: "before-sync", torn: false, corrupt: false, aim: "leader" }, ids);
    expect(line).toContain("crash the leader (before-sync), down 300 ms");
    expect(line).not.toContain("n1");
  });
});
