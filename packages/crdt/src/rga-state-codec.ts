import { DecodeError, s, type Codec, type NodeId, type Schema } from "@synod/core";
import { deflateSync, Inflate } from "fflate/browser";
import { MAX_RGA_DOCUMENT_BYTES, MAX_RGA_REPLICAS } from "./limits.js";
import { Rga, type RgaStateWire } from "./rga.js";
import { wireCodec } from "./wire-codec.js";

/**
 * The saved form of a whole RGA document: its columnar wire form ({@link RgaStateWire}) with the run
 * table and the visible text (as UTF-8) each compressed with raw DEFLATE (RFC 1951), as Automerge
 * compresses its columns. On the B4 editing trace this is 2.5× smaller than the plain columns, and
 * saving a whole document is rare (replication ships deltas), so its CPU cost is paid seldom.
 */
export interface CompressedRgaState {
  readonly replicas: NodeId[];
  /** The run table, deflated. */
  readonly runs: Uint8Array;
  /** The visible text as UTF-8, deflated. */
  readonly text: Uint8Array;
}

/** DEFLATE level of saved documents: fixed, so that one document has one encoding. */
const LEVEL = 6;
const utf8Encoder = new TextEncoder();
// fatal: invalid UTF-8 is refused; ignoreBOM: a leading U+FEFF is text like any other.
const utf8Strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** @returns the wire form with both columns deflated */
export function compressRgaState(wire: RgaStateWire): CompressedRgaState {
  return {
    replicas: wire.replicas,
    runs: deflateSync(wire.runs, { level: LEVEL }),
    text: deflateSync(utf8Encoder.encode(wire.text), { level: LEVEL }),
  };
}

/**
 * @returns the columnar wire form of a saved document
 * @param limit - most bytes a column may inflate to (a small input must not expand without bound)
 * @throws {DecodeError} when a column is not valid DEFLATE, inflates past `limit`, or the text is not UTF-8
 */
export function decompressRgaState(saved: CompressedRgaState, limit = MAX_RGA_DOCUMENT_BYTES): RgaStateWire {
  const text = inflateColumn(saved.text, "text", limit);
  let decoded: string;
  try {
    decoded = utf8Strict.decode(text);
  } catch {
    throw new DecodeError("text is not valid UTF-8", "text");
  }
  return { replicas: saved.replicas, runs: inflateColumn(saved.runs, "runs", limit), text: decoded };
}

/** Inflate one column, refusing more than `limit` bytes of output (checked as each chunk arrives). */
function inflateColumn(column: Uint8Array, path: string, limit: number): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let ended = false;
  const inflate = new Inflate((chunk, final) => {
    total += chunk.length;
    if (total > limit) throw new DecodeError(`column inflates past ${limit} bytes`, path);
    chunks.push(chunk);
    if (final) ended = true;
  });
  try {
    inflate.push(column, true);
  } catch (error) {
    if (error instanceof DecodeError) throw error;
    throw new DecodeError(`column is not valid DEFLATE (${error instanceof Error ? error.message : String(error)})`, path);
  }
  if (!ended) throw new DecodeError("column is not valid DEFLATE (truncated)", path);
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/** Schema of a saved document (shape only: {@link decompressRgaState} and {@link Rga.fromWire} check the rest). */
export const rgaStateSchema: Schema<CompressedRgaState> = s.object({
  replicas: s.array(s.nodeId(), { maxLength: MAX_RGA_REPLICAS }),
  runs: s.bytes({ maxLength: MAX_RGA_DOCUMENT_BYTES }),
  text: s.bytes({ maxLength: MAX_RGA_DOCUMENT_BYTES }),
});

/**
 * Codec of whole documents (their saved form, {@link CompressedRgaState}); decoded documents get
 * `replica` as their local id. Decoding never throws: bad input is a {@link DecodeError}.
 * @param replica - the id local edits on decoded documents will use
 */
export function rgaStateCodec(replica: NodeId): Codec<Rga> {
  return wireCodec(
    rgaStateSchema,
    (r) => compressRgaState(r.toWire()),
    (saved) => Rga.fromWire(decompressRgaState(saved), replica),
    { maxBytes: MAX_RGA_DOCUMENT_BYTES },
  );
}
