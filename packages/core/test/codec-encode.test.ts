import { describe, expect, it } from "vitest";
import { createCodec } from "../src/codec.js";
import { EncodeError } from "../src/errors.js";
import { s } from "../src/schema.js";

const codec = createCodec(s.object({ seq: s.uint(10), name: s.string({ maxLength: 3 }) }));

describe("codec encode: refuses what its decoder would reject", () => {
  it("throws an EncodeError naming the field, never bytes the other side must drop", () => {
    for (const [value, path] of [
      [{ seq: 11, name: "a" }, "seq"],
      [{ seq: "7", name: "a" }, "seq"],
      [{ seq: Infinity, name: "a" }, "seq"],
      [{ seq: 1, name: "long" }, "name"],
      [null, ""],
    ] as const) {
      let thrown: unknown;
      try {
        codec.encode(value as never);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(EncodeError);
      expect((thrown as EncodeError).code).toBe("usage");
      expect((thrown as EncodeError).path).toBe(path);
    }
  });

  it("encodes what it decodes", () => {
    const value = { seq: 10, name: "abc" };
    expect(codec.decode(codec.encode(value))).toEqual({ ok: true, value });
  });
});
