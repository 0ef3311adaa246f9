import { describe, expect, it } from "vitest";
import { SynodError } from "@synod/core";
import { resolvePbftConfig } from "../src/config.js";

describe("PBFT configuration", () => {
  it("accepts the largest batch and window the wire carries", () => {
    expect(resolvePbftConfig({ batchMax: 1024, windowSize: 1024, checkpointInterval: 16 })).toMatchObject({ batchMax: 1024, windowSize: 1024 });
  });

  it("certificates: signatures by default, threshold on request, anything else refused", () => {
    expect(resolvePbftConfig().certificates).toBe("signatures");
    expect(resolvePbftConfig({ certificates: "threshold" }).certificates).toBe("threshold");
    expect(() => resolvePbftConfig({ certificates: "bls" as never })).toThrow(/certificates must be one of signatures, threshold/);
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

  it("refuses a slow-primary defence that is not a boolean, and an expectation that is not a positive whole number of ticks", () => {
    expect(() => resolvePbftConfig({ replaceSlowPrimary: "yes" as unknown as boolean })).toThrow(/replaceSlowPrimary must be a boolean/);
    expect(() => resolvePbftConfig({ slowPrimaryFactor: 0 })).toThrow(/slowPrimaryFactor must be a positive integer/);
    expect(() => resolvePbftConfig({ slowPrimaryMinTicks: 2.5 })).toThrow(/slowPrimaryMinTicks must be a positive integer/);
    expect(resolvePbftConfig({ replaceSlowPrimary: false })).toMatchObject({ replaceSlowPrimary: false, slowPrimaryFactor: 4, slowPrimaryMinTicks: 10 });
  });
});
