import { describe, expect, it } from "vitest";
import { emptyStep, isEmptyStep, StepBuilder } from "@synod/core";

describe("StepBuilder", () => {
  it("returns the shared empty step when nothing was queued", () => {
    const builder = new StepBuilder<string, string, number>();
    expect(builder.finish()).toBe(emptyStep());
    expect(isEmptyStep(builder.finish())).toBe(true);
  });

  it("keeps persist, send and output in order and resets after finish", () => {
    const builder = new StepBuilder<string, string, number>();
    builder.persist(1);
    builder.send({ from: "a", to: "b", message: "m1" });
    builder.output("o1");
    builder.persist(2);
    expect(builder.finish()).toEqual({ persist: [1, 2], send: [{ from: "a", to: "b", message: "m1" }], output: ["o1"] });
    expect(isEmptyStep(builder.finish())).toBe(true);
  });

  it("compact replaces earlier records in the same step and marks the step", () => {
    const builder = new StepBuilder<string, string, number>();
    builder.persist(1);
    builder.compact([10, 11]);
    builder.persist(12);
    expect(builder.finish()).toEqual({ persist: [10, 11, 12], compact: true, send: [], output: [] });
  });
});
