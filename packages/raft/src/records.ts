import { createCodec, isNodeId, s, type Codec, type NodeId, type Schema } from "@synod/core";
import type { ConfState } from "./conf-state.js";
import { entrySchema, MAX_ENTRY_BYTES_WIRE, MAX_MEMBERS, type ConfChange, type Entry } from "./entry.js";
import { MAX_ENTRIES_PER_MESSAGE_WIRE, MAX_SNAPSHOT_BYTES, snapshotPayloadSchema, type SnapshotPayload } from "./messages.js";

/**
 * A durable record. Replaying a node's records in order rebuilds its durable state:
 * - `hardState`: the current term, the vote cast in it, and the commit index known at the time;
 * - `entries`: entries to write starting at `entries[0].index`, truncating whatever followed;
 * - `snapshot`: the log up to `snapshot.index` is replaced by this snapshot.
 */
export type RaftRecord =
  | { readonly type: "hardState"; readonly term: number; readonly vote: NodeId | null; readonly commit: number }
  | { readonly type: "entries"; readonly entries: readonly Entry[] }
  | { readonly type: "snapshot"; readonly snapshot: SnapshotPayload };

/** Most entries in one `entries` record. */
const MAX_ENTRIES_PER_RECORD = MAX_ENTRIES_PER_MESSAGE_WIRE * 10;

/** The record schema written with the generic combinators: it decides every input the fast path does not take. */
const genericRecordSchema: Schema<RaftRecord> = s.variant("type", {
  hardState: { term: s.uint(), vote: s.nullable(s.nodeId()), commit: s.uint() },
  entries: { entries: s.array(entrySchema, { minLength: 1, maxLength: MAX_ENTRIES_PER_RECORD }) },
  snapshot: { snapshot: snapshotPayloadSchema },
});

// ---- fast path: the same checks as the generic schema, without building a field path per value
// (records are decoded at every restart). It returns exactly what the generic schema returns (fresh
// objects with the same keys in the same order, the tag last; copied bytes) or undefined whenever
// anything is unusual, and the generic schema then decides (with its error naming the field).

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value) || value instanceof Uint8Array) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** @returns the field when present (own and not undefined), else undefined */
function field(o: Record<string, unknown>, key: string): unknown {
  return hasOwn(o, key) ? o[key] : undefined;
}

function isUint(v: unknown): v is number {
  return typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
}

/** @returns a plain Uint8Array copy (never a view, whatever subclass `v` is), as the generic schema does */
function copyBytes(v: unknown, max: number): Uint8Array | undefined {
  return v instanceof Uint8Array && v.length <= max ? new Uint8Array(v) : undefined;
}

function nodeIds(v: unknown): NodeId[] | undefined {
  if (!Array.isArray(v) || v.length > MAX_MEMBERS) return undefined;
  const out = new Array<NodeId>(v.length);
  for (let i = 0; i < v.length; i++) {
    const id: unknown = v[i];
    if (!isNodeId(id)) return undefined;
    out[i] = id;
  }
  return out;
}

function fastChange(v: unknown): ConfChange | undefined {
  if (!isPlainObject(v)) return undefined;
  const kind = field(v, "kind");
  if (kind === "leave-joint") return { kind };
  if (kind !== "enter-joint") return undefined;
  const voters = nodeIds(field(v, "voters"));
  const learners = voters === undefined ? undefined : nodeIds(field(v, "learners"));
  return voters === undefined || learners === undefined ? undefined : { voters, learners, kind };
}

function fastEntry(v: unknown): Entry | undefined {
  if (!isPlainObject(v)) return undefined;
  const type = field(v, "type");
  const term = field(v, "term");
  const index = field(v, "index");
  if (!isUint(term) || !isUint(index) || index < 1) return undefined;
  if (type === "normal") {
    const data = copyBytes(field(v, "data"), MAX_ENTRY_BYTES_WIRE);
    return data === undefined ? undefined : { term, index, data, type };
  }
  if (type !== "conf") return undefined;
  const change = fastChange(field(v, "change"));
  return change === undefined ? undefined : { term, index, change, type };
}

function fastConf(v: unknown): ConfState | undefined {
  if (!isPlainObject(v)) return undefined;
  const voters = nodeIds(field(v, "voters"));
  const outgoing = voters === undefined ? undefined : nodeIds(field(v, "outgoing"));
  const learners = outgoing === undefined ? undefined : nodeIds(field(v, "learners"));
  return voters === undefined || outgoing === undefined || learners === undefined ? undefined : { voters, outgoing, learners };
}

function fastRecord(v: unknown): RaftRecord | undefined {
  if (!isPlainObject(v)) return undefined;
  const type = field(v, "type");
  if (type === "hardState") {
    const term = field(v, "term");
    const vote = field(v, "vote");
    const commit = field(v, "commit");
    if (!isUint(term) || !isUint(commit) || !(vote === null || isNodeId(vote))) return undefined;
    return { term, vote, commit, type };
  }
  if (type === "entries") {
    const list = field(v, "entries");
    if (!Array.isArray(list) || list.length < 1 || list.length > MAX_ENTRIES_PER_RECORD) return undefined;
    const entries = new Array<Entry>(list.length);
    for (let i = 0; i < list.length; i++) {
      const e = fastEntry(list[i]);
      if (e === undefined) return undefined;
      entries[i] = e;
    }
    return { entries, type };
  }
  if (type !== "snapshot") return undefined;
  const snap = field(v, "snapshot");
  if (!isPlainObject(snap)) return undefined;
  const index = field(snap, "index");
  const term = field(snap, "term");
  const conf = fastConf(field(snap, "conf"));
  const data = conf === undefined ? undefined : copyBytes(field(snap, "data"), MAX_SNAPSHOT_BYTES);
  if (!isUint(index) || !isUint(term) || conf === undefined || data === undefined) return undefined;
  return { snapshot: { index, term, conf, data }, type };
}

/** Schema of a {@link RaftRecord}. */
export const raftRecordSchema: Schema<RaftRecord> = {
  description: genericRecordSchema.description,
  parse(value, path) {
    return fastRecord(value) ?? genericRecordSchema.parse(value, path);
  },
};

/** The validating codec of durable records. */
export const raftRecordCodec: Codec<RaftRecord> = createCodec(raftRecordSchema, { maxBytes: 16 << 20 });
