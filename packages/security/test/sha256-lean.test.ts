import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { describe, expect, it } from "vitest";
import { seededRandomBytes, toHex, utf8 } from "../src/index.js";
import { leanHmacSha256, leanHmacSha256Of, leanSha256 } from "../src/sha256-lean.js";

/** @returns `data` cut into pieces at the offsets `random` draws (some empty) */
function split(data: Uint8Array, random: (n: number) => Uint8Array): Uint8Array[] {
  const parts: Uint8Array[] = [];
  let at = 0;
  while (at < data.length) {
    const take = Math.min(data.length - at, (random(1)[0] as number) % 90);
    parts.push(data.subarray(at, at + take));
    at += take;
  }
  return parts;
}

describe("lean SHA-256 and HMAC-SHA256 (the ideal provider's)", () => {
  it("FIPS 180-4's examples: abc, the 448-bit message, and the empty string", () => {
    expect(toHex(leanSha256(utf8("abc")))).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(toHex(leanSha256(utf8("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")))).toBe(
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
    );
    expect(toHex(leanSha256())).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  });

  it("RFC 4231 case 2 (a key shorter than a block) and case 6 (a key longer than a block)", () => {
    expect(toHex(leanHmacSha256(utf8("Jefe"))(utf8("what do ya want for nothing?")))).toBe(
      "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
    );
    expect(toHex(leanHmacSha256(new Uint8Array(131).fill(0xaa))(utf8("Test Using Larger Than Block-Size Key - Hash Key First")))).toBe(
      "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
    );
  });

  it("agrees with @noble/hashes on every length 0..300, in one piece and cut into random pieces, under keys of 0..150 bytes", () => {
    const random = seededRandomBytes(11);
    for (let length = 0; length <= 300; length++) {
      const data = random(length);
      const key = random(length % 151);
      const parts = split(data, random);
      expect(toHex(leanSha256(data))).toBe(toHex(sha256(data)));
      expect(toHex(leanSha256(...parts))).toBe(toHex(sha256(data)));
      const tag = leanHmacSha256(key);
      expect(toHex(tag(data))).toBe(toHex(hmac(sha256, key, data)));
      expect(toHex(tag(...parts))).toBe(toHex(hmac(sha256, key, data)));
      expect(toHex(leanHmacSha256Of(key)(data))).toBe(toHex(hmac(sha256, key, data)));
    }
  });

  it("a tag is a new array each call, unchanged by later calls", () => {
    const tag = leanHmacSha256(utf8("k"));
    const first = tag(utf8("one"));
    const copy = first.slice();
    tag(utf8("two"));
    leanSha256(utf8("three"));
    expect(first).toEqual(copy);
    const one = leanHmacSha256Of(utf8("k"));
    const second = one(utf8("one"));
    one(utf8("two"));
    tag(utf8("three"));
    expect(second).toEqual(copy);
  });
});
