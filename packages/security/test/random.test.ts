import { describe, expect, it } from "vitest";
import { createRng } from "@synod/core";
import { seededRandomBytes, toHex } from "../src/index.js";

describe("seededRandomBytes", () => {
  it("is reproducible from the seed and differs between seeds and calls", () => {
    const a = seededRandomBytes(1);
    const b = seededRandomBytes(1);
    const first = toHex(a(33));
    expect(first).toBe(toHex(b(33)));
    expect(toHex(a(33))).not.toBe(first);
    expect(toHex(seededRandomBytes(2)(33))).not.toBe(first);
    expect(toHex(seededRandomBytes(createRng(1))(33))).toBe(first);
  });
  it("bounds requests", () => {
    expect(seededRandomBytes(1)(0).length).toBe(0);
    expect(() => seededRandomBytes(1)(-1)).toThrow(expect.objectContaining({ code: "config" }));
    expect(() => seededRandomBytes(1)(1 << 20)).toThrow(expect.objectContaining({ code: "config" }));
  });
});
