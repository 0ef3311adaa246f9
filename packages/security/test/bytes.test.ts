import { describe, expect, it } from "vitest";
import { bigIntToBytesBE, bytesToBigIntBE, concatBytes, equalBytes, fromHex, toHex } from "../src/index.js";

describe("byte helpers", () => {
  it("hex round-trips and rejects malformed hex with typed errors", () => {
    expect(toHex(fromHex("00ff10ab"))).toBe("00ff10ab");
    expect(toHex(fromHex("0xABCD"))).toBe("abcd");
    expect(() => fromHex("abc")).toThrow(expect.objectContaining({ code: "crypto", reason: "bad-length" }));
    expect(() => fromHex("zz")).toThrow(expect.objectContaining({ reason: "non-canonical" }));
    expect(() => fromHex("+1")).toThrow(expect.objectContaining({ reason: "non-canonical" }));
  });
  it("compares, concatenates and converts integers", () => {
    expect(equalBytes(Uint8Array.of(1, 2), Uint8Array.of(1, 2))).toBe(true);
    expect(equalBytes(Uint8Array.of(1, 2), Uint8Array.of(1, 3))).toBe(false);
    expect(equalBytes(Uint8Array.of(1), Uint8Array.of(1, 0))).toBe(false);
    expect(concatBytes(Uint8Array.of(1), new Uint8Array(0), Uint8Array.of(2, 3))).toEqual(Uint8Array.of(1, 2, 3));
    expect(bytesToBigIntBE(bigIntToBytesBE(0x0102_0304n, 8))).toBe(0x0102_0304n);
    expect(() => bigIntToBytesBE(256n, 1)).toThrow(expect.objectContaining({ reason: "bad-parameters" }));
  });
});
