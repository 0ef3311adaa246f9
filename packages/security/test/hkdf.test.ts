import { describe, expect, it } from "vitest";
import { fromHex, hkdfSha256, toHex } from "../src/index.js";
import { PROVIDERS } from "./helpers.js";

const range = (from: number, to: number): Uint8Array => Uint8Array.from({ length: to - from }, (_, i) => from + i);

describe.each(PROVIDERS)("HKDF-SHA256 (RFC 5869 appendix A): %s", (_name, provider) => {
  it("A.1 basic", () => {
    const okm = hkdfSha256(provider, fromHex("0b".repeat(22)), fromHex("000102030405060708090a0b0c"), fromHex("f0f1f2f3f4f5f6f7f8f9"), 42);
    expect(toHex(okm)).toBe("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
  });
  it("A.2 longer inputs and outputs (three blocks)", () => {
    const okm = hkdfSha256(provider, range(0x00, 0x50), range(0x60, 0xb0), range(0xb0, 0x100), 82);
    expect(toHex(okm)).toBe(
      "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87",
    );
  });
  it("A.3 empty salt and info", () => {
    expect(toHex(hkdfSha256(provider, fromHex("0b".repeat(22)), new Uint8Array(0), new Uint8Array(0), 42))).toBe(
      "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8",
    );
  });
  it("rejects out-of-range lengths with a typed error", () => {
    expect(() => hkdfSha256(provider, new Uint8Array(1), new Uint8Array(0), new Uint8Array(0), 0)).toThrow(expect.objectContaining({ reason: "bad-parameters" }));
    expect(() => hkdfSha256(provider, new Uint8Array(1), new Uint8Array(0), new Uint8Array(0), 255 * 32 + 1)).toThrow(expect.objectContaining({ reason: "bad-parameters" }));
  });
});
