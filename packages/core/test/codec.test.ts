import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createCodec, DecodeError, encodeUnchecked, envelopeSchema, s, type Envelope, type Infer } from "@synod/core";

/** A realistic protocol message family, used to fuzz the codec. */
const messageSchema = s.variant("type", {
  append: {
    term: s.uint(),
    prevIndex: s.uint(),
    entries: s.array(s.object({ term: s.uint(), data: s.bytes({ maxLength: 256 }) }), { maxLength: 64 }),
    note: s.optional(s.string({ maxLength: 32 })),
  },
  vote: { term: s.uint(), granted: s.boolean(), candidate: s.nodeId() },
});
type Message = Infer<typeof messageSchema>;
const codec = createCodec(envelopeSchema(messageSchema), { maxBytes: 64 * 1024 });

const nodeIdArb = fc.string({ minLength: 1, maxLength: 8 });
const messageArb: fc.Arbitrary<Message> = fc.oneof(
  fc.record(
    {
      type: fc.constant("append" as const),
      term: fc.nat(),
      prevIndex: fc.nat(),
      entries: fc.array(fc.record({ term: fc.nat(), data: fc.uint8Array({ maxLength: 16 }) }), { maxLength: 4 }),
      note: fc.string({ maxLength: 32 }),
    },
    { requiredKeys: ["type", "term", "prevIndex", "entries"] },
  ),
  fc.record({ type: fc.constant("vote" as const), term: fc.nat(), granted: fc.boolean(), candidate: nodeIdArb }),
);
const envelopeArb: fc.Arbitrary<Envelope<Message>> = fc.record({ from: nodeIdArb, to: nodeIdArb, message: messageArb });

/** Decoding must never throw: the result is a value or a DecodeError. */
function decodeNeverThrows(bytes: Uint8Array): void {
  let result: ReturnType<typeof codec.decode> | undefined;
  expect(() => {
    result = codec.decode(bytes);
  }).not.toThrow();
  if (result && !result.ok) expect(result.error).toBeInstanceOf(DecodeError);
}

describe("codec", () => {
  it("round-trips every valid envelope (decode ∘ encode = identity)", () => {
    fc.assert(
      fc.property(envelopeArb, (envelope) => {
        const decoded = codec.decode(codec.encode(envelope));
        expect(decoded.ok).toBe(true);
        if (decoded.ok) expect(decoded.value).toEqual(envelope);
      }),
      { seed: 20261122, numRuns: 500 },
    );
  });

  it("never throws on random bytes, only returns DecodeError", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => decodeNeverThrows(bytes)),
      { seed: 1, numRuns: 3000 },
    );
  });

  it("never throws on mutated valid messages (bit flips, truncation, splices)", () => {
    const mutation = fc.record({
      envelope: envelopeArb,
      flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 })), { minLength: 1, maxLength: 4 }),
      truncateTo: fc.option(fc.nat(), { nil: undefined }),
      splice: fc.uint8Array({ maxLength: 8 }),
    });
    fc.assert(
      fc.property(mutation, ({ envelope, flips, truncateTo, splice }) => {
        const bytes = Uint8Array.from(codec.encode(envelope));
        for (const [at, bit] of flips) bytes[at % bytes.length]! ^= 1 << bit;
        let mutated: Uint8Array = truncateTo === undefined ? bytes : bytes.subarray(0, truncateTo % (bytes.length + 1));
        if (splice.length > 0) mutated = Uint8Array.from([...mutated, ...splice]);
        decodeNeverThrows(mutated);
        // Anything that does decode is a well-formed message: re-encoding it round-trips.
        const decoded = codec.decode(mutated);
        if (decoded.ok) expect(codec.decode(codec.encode(decoded.value))).toEqual(decoded);
      }),
      { seed: 2, numRuns: 3000 },
    );
  });

  it("rejects oversize, empty, trailing-garbage and wrongly typed input with a path", () => {
    const valid = codec.encode({ from: "a", to: "b", message: { type: "vote", term: 1, granted: true, candidate: "a" } });
    expect(codec.decode(new Uint8Array(0)).ok).toBe(false);
    expect(codec.decode(new Uint8Array(64 * 1024 + 1)).ok).toBe(false);
    expect(codec.decode(Uint8Array.from([...valid, 0xc0])).ok).toBe(false);
    const badTerm = codec.decode(encodeUnchecked({ from: "a", to: "b", message: { type: "vote", term: -1, granted: true, candidate: "a" } } as never));
    expect(badTerm.ok).toBe(false);
    if (!badTerm.ok) {
      expect(badTerm.error.path).toBe("message.term");
      expect(badTerm.error.code).toBe("decode");
    }
    const badType = codec.decode(encodeUnchecked({ from: "a", to: "b", message: { type: "nope" } } as never));
    expect(badType.ok).toBe(false);
    if (!badType.ok) expect(badType.error.path).toBe("message.type");
  });

  it("drops unknown fields and never lets __proto__ through", () => {
    const withExtra = codec.decode(
      codec.encode({ from: "a", to: "b", message: { type: "vote", term: 2, granted: false, candidate: "c", extra: 1 } } as never),
    );
    expect(withExtra.ok && withExtra.value.message).toEqual({ type: "vote", term: 2, granted: false, candidate: "c" });
    const recordCodec = createCodec(s.record(s.uint()));
    const evil = recordCodec.decode(encodeUnchecked(JSON.parse('{"__proto__": {"polluted": 1}}') as Record<string, number>));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(evil.ok).toBe(false);
  });

  it("survives absurd nesting without a stack overflow escaping", () => {
    const deep = createCodec(s.lazy(() => s.array(s.uint())));
    let nested: unknown = [];
    for (let i = 0; i < 100_000; i++) nested = [nested];
    const bytes = new Uint8Array(100_001).fill(0x91); // fixarray(1) repeated: 100k levels deep
    bytes[100_000] = 0x90;
    decodeNeverThrows(bytes);
    expect(deep.decode(bytes).ok).toBe(false);
  });
});
