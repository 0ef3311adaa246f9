import { ConfigError } from "@synod/core";
import { describe, expect, it } from "vitest";
import { DEFAULT_RAFT_CONFIG, validateRaftConfig, type RaftConfig } from "../src/config.js";

describe("validateRaftConfig", () => {
  it("accepts the defaults and fills in missing fields", () => {
    expect(validateRaftConfig()).toEqual(DEFAULT_RAFT_CONFIG);
    expect(validateRaftConfig({ electionTimeoutTicks: 20 }).electionTimeoutTicks).toBe(20);
  });

  const bad: [Partial<RaftConfig>, keyof RaftConfig][] = [
    [{ electionTimeoutTicks: 1 }, "electionTimeoutTicks"],
    [{ electionTimeoutTicks: 2.5 }, "electionTimeoutTicks"],
    [{ heartbeatTicks: 0 }, "heartbeatTicks"],
    [{ heartbeatTicks: 10, electionTimeoutTicks: 10 }, "heartbeatTicks"],
    [{ maxEntriesPerMessage: 0 }, "maxEntriesPerMessage"],
    [{ maxInflightMessages: -1 }, "maxInflightMessages"],
    [{ maxBytesPerMessage: 2 << 20 }, "maxBytesPerMessage"],
    [{ snapshotIntervalEntries: -1 }, "snapshotIntervalEntries"],
    [{ readMode: "lease", checkQuorum: false }, "readMode"],
    [{ readMode: "whatever" as "lease" }, "readMode"],
    [{ leaseSafetyMarginTicks: 10 }, "leaseSafetyMarginTicks"],
    [{ preVote: "yes" as unknown as boolean }, "preVote"],
  ];
  for (const [partial, field] of bad) {
    it(`rejects ${JSON.stringify(partial)} naming ${field}`, () => {
      let error: unknown;
      try {
        validateRaftConfig(partial);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).field).toBe(field);
    });
  }
});
