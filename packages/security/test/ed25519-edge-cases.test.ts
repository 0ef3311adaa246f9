// The twelve Ed25519 edge cases of "Taming the many EdDSAs" (Chalkias, Garillot, Nikolaenko, SSR 2020),
// read from SYNOD_DATA_DIR/crypto-vectors/ed25519-speccheck-cases.json: synod's policy is "strict"
// (see ED25519_VERIFICATION_POLICY), which accepts exactly case 3. Each case is checked with the rule
// that decides it, on both real providers, and the providers agree.
import { ed25519 } from "@noble/curves/ed25519.js";
import { describe, expect, it } from "vitest";
import {
  bytesToBigIntLE,
  ED25519_GROUP_ORDER,
  ED25519_VERIFICATION_POLICY,
  fromHex,
  isCanonicalFieldEncoding,
  isSmallOrderEncoding,
  nobleProvider,
} from "../src/index.js";
import { nodeProvider } from "../src/node.js";
import { speccheckCases } from "./crypto-vectors.js";

const CASES = speccheckCases();

/** The first rule of the strict policy a case breaks, or "accepted". */
type Decision = "S >= L" | "R non-canonical" | "R small order" | "A non-canonical" | "A small order" | "cofactorless equation fails" | "accepted";

/** What the strict policy decides on each of the twelve cases, and why (case i at index i). */
const STRICT_DECISIONS: readonly Decision[] = [
  "R small order", // 0: S = 0, small-order A and R
  "A small order", // 1: small-order A, mixed-order R
  "R small order", // 2: mixed-order A, small-order R (the case synod accepted before this policy was named)
  "accepted", // 3: mixed-order A and R, both equations hold
  "cofactorless equation fails", // 4: mixed-order A and R, only the cofactored equation holds
  "cofactorless equation fails", // 5: mixed-order A, prime-order R, only the cofactored equation holds
  "S >= L", // 6: S not reduced
  "S >= L", // 7: S far above L
  "R small order", // 8: R = the order-2 point encoded with x = 0 and the sign bit set (non-canonical), k from that encoding
  "R small order", // 9: the same R, k computed from the canonical encoding
  "A small order", // 10: A = the order-2 point encoded with x = 0 and the sign bit set (non-canonical), k from that encoding
  "A small order", // 11: the same A, k computed from the canonical encoding
];

function decide(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): Decision {
  const R = signature.subarray(0, 32);
  if (bytesToBigIntLE(signature.subarray(32, 64)) >= ED25519_GROUP_ORDER) return "S >= L";
  if (!isCanonicalFieldEncoding(R)) return "R non-canonical";
  if (isSmallOrderEncoding(R)) return "R small order";
  if (!isCanonicalFieldEncoding(publicKey)) return "A non-canonical";
  if (isSmallOrderEncoding(publicKey)) return "A small order";
  return nobleProvider.verify(publicKey, message, signature) ? "accepted" : "cofactorless equation fails";
}

describe.skipIf(CASES.missing !== undefined)(`Ed25519 edge cases of "Taming the many EdDSAs"${CASES.missing ? `: ${CASES.missing}` : ""}`, () => {
  it("are the twelve cases", () => expect(CASES.content).toHaveLength(12));
  it("the policy is named strict", () => expect(ED25519_VERIFICATION_POLICY).toBe("strict"));

  it.each(STRICT_DECISIONS.map((decision, index) => [index, decision] as const))("case %i: %s, on both providers", (index, decision) => {
    const c = CASES.content[index]!;
    const [publicKey, message, signature] = [fromHex(c.pub_key), fromHex(c.message), fromHex(c.signature)];
    expect(decide(publicKey, message, signature)).toBe(decision);
    const expected = decision === "accepted";
    expect(nobleProvider.verify(publicKey, message, signature), "noble").toBe(expected);
    expect(nodeProvider.verify(publicKey, message, signature), "node:crypto").toBe(expected);
  });

  it("strict accepts exactly case 3; the permissive ZIP-215 rule of @noble/curves accepts 0-5, 9-11 (a contrast, not synod's rule)", () => {
    const accepted = (verify: (a: Uint8Array, m: Uint8Array, s: Uint8Array) => boolean): number[] =>
      CASES.content.flatMap((c, i) => (verify(fromHex(c.pub_key), fromHex(c.message), fromHex(c.signature)) ? [i] : []));
    expect(accepted((a, m, s) => nobleProvider.verify(a, m, s))).toEqual([3]);
    expect(accepted((a, m, s) => nodeProvider.verify(a, m, s))).toEqual([3]);
    expect(accepted((a, m, s) => ed25519.verify(s, m, a, { zip215: true }))).toEqual([0, 1, 2, 3, 4, 5, 9, 10, 11]);
  });
});
