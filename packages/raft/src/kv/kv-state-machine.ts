import { ConfigError, createCodec, DecodeError, s, type Codec } from "@synod/core";
import type { Entry } from "../entry.js";
import { MAX_SNAPSHOT_BYTES } from "../limits.js";
import type { StateMachine } from "../state-machine.js";
import { MAX_UTF8_BYTES_PER_UNIT } from "../utf8.js";
import { MAX_KEY_LENGTH, MAX_VALUE_LENGTH, decodeKvQuery, kvCommandCodec, kvResultSchema, type KvCommand, type KvReply, type KvResult } from "./kv-command.js";

/** Limits of the KV store: its largest snapshot ({@link kvSnapshotBound}) must be at most MAX_SNAPSHOT_BYTES. */
export interface KvLimits {
  /** Most keys stored; a put creating one more is refused with an error result. */
  readonly maxKeys: number;
  /** Most client sessions remembered; the least recently used is forgotten first. */
  readonly maxSessions: number;
}

/** Default KV limits: 4096 keys, 1024 sessions (a snapshot of at most about 244 MiB). */
export const DEFAULT_KV_LIMITS: KvLimits = Object.freeze({ maxKeys: 4096, maxSessions: 1024 });

/**
 * @returns an upper bound of the bytes of a KV snapshot under `limits`: every key, value and
 * recorded result at its longest, 3 UTF-8 bytes a UTF-16 unit, plus msgpack framing
 */
export function kvSnapshotBound(limits: KvLimits): number {
  const perKey = 16 + MAX_UTF8_BYTES_PER_UNIT * (MAX_KEY_LENGTH + MAX_VALUE_LENGTH);
  const perSession = 64 + MAX_UTF8_BYTES_PER_UNIT * (MAX_VALUE_LENGTH + 256);
  return 64 + limits.maxKeys * perKey + limits.maxSessions * perSession;
}

const snapshotCodec: Codec<{ data: [string, string][]; sessions: [number, number, KvResult][] }> = createCodec(
  s.object({
    data: s.array(s.tuple([s.string({ maxLength: MAX_KEY_LENGTH }), s.string({ maxLength: MAX_VALUE_LENGTH })]), { maxLength: 1_000_000 }),
    sessions: s.array(s.tuple([s.uint(), s.uint(), kvResultSchema]), { maxLength: 1_000_000 }),
  }) as never,
  // Was 1 MiB (one InstallSnapshot message): a store over it threw EncodeError out of the node at
  // its next snapshot. Snapshots travel in chunks now; the limits keep a snapshot within this bound.
  { maxBytes: MAX_SNAPSHOT_BYTES },
);

/**
 * The replicated key-value store with client sessions: a command (client, seq) applies at most once;
 * a retry of the latest command of a session returns its recorded result; an older one is refused.
 * Deterministic: every replica applying the same entries holds the same state.
 *
 * @example
 * const kv = new KvStateMachine();
 * kv.apply({ type: "normal", term: 1, index: 1, data: encodeKvCommand({ client: 1, seq: 1, op: { type: "put", key: "x", value: "1" } }) });
 * kv.read(encodeKvQuery("x")); // { client: 0, seq: 0, result: { ok: true, value: "1" } }
 */
export class KvStateMachine implements StateMachine<KvReply> {
  private data = new Map<string, string>();
  // Insertion order = recency order (re-inserted on use), so eviction is deterministic.
  private sessions = new Map<number, { seq: number; result: KvResult }>();
  /**
   * The client whose session was inserted last (the most recent in `sessions`' order), if known: its
   * next command updates the session in place, which leaves the order as delete + insert would —
   * a delete and an insert per command cost a hash-table tombstone each, and their rehashing.
   */
  private lastClient: number | undefined;

  /**
   * @param limits - store limits
   * @throws {ConfigError} when a snapshot under `limits` could exceed MAX_SNAPSHOT_BYTES
   */
  constructor(private readonly limits: KvLimits = DEFAULT_KV_LIMITS) {
    if (kvSnapshotBound(limits) > MAX_SNAPSHOT_BYTES) {
      throw new ConfigError("maxKeys", `with maxSessions ${limits.maxSessions}, a snapshot could exceed MAX_SNAPSHOT_BYTES (${MAX_SNAPSHOT_BYTES})`);
    }
  }

  /** Number of keys held. */
  get size(): number {
    return this.data.size;
  }

  /** @returns the value under `key` (inspection for tests and tools) */
  peek(key: string): string | undefined {
    return this.data.get(key);
  }

  /** Apply one committed command. Malformed payloads give an error result and change nothing. */
  apply(entry: Entry & { readonly type: "normal" }): KvReply {
    const decoded = kvCommandCodec.decode(entry.data);
    if (!decoded.ok) {
      return { client: 0, seq: 0, result: { ok: false, error: `malformed command: ${decoded.error.message}`, reason: "malformed" } };
    }
    const command = decoded.value;
    const session = this.sessions.get(command.client);
    if (session !== undefined && command.seq <= session.seq) {
      const result = command.seq === session.seq ? session.result : { ok: false, error: `stale sequence ${command.seq} (session at ${session.seq}): outcome unknown`, reason: "stale-session" as const };
      return { client: command.client, seq: command.seq, result };
    }
    const result = this.execute(command);
    if (session !== undefined && this.lastClient === command.client) {
      session.seq = command.seq;
      session.result = result;
      return { client: command.client, seq: command.seq, result };
    }
    this.sessions.delete(command.client);
    this.sessions.set(command.client, { seq: command.seq, result });
    this.lastClient = command.client;
    if (this.sessions.size > this.limits.maxSessions) {
      const oldest = this.sessions.keys().next();
      if (!oldest.done) this.sessions.delete(oldest.value);
    }
    return { client: command.client, seq: command.seq, result };
  }

  private execute(command: KvCommand): KvResult {
    const { op } = command;
    const current = this.data.get(op.key) ?? null;
    switch (op.type) {
      case "get":
        return { ok: true, value: current };
      case "put":
        if (op.value === undefined || op.value === null) return { ok: false, error: "put needs a value", reason: "malformed" };
        if (current === null && this.data.size >= this.limits.maxKeys) return this.storeFull();
        this.data.set(op.key, op.value);
        return { ok: true };
      case "cas": {
        if (op.value === undefined || op.value === null) return { ok: false, error: "cas needs a value", reason: "malformed" };
        if (current !== (op.expected ?? null)) return { ok: false, value: current, reason: current === null ? "cas-missing" : "cas-mismatch" };
        if (current === null && this.data.size >= this.limits.maxKeys) return this.storeFull();
        this.data.set(op.key, op.value);
        return { ok: true };
      }
      case "delete":
        return { ok: this.data.delete(op.key) };
    }
  }

  private storeFull(): KvResult {
    return { ok: false, error: `store full (${this.limits.maxKeys} keys)`, reason: "store-full" };
  }

  /** Linearizable read of the key in `query` (served by the leader after ReadIndex). */
  read(query: Uint8Array): KvReply {
    const decoded = decodeKvQuery(query);
    if (!decoded.ok) return { client: 0, seq: 0, result: { ok: false, error: `malformed query: ${decoded.error.message}` } };
    return { client: 0, seq: 0, result: { ok: true, value: this.data.get(decoded.value.key) ?? null } };
  }

  /** @returns the whole store and the session table, encoded */
  snapshot(): Uint8Array {
    return snapshotCodec.encode({ data: [...this.data], sessions: [...this.sessions].map(([c, v]) => [c, v.seq, v.result]) });
  }

  /**
   * Replace the state by a snapshot.
   * @throws {DecodeError} when the snapshot does not decode (the state is left unchanged)
   */
  restore(snapshot: Uint8Array): void {
    const decoded = snapshotCodec.decode(snapshot);
    if (!decoded.ok) throw new DecodeError(`bad KV snapshot: ${decoded.error.message}`);
    this.data = new Map(decoded.value.data);
    this.sessions = new Map(decoded.value.sessions.map(([c, seq, result]) => [c, { seq, result }]));
    this.lastClient = undefined;
  }
}
