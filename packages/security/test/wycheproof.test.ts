// Project Wycheproof vectors (Ed25519, X25519, HMAC-SHA256, HKDF-SHA256, BLS POP verify), read from
// SYNOD_DATA_DIR/crypto-vectors, against every implementation synod has of each primitive, and each
// pair of implementations must agree on every case. Skips with a message when the data is absent.
import { describe, expect, it } from "vitest";
import { blsVerify, checkedX25519, CryptoError, fromHex, hkdfSha256, nobleProvider, nobleX25519, toHex, type X25519Function } from "../src/index.js";
import { nodeProvider, nodeX25519 } from "../src/node.js";
import { allTests, hex, wycheproof, type WycheproofGroup } from "./crypto-vectors.js";
import { PROVIDERS } from "./helpers.js";

const ED25519 = wycheproof("ed25519_test.json");
const X25519 = wycheproof("x25519_test.json");
const HMAC = wycheproof("hmac_sha256_test.json");
const HKDF = wycheproof("hkdf_sha256_test.json");
const BLS = wycheproof("bls_sig_g2_pop_verify_test.json");

/** The real Ed25519 providers (the ideal provider's signatures are HMACs, not Ed25519, by design). */
const ED25519_PROVIDERS = [nobleProvider, nodeProvider];

function title(name: string, missing: string | undefined): string {
  return missing === undefined ? name : `${name}: ${missing}`;
}

function groupKey(group: WycheproofGroup, field: string): Uint8Array {
  return fromHex(hex(group[field] as { readonly [field: string]: unknown }, "pk"));
}

describe.skipIf(ED25519.missing !== undefined)(title("Wycheproof Ed25519 (ed25519_test.json)", ED25519.missing), () => {
  it("has its 151 tests", () => expect(allTests(ED25519.content)).toHaveLength(151));
  it("both providers accept exactly the valid signatures and agree on every test", () => {
    for (const { group, test } of allTests(ED25519.content)) {
      const key = groupKey(group, "publicKey");
      const verdicts = ED25519_PROVIDERS.map((provider) => provider.verify(key, fromHex(hex(test, "msg")), fromHex(hex(test, "sig"))));
      expect(verdicts, `tcId ${test.tcId} (${test.comment})`).toEqual(ED25519_PROVIDERS.map(() => test.result === "valid"));
    }
  });
});

type X25519Outcome = string;

function x25519Outcome(implementation: X25519Function, scalar: Uint8Array, u: Uint8Array): X25519Outcome {
  try {
    return toHex(checkedX25519(implementation, scalar, u));
  } catch (error) {
    if (!(error instanceof CryptoError)) throw error;
    return `refused: ${error.reason}`;
  }
}

describe.skipIf(X25519.missing !== undefined)(title("Wycheproof X25519 (x25519_test.json)", X25519.missing), () => {
  const implementations: [string, X25519Function][] = [["noble", nobleX25519], ["node", nodeX25519]];
  it("has its 518 tests", () => expect(allTests(X25519.content)).toHaveLength(518));
  it("both implementations compute every valid shared secret and agree on every test", () => {
    for (const { test } of allTests(X25519.content)) {
      const [noble, node] = implementations.map(([, f]) => x25519Outcome(f, fromHex(hex(test, "private")), fromHex(hex(test, "public"))));
      expect(noble, `tcId ${test.tcId} (${test.comment}): noble and node:crypto agree`).toBe(node);
      if (test.result === "valid") expect(noble, `tcId ${test.tcId}`).toBe(hex(test, "shared"));
    }
  });
  it("refuses exactly the low-order peer keys (all-zero shared secret) and computes the other acceptable cases", () => {
    for (const { test } of allTests(X25519.content)) {
      const outcome = x25519Outcome(nobleX25519, fromHex(hex(test, "private")), fromHex(hex(test, "public")));
      // Both libraries throw on an all-zero result themselves (CryptoError `not-on-curve` once wrapped);
      // checkedX25519 would refuse it with `small-order` if one did not.
      if (test.flags.includes("ZeroSharedSecret")) expect(outcome, `tcId ${test.tcId} (${test.comment})`).toMatch(/^refused: /);
      else expect(outcome, `tcId ${test.tcId} (${test.comment})`).toBe(hex(test, "shared"));
    }
  });
});

describe.skipIf(HMAC.missing !== undefined)(title("Wycheproof HMAC-SHA256 (hmac_sha256_test.json)", HMAC.missing), () => {
  it("has its 174 tests", () => expect(allTests(HMAC.content)).toHaveLength(174));
  it.each(PROVIDERS)("%s: the (possibly truncated) tag matches exactly on the valid tests", (_name, provider) => {
    for (const { group, test } of allTests(HMAC.content)) {
      const tagBytes = (group.tagSize as number) / 8;
      const tag = toHex(provider.hmacSha256(fromHex(hex(test, "key")), fromHex(hex(test, "msg"))).subarray(0, tagBytes));
      expect(tag === hex(test, "tag"), `tcId ${test.tcId} (${test.comment})`).toBe(test.result === "valid");
    }
  });
});

describe.skipIf(HKDF.missing !== undefined)(title("Wycheproof HKDF-SHA256 (hkdf_sha256_test.json)", HKDF.missing), () => {
  it("has its 86 tests", () => expect(allTests(HKDF.content)).toHaveLength(86));
  it.each(PROVIDERS)("%s: every valid output matches; every oversized request is refused with bad-parameters", (_name, provider) => {
    for (const { test } of allTests(HKDF.content)) {
      const derive = (): string => toHex(hkdfSha256(provider, fromHex(hex(test, "ikm")), fromHex(hex(test, "salt")), fromHex(hex(test, "info")), test.size as number));
      if (test.result === "valid") expect(derive(), `tcId ${test.tcId}`).toBe(hex(test, "okm"));
      else expect(derive, `tcId ${test.tcId} (${test.comment})`).toThrow(expect.objectContaining({ reason: "bad-parameters" }));
    }
  });
});

describe.skipIf(BLS.missing !== undefined)(title("Wycheproof BLS12-381 POP verify (bls_sig_g2_pop_verify_test.json)", BLS.missing), () => {
  it("has its 26 tests", () => expect(allTests(BLS.content)).toHaveLength(26));
  it("blsVerify accepts exactly the valid signatures (one implementation: @noble/curves)", () => {
    for (const { group, test } of allTests(BLS.content)) {
      const verdict = blsVerify(groupKey(group, "publicKey"), fromHex(hex(test, "msg")), fromHex(hex(test, "sig")));
      expect(verdict, `tcId ${test.tcId} (${test.comment})`).toBe(test.result === "valid");
    }
  });
});
