import { EncodeError, encodeUnchecked } from "@synod/core";
import { describe, expect, it } from "vitest";
import { decodeKvQuery, encodeKvCommand, encodeKvQuery, kvCommandCodec, kvQueryCodec, type KvCommand, type KvOp, type KvValue } from "../../src/kv/kv-command.js";

/** The layout of kvCommandCodec, written the straightforward way (TextEncoder for every string). */
function referenceCommandBytes(command: KvCommand): Uint8Array {
  const utf8 = new TextEncoder();
  const { op } = command;
  const tag = (v: KvValue | undefined): number => (v === undefined ? 0 : v === null ? 1 : 2);
  const key = utf8.encode(op.key);
  const parts = [op.value, op.expected].flatMap((v) => (typeof v === "string" ? [utf8.encode(v)] : []));
  const out = new Uint8Array(21 + key.length + parts.reduce((n, p) => n + 4 + p.length, 0));
  const view = new DataView(out.buffer);
  out[0] = 1;
  out[1] = ["get", "put", "cas", "delete"].indexOf(op.type);
  out[2] = tag(op.value) | (tag(op.expected) << 2);
  view.setFloat64(3, command.client, true);
  view.setFloat64(11, command.seq, true);
  view.setUint16(19, key.length, true);
  out.set(key, 21);
  let at = 21 + key.length;
  for (const p of parts) {
    view.setUint32(at, p.length, true);
    out.set(p, at + 4);
    at += 4 + p.length;
  }
  return out;
}

// ASCII (the fast path), its edge 0x7f/0x80, multi-byte, astral, lone surrogates (→ U+FFFD) and a
// byte-order mark (a character like any other: never stripped).
const PIECES = ["", "a", "key-1", "\u007f", "\u0080", "é", "日本", "\u{1F600}", "\uD800", "x\uDC00y", "\uFEFF"];

describe("KV command and query encoding", () => {
  it("encodes commands exactly as TextEncoder-based encoding would, and decodes them back", () => {
    const seed = 20261122;
    let state = seed;
    const next = (n: number): number => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state % n;
    };
    const text = (): string => Array.from({ length: next(4) }, () => PIECES[next(PIECES.length)] as string).join("");
    const optional = (): KvValue | undefined => [undefined, null, text()][next(3)];
    for (let i = 0; i < 2_000; i++) {
      const value = optional();
      const expected = optional();
      const op: KvOp = { type: (["get", "put", "cas", "delete"] as const)[i % 4] ?? "get", key: text(), ...(value === undefined ? {} : { value }), ...(expected === undefined ? {} : { expected }) };
      const command: KvCommand = { client: next(100), seq: i, op };
      const bytes = encodeKvCommand(command);
      expect([...bytes], `seed ${seed}, command ${JSON.stringify(command)}`).toEqual([...referenceCommandBytes(command)]);
      const back = kvCommandCodec.decode(bytes);
      expect(back.ok, `seed ${seed}, command ${JSON.stringify(command)}`).toBe(true);
      // Lone surrogates come back as U+FFFD, as TextEncoder wrote them.
      if (back.ok) expect(back.value.op.key).toBe(new TextDecoder("utf-8", { ignoreBOM: true }).decode(new TextEncoder().encode(op.key)));
    }
  });

  it("encodes read queries exactly as the msgpack codec does, short ASCII keys or not", () => {
    const keys = [...PIECES, "k".repeat(31), "k".repeat(32), "k".repeat(256), "\u007f".repeat(31)];
    for (const key of keys) {
      expect([...encodeKvQuery(key)], JSON.stringify(key)).toEqual([...kvQueryCodec.encode({ key })]);
      const back = kvQueryCodec.decode(encodeKvQuery(key));
      expect(back.ok).toBe(true);
    }
    expect(kvQueryCodec.decode(encodeKvQuery("abc"))).toEqual({ ok: true, value: { key: "abc" } });
  });

  it("decodes read queries exactly as the msgpack codec does, fast path or not, valid or not", () => {
    const keys = [...PIECES, "k".repeat(31), "k".repeat(32), "k".repeat(257), "\u007f".repeat(31)];
    const inputs: Uint8Array[] = [new Uint8Array(0), new Uint8Array([0xc1]), kvQueryCodec.encode({ key: "a" }), new Uint8Array([...encodeKvQuery("ab"), 0])];
    for (const key of keys) {
      // A key over the limit cannot be encoded (EncodeError): its bytes are what a faulty client could send.
      const bytes = key.length > 256 ? encodeUnchecked({ key }) : encodeKvQuery(key);
      inputs.push(bytes, bytes.subarray(0, bytes.length - 1));
      // Every single-byte change of the short queries (the fast path must refuse what the codec refuses).
      if (bytes.length <= 12) {
        for (let at = 0; at < bytes.length; at++) {
          for (const b of [0x00, 0x61, 0x7f, 0x80, 0xa1, 0xbf, 0xff]) {
            const changed = bytes.slice();
            changed[at] = b;
            inputs.push(changed);
          }
        }
      }
    }
    const show = (r: ReturnType<typeof decodeKvQuery>): unknown => (r.ok ? r : { ok: false, message: r.error.message });
    for (const bytes of inputs) expect(show(decodeKvQuery(bytes)), `[${[...bytes].join(",")}]`).toEqual(show(kvQueryCodec.decode(bytes)));
  });

  it("decodes commands from anywhere in a larger buffer, and names what is wrong in malformed ones", () => {
    const command: KvCommand = { client: 3, seq: 2 ** 40, op: { type: "cas", key: "k", expected: null, value: "v" } };
    const bytes = encodeKvCommand(command);
    const big = new Uint8Array(bytes.length + 7);
    big.set(bytes, 5);
    expect(kvCommandCodec.decode(big.subarray(5, 5 + bytes.length))).toEqual({ ok: true, value: command });
    const message = (b: Uint8Array): string => {
      const r = kvCommandCodec.decode(b);
      return r.ok ? "ok" : `${r.error.path}: ${r.error.message}`;
    };
    expect(message(bytes.subarray(0, bytes.length - 1))).toMatch(/^op\.value: .*value out of range/);
    expect(message(new Uint8Array([...bytes, 1, 2]))).toMatch(/2 trailing bytes/);
    const negative = bytes.slice();
    new DataView(negative.buffer).setFloat64(11, -1, true);
    expect(message(negative)).toMatch(/^seq: .*non-negative safe integer/);
  });
});

describe("KV command encoding of large values and commands the decoder would refuse", () => {
  it("encodes values of every size up to the limit exactly as TextEncoder-based encoding would, and decodes them back", () => {
    for (const length of [31, 32, 33, 1024, 16 * 1024]) {
      for (const unit of ["v", "é", "\u{1F600}".slice(0, 1), "\u{1F600}"]) {
        const value = unit.repeat(Math.floor(length / unit.length));
        const command: KvCommand = { client: 1, seq: length, op: { type: "cas", key: unit.repeat(40 / unit.length), value, expected: value.slice(0, 100) } };
        const bytes = encodeKvCommand(command);
        expect(Buffer.compare(bytes, referenceCommandBytes(command)), `${length} × ${JSON.stringify(unit)}`).toBe(0);
        const back = kvCommandCodec.decode(bytes);
        expect(back.ok && back.value.op.value).toBe(new TextDecoder("utf-8", { ignoreBOM: true }).decode(new TextEncoder().encode(value)));
      }
    }
  });

  it("refuses with an EncodeError every command its decoder would refuse, instead of writing bytes that do not decode", () => {
    const put = (op: Partial<KvOp>, client = 1, seq = 1): KvCommand => ({ client, seq, op: { type: "put", key: "k", value: "v", ...op } as KvOp });
    const refused: [string, KvCommand][] = [
      // Before: the key's length wrapped in its u16 field, so the value's bytes were read as the key's.
      ["op.key", put({ key: "k".repeat(65_536) })],
      ["op.key", put({ key: "k".repeat(257) })],
      ["op.value", put({ value: "v".repeat(16 * 1024 + 1) })],
      ["op.value", put({ value: 7 as unknown as string })],
      ["op.type", put({ type: "append" as KvOp["type"] })],
      ["client", put({}, -1)],
      ["seq", put({}, 1, 0.5)],
      ["", put({ value: "é".repeat(16 * 1024), expected: "é".repeat(16 * 1024) })],
    ];
    for (const [path, command] of refused) {
      let thrown: unknown;
      try {
        encodeKvCommand(command);
      } catch (error) {
        thrown = error;
      }
      expect(thrown, `${path}: ${JSON.stringify(command).slice(0, 80)}`).toBeInstanceOf(EncodeError);
      expect((thrown as EncodeError).path).toBe(path);
    }
  });
});
