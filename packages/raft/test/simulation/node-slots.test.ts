import { describe, expect, it } from "vitest";
import { NodeSlots } from "../../src/simulation/node-slots.js";

describe("NodeSlots", () => {
  it("gives each node id one slot, whether or not the caller names its member position", () => {
    const slots = new NodeSlots();
    const a = slots.get("n1", 0);
    const b = slots.get("n2", 1);
    expect(a.id).toBe("n1");
    expect(b.id).toBe("n2");
    expect(slots.get("n1", 0)).toBe(a);
    expect(slots.get("n1")).toBe(a);
    expect(slots.get("n2")).toBe(b);
    expect(slots.get("n1")).toBe(a);
    expect(slots.get("n3")).not.toBe(a);
  });

  it("finds the slot by id when a position names another node, and remembers the new position", () => {
    const slots = new NodeSlots();
    const a = slots.get("n1", 0);
    const b = slots.get("n2", 1);
    expect(slots.get("n2", 0)).toBe(b);
    expect(slots.get("n1", 1)).toBe(a);
    expect(slots.get("n1", 1)).toBe(a);
    expect(slots.get("n2", 0)).toBe(b);
  });

  it("ignores positions it cannot index by (negative, fractional, huge)", () => {
    const slots = new NodeSlots();
    const a = slots.get("n1", -1);
    expect(slots.get("n1", 0.5)).toBe(a);
    expect(slots.get("n1", 1e9)).toBe(a);
    expect(slots.get("n1", 0)).toBe(a);
  });
});
