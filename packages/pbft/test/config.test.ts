import { describe, expect, it } from "vitest";
import { SynodError } from "@synod/core";
import { resolvePbftConfig } from "../src/config.js";

describe("PBFT configuration", () => {
  it("accepts the largest batch and window the wire carries", () => {
    expect(resolvePbftConfig({ batchMax: 1024, windowSize: 1024, checkpointInterval: 16 })).toMatchObject({ batchMax: 1024, windowSize: 1024 });
  });

  it("refuses a batch larger than a pre-prepare can carry, saying the limit", () => {
    expect(() => resolvePbftConfig({ batchMax: 1025 })).toThrow(SynodError);
    expect(() => resolvePbftConfig({ batchMax: 1025 })).toThrow(/batchMax \(1025\) must be at most 1024/);
  });

  it("refuses a window whose view-change claims would not fit on the wire, saying the limit", () => {
    expect(() => resolvePbftConfig({ windowSize: 2048, checkpointInterval: 16 })).toThrow(/windowSize \(2048\) must be at most 1024/);
  });

  it("still refuses a window that is not a multiple of at least two checkpoint intervals", () => {
    expect(() => resolvePbftConfig({ windowSize: 24, checkpointInterval: 16 })).toThrow(/multiple of checkpointInterval/);
  });
});
