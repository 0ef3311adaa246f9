import { describe, expect, it } from "vitest";
import { encodeKvQuery } from "../../src/kv/kv-command.js";
import { handleHeartbeatResponse } from "../../src/rules/heartbeat.js";
import { handleRead } from "../../src/rules/reads.js";
import { handleAppendResponse } from "../../src/rules/replication.js";
import { elect, raftState, sent } from "../support/state.js";

const query = encodeKvQuery("x");
const outputs = (r: ReturnType<typeof raftState>): string[] => r.out.finish().output.map((o) => o.type);

describe("ReadIndex reads", () => {
  it("wait for this term's first commit, then for a heartbeat round a quorum acknowledges", () => {
    const r = elect(raftState());
    r.out.finish();
    handleRead(r, 1, query);
    expect([r.readsBeforeCommit.length, sent(r)]).toEqual([1, []]);
    handleAppendResponse(r, "n2", { type: "appendResponse", term: 1, index: 1, reject: false, hintIndex: 0, hintTerm: 0 });
    r.log.applied = r.log.committed; // (the node applies before serving)
    handleRead(r, 2, query); // this one queues at once: the commit index is of this term now
    const rounds = sent(r).filter((e) => e.message.type === "heartbeat");
    expect(rounds.length).toBeGreaterThan(0);
    expect(outputs(r)).not.toContain("read");
    handleHeartbeatResponse(r, "n3", { type: "heartbeatResponse", term: 1, context: r.heartbeatRound });
    expect(outputs(r)).toEqual(["read", "read"]);
  });

  it("a follower refuses", () => {
    const r = raftState();
    handleRead(r, 1, query);
    expect(outputs(r)).toEqual(["refused"]);
  });
});
