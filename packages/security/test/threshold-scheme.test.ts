import { describe, expect, it } from "vitest";
import { createIdealThresholdScheme, dealBlsThresholdScheme, seededRandomBytes, type KeyShare, type ThresholdScheme } from "../src/index.js";

const message = new TextEncoder().encode("checkpoint 16");
const other = new TextEncoder().encode("checkpoint 17");

function schemes(): [string, ThresholdScheme, KeyShare[]][] {
  const ideal = createIdealThresholdScheme(3, 4, seededRandomBytes(1));
  const bls = dealBlsThresholdScheme(3, 4, seededRandomBytes(2));
  if (!ideal.ok || !bls.ok) throw new Error("dealing failed");
  return [
    ["ideal", ideal.value.scheme, ideal.value.shares],
    ["bls", bls.value.scheme, bls.value.shares],
  ];
}

describe("ThresholdScheme (ideal and BLS)", () => {
  it.each(schemes())("%s: t partials of distinct shares combine into the group signature; t−1 do not; a bad partial is named and left out", (_name, scheme, shares) => {
    const partials = shares.map((share) => scheme.signShare(share, message));
    for (const p of partials) expect(scheme.verifyPartial(message, p)).toBe(true);
    expect(scheme.verifyPartial(other, partials[0]!)).toBe(false);
    const combined = scheme.combine(message, partials.slice(0, 3));
    expect(combined.ok).toBe(true);
    if (!combined.ok) return;
    expect(combined.value.signature.length).toBe(96);
    expect(scheme.verify(message, combined.value.signature)).toBe(true);
    expect(scheme.verify(other, combined.value.signature)).toBe(false);
    expect(scheme.verify(message, partials[0]!.signature)).toBe(false); // one share is not the group
    const few = scheme.combine(message, partials.slice(0, 2));
    expect(few.ok ? undefined : few.error.reason).toBe("insufficient-shares");
    const wrong = { index: 4, signature: scheme.signShare(shares[3]!, other).signature };
    const withBad = scheme.combine(message, [partials[0]!, wrong, partials[1]!, partials[2]!]);
    expect(withBad.ok && withBad.value.rejectedIndices).toEqual([4]);
    const tooFew = scheme.combine(message, [partials[0]!, wrong, partials[1]!]);
    expect(tooFew.ok ? undefined : tooFew.error.reason).toBe("bad-share");
    expect(scheme.verify(message, new Uint8Array(95))).toBe(false);
    expect(scheme.verifyPartial(message, { index: 9, signature: partials[0]!.signature })).toBe(false);
  }, 60_000);

  it("ideal: only the holder of share i signs for i (a made-up share is refused)", () => {
    const [, scheme, shares] = schemes()[0]!;
    expect(() => scheme.signShare({ index: 1, secretKey: shares[1]!.secretKey }, message)).toThrow(/not a share/);
  });
});
