import { SynodError } from "@synod/core";
import { describe, expect, it } from "vitest";
import { NotLeaderError, RequestRefusedError } from "../src/errors.js";

describe("refusal errors", () => {
  it("are typed SynodErrors carrying their hint and reason", () => {
    const notLeader = new NotLeaderError("n2", "n1");
    expect(notLeader).toBeInstanceOf(SynodError);
    expect(notLeader.code).toBe("not-leader");
    expect(notLeader.leader).toBe("n1");
    expect(notLeader.message).toBe("n2 is not the leader; retry at n1");
    const refused = new RequestRefusedError("too-many-reads", "wait for pending reads");
    expect(refused.code).toBe("limit");
    expect(refused.reason).toBe("too-many-reads");
  });

  it("capture no stack frames and leave the process's stack trace limit as it was", () => {
    const before = Error.stackTraceLimit;
    const notLeader = new NotLeaderError("n2", undefined);
    const refused = new RequestRefusedError("halted", "storage corrupted");
    expect(Error.stackTraceLimit).toBe(before);
    for (const error of [notLeader, refused]) expect(error.stack ?? "").not.toMatch(/\n\s+at /);
    // Other errors still capture frames.
    expect(new SynodError("usage", "x").stack ?? "").toMatch(/\n\s+at /);
  });
});
