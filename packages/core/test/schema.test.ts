import { describe, expect, it } from "vitest";
import { s, validate } from "@synod/core";

describe("schema combinators", () => {
  it.each([
    ["uint rejects negatives", s.uint(), -1, false],
    ["uint rejects fractions", s.uint(), 1.5, false],
    ["uint rejects unsafe integers", s.uint(), 2 ** 60, false],
    ["uint accepts 0", s.uint(), 0, true],
    ["int range upper bound", s.int({ min: 0, max: 10 }), 11, false],
    ["number rejects NaN", s.number(), Number.NaN, false],
    ["nodeId rejects empty", s.nodeId(), "", false],
    ["nodeId rejects 65 chars", s.nodeId(), "x".repeat(65), false],
    ["string max length", s.string({ maxLength: 3 }), "abcd", false],
    ["array max length", s.array(s.uint(), { maxLength: 2 }), [1, 2, 3], false],
    ["bytes accepts Uint8Array", s.bytes(), new Uint8Array(3), true],
    ["bytes rejects arrays of numbers", s.bytes(), [1, 2], false],
    ["enumOf", s.enumOf(["a", "b"]), "c", false],
    ["literal", s.literal(3), 3, true],
    ["nullable", s.nullable(s.uint()), null, true],
    ["tuple length", s.tuple([s.uint(), s.string()]), [1], false],
  ])("%s", (_name, schema, value, expected) => {
    expect(validate(schema as never, value).ok).toBe(expected);
  });

  it("object reports the missing field's path and keeps optional fields optional", () => {
    const schema = s.object({ a: s.uint(), b: s.optional(s.object({ c: s.string() })) });
    expect(validate(schema, { a: 1 })).toEqual({ ok: true, value: { a: 1 } });
    const missing = validate(schema, { b: { c: "x" } });
    expect(!missing.ok && missing.error.path).toBe("a");
    const nested = validate(schema, { a: 1, b: { c: 5 } });
    expect(!nested.ok && nested.error.path).toBe("b.c");
  });

  it("variant selects by tag and rejects unknown tags", () => {
    const schema = s.variant("kind", { ping: { seq: s.uint() }, pong: { seq: s.uint(), ok: s.boolean() } });
    expect(validate(schema, { kind: "pong", seq: 1, ok: true })).toEqual({ ok: true, value: { kind: "pong", seq: 1, ok: true } });
    expect(validate(schema, { kind: "toString", seq: 1 }).ok).toBe(false);
    expect(validate(schema, { kind: "ping" }).ok).toBe(false);
  });

  it("refine adds a domain check", () => {
    const range = s.refine(s.object({ lo: s.uint(), hi: s.uint() }), (r) => (r.lo <= r.hi ? undefined : "lo must be <= hi"));
    expect(validate(range, { lo: 2, hi: 1 }).ok).toBe(false);
    expect(validate(range, { lo: 1, hi: 2 }).ok).toBe(true);
  });

  it("optional around nullable keeps null apart from absent; optional alone reads a null as absent", () => {
    const both = s.object({ v: s.optional(s.nullable(s.string())) });
    expect(validate(both, { v: null })).toEqual({ ok: true, value: { v: null } });
    expect(validate(both, {})).toEqual({ ok: true, value: {} });
    const plain = s.object({ v: s.optional(s.string()) });
    expect(validate(plain, { v: null })).toEqual({ ok: true, value: {} });
  });
});

