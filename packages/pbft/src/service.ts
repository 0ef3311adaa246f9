import { createCodec, type Codec } from "@synod/core";
import { encodeKvQuery, kvCommandCodec, KvStateMachine, kvResultSchema, type KvResult } from "@synod/raft";

/**
 * The replicated application as PBFT sees it: deterministic execution of command bytes in sequence
 * order, results as bytes (replies match byte for byte), and whole-state snapshots for checkpoints
 * and state transfer.
 * @typeParam R - a command's result
 */
export interface PbftService<R> {
  /** Execute one command (ordered at `seq`). Malformed commands give an error result and change nothing. */
  execute(seq: number, command: Uint8Array): R;
  /**
   * Execute a read-only command against the current state without changing it.
   * @returns its result, or undefined when the command is not read-only (it must then be ordered)
   */
  query(command: Uint8Array): R | undefined;
  /** @returns whether `command` is one {@link query} answers (it changes nothing) */
  isReadOnly(command: Uint8Array): boolean;
  /** @returns the result's bytes (what replicas sign in replies and proxies compare) */
  encodeResult(result: R): Uint8Array;
  /** @returns the result of `bytes`, undefined when they do not decode */
  decodeResult(bytes: Uint8Array): R | undefined;
  /** @returns the whole state */
  snapshot(): Uint8Array;
  /** Replace the whole state. @throws when `state` does not decode (the state is then unchanged) */
  restore(state: Uint8Array): void;
}

const kvResultCodec: Codec<KvResult> = createCodec(kvResultSchema, { maxBytes: 64 * 1024 });

/**
 * Raft's KV store with client sessions (`@synod/raft`'s {@link KvStateMachine}), as a PBFT
 * service: the same state machine, so the same linearizability checker applies to both.
 */
export class KvService implements PbftService<KvResult> {
  private readonly kv = new KvStateMachine();

  execute(seq: number, command: Uint8Array): KvResult {
    return this.kv.apply({ type: "normal", term: 0, index: seq, data: command }).result;
  }

  isReadOnly(command: Uint8Array): boolean {
    const decoded = kvCommandCodec.decode(command);
    return decoded.ok && decoded.value.op.type === "get";
  }

  query(command: Uint8Array): KvResult | undefined {
    const decoded = kvCommandCodec.decode(command);
    if (!decoded.ok || decoded.value.op.type !== "get") return undefined;
    return this.kv.read(encodeKvQuery(decoded.value.op.key)).result;
  }

  encodeResult(result: KvResult): Uint8Array {
    return kvResultCodec.encode(result);
  }

  decodeResult(bytes: Uint8Array): KvResult | undefined {
    const decoded = kvResultCodec.decode(bytes);
    return decoded.ok ? decoded.value : undefined;
  }

  /**
   * The store's snapshot. Checkpoint digests must agree byte for byte, so a restored copy must
   * snapshot the same bytes (tested): a session's result with `value: null` once came back without
   * `value` (the schema dropped nulls under `optional`; seed 28 of a `stale-read` probe,
   * StateAgreement at sequence 16), and replicas that restored a checkpoint signed other digests.
   */
  snapshot(): Uint8Array {
    return this.kv.snapshot();
  }

  restore(state: Uint8Array): void {
    this.kv.restore(state);
  }
}
