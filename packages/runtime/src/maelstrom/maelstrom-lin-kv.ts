import { createRng, EncodeError, FRESH_STATE, type NodeId } from "@synod/core";
import {
  encodeKvCommand,
  encodeKvQuery,
  KvStateMachine,
  NotLeaderError,
  raftMessageCodec,
  RaftNode,
  type KvReply,
  type KvResult,
  type RaftOutput,
} from "@synod/raft";
import { MaelstromHost, type MaelstromIo } from "./maelstrom-host.js";
import { MAELSTROM_ERROR, type MaelstromBody } from "./maelstrom-message.js";

/** How long a client request waits for its outcome before the indefinite `timeout` error. */
const REQUEST_TIMEOUT_MS = 1_000;

interface Pending {
  readonly client: string;
  readonly msgId: number;
  readonly kind: "read" | "write" | "cas";
  readonly timer: NodeJS.Timeout;
}

/**
 * A Maelstrom `lin-kv` node (doc/workloads.md): `read`, `write` and `cas` on a linearizable
 * key-value store, served by a synod Raft node whose peers are the other Maelstrom nodes (Raft
 * messages travel as `{"type": "raft", "data": <base64 of the codec's bytes>}` through Maelstrom's
 * network, so its partition nemesis applies). Keys and values are any JSON, stored as their JSON
 * text. Errors: a follower answers 11 (temporarily unavailable: not applied, definite); a cas whose
 * expected value does not match — or whose key is absent — answers 22 (definite: nothing written);
 * a read of an absent key answers 20; no outcome within a second answers 0 (timeout: indefinite —
 * the write may still apply). Every write carries a session (the client's id, the msg_id), so a
 * command applies at most once. Durable state is kept in memory: Maelstrom's nemeses partition
 * nodes but do not restart them.
 */
export class MaelstromLinKv extends MaelstromHost {
  private node: RaftNode<KvReply> | undefined;
  private nextTag = 1;
  private readonly pending = new Map<string, Pending>();
  private readonly tagToSession = new Map<number, string>();
  /** Session number → the client it stands for (replies to applied writes go to that client). */
  private readonly clientNames = new Map<number, string>();

  constructor(io: MaelstromIo) {
    super(io, "raft");
  }

  override stop(): void {
    super.stop();
    for (const p of this.pending.values()) clearTimeout(p.timer);
  }

  protected start(id: NodeId, members: readonly NodeId[]): void {
    const seed = members.indexOf(id) + 1;
    this.node = new RaftNode<KvReply>({
      ctx: { id, members, rng: createRng(seed).fork(id), recovered: FRESH_STATE },
      stateMachine: new KvStateMachine(),
      config: { electionTimeoutTicks: 10, heartbeatTicks: 2 },
    });
  }

  protected tick(): void {
    if (this.node !== undefined) this.obey(this.node.tick());
  }

  protected onPeer(from: NodeId, bytes: Uint8Array): boolean {
    const decoded = raftMessageCodec.decode(bytes);
    if (!decoded.ok || this.node === undefined) return false;
    this.obey(this.node.receive(from, decoded.value));
    return true;
  }

  protected onClient(src: string, body: MaelstromBody): boolean {
    switch (body.type) {
      case "read":
        if (!("key" in body)) this.bad(src, body, "read needs key");
        else this.request(src, body, "read", () => ({ type: "read", query: encodeKvQuery(JSON.stringify(body.key)), tag: 0 }));
        return true;
      case "write":
        if (!("key" in body) || !("value" in body)) this.bad(src, body, "write needs key and value");
        else {
          this.request(src, body, "write", (client, seq) => ({
            type: "propose",
            data: encodeKvCommand({ client, seq, op: { type: "put", key: JSON.stringify(body.key), value: JSON.stringify(body.value) } }),
            tag: 0,
          }));
        }
        return true;
      case "cas":
        if (!("key" in body) || !("from" in body) || !("to" in body)) this.bad(src, body, "cas needs key, from and to");
        else {
          this.request(src, body, "cas", (client, seq) => ({
            type: "propose",
            data: encodeKvCommand({
              client,
              seq,
              op: { type: "cas", key: JSON.stringify(body.key), expected: JSON.stringify(body.from), value: JSON.stringify(body.to) },
            }),
            tag: 0,
          }));
        }
        return true;
      default:
        return false;
    }
  }

  private request(
    src: string,
    body: MaelstromBody,
    kind: Pending["kind"],
    input: (client: number, seq: number) => Parameters<RaftNode<KvReply>["request"]>[0],
  ): void {
    const msgId = body.msg_id;
    if (msgId === undefined) return this.bad(src, body, `${kind} needs msg_id`);
    let request: ReturnType<typeof input>;
    try {
      request = input(this.clientNumber(src), msgId);
    } catch (error) {
      // A key or value over the KV limits: the codecs refuse to encode it.
      if (error instanceof EncodeError) return this.bad(src, body, error.message);
      throw error;
    }
    const session = `${src}:${msgId}`;
    const tag = this.nextTag++;
    const timer = setTimeout(
      () => this.settle(session, { type: "error", code: MAELSTROM_ERROR.timeout, text: "no outcome within a second; it may still apply" }),
      REQUEST_TIMEOUT_MS,
    );
    this.pending.set(session, { client: src, msgId, kind, timer });
    this.tagToSession.set(tag, session);
    this.obey((this.node as RaftNode<KvReply>).request({ ...request, tag } as typeof request));
  }

  private obey(step: ReturnType<RaftNode<KvReply>["tick"]>): void {
    // Durable state lives in memory (Maelstrom does not restart nodes): nothing to sync first.
    for (const envelope of step.send) this.sendPeer(envelope.to, raftMessageCodec.encode(envelope.message));
    for (const output of step.output) this.onOutput(output);
  }

  private onOutput(output: RaftOutput<KvReply>): void {
    switch (output.type) {
      case "apply": {
        const reply = output.result;
        if (reply === undefined) return;
        const client = this.clientNames.get(reply.client);
        if (client === undefined) return;
        const key = `${client}:${reply.seq}`;
        const pending = this.pending.get(key);
        if (pending === undefined) return;
        return this.settle(key, maelstromAnswer(pending.kind, reply.result));
      }
      case "read": {
        const key = this.tagToSession.get(output.tag);
        if (key === undefined) return;
        this.tagToSession.delete(output.tag);
        const value = output.result.result.value;
        return this.settle(
          key,
          value === null || value === undefined
            ? { type: "error", code: MAELSTROM_ERROR.keyDoesNotExist, text: "no such key" }
            : { type: "read_ok", value: JSON.parse(value) as unknown },
        );
      }
      case "proposed":
        this.tagToSession.delete(output.tag);
        return;
      case "refused": {
        const key = this.tagToSession.get(output.tag);
        if (key === undefined) return;
        this.tagToSession.delete(output.tag);
        const leader = output.error instanceof NotLeaderError ? output.error.leader : undefined;
        const text = `${output.error.message}${leader === undefined ? "" : ` (leader: ${leader})`}`;
        return this.settle(key, { type: "error", code: MAELSTROM_ERROR.temporarilyUnavailable, text });
      }
      case "alarm":
        this.io.log(`maelstrom: alarm: ${output.reason}`);
        return;
      default:
        return;
    }
  }

  private settle(session: string, body: Record<string, unknown>): void {
    const pending = this.pending.get(session);
    if (pending === undefined) return;
    this.pending.delete(session);
    clearTimeout(pending.timer);
    this.send(pending.client, { ...body, in_reply_to: pending.msgId });
  }

  /**
   * The session number of a Maelstrom client, the same on every node (the session is replicated):
   * `c<k>` → k + 1; any other name → a 40-bit FNV-1a hash above 2^41.
   */
  private clientNumber(src: string): number {
    const match = /^c(\d{1,12})$/.exec(src);
    let n: number;
    if (match !== null) n = Number(match[1]) + 1;
    else {
      let hash = 0xcbf29ce4;
      for (let i = 0; i < src.length; i++) hash = Math.imul(hash ^ src.charCodeAt(i), 0x01000193) >>> 0;
      n = 2 ** 41 + hash * 256 + (src.length % 256);
    }
    this.clientNames.set(n, src);
    return n;
  }
}

/**
 * The Maelstrom answer to an applied write: a definite error code for each definite failure
 * (20: cas on an absent key; 22: cas on another value; 14: store full or malformed), the
 * indefinite `crash` (13) for a stale session, whose outcome is unknown.
 */
function maelstromAnswer(kind: "read" | "write" | "cas", result: KvResult): Record<string, unknown> {
  if (result.ok) return { type: kind === "write" ? "write_ok" : "cas_ok" };
  switch (result.reason) {
    case "cas-missing":
      return { type: "error", code: MAELSTROM_ERROR.keyDoesNotExist, text: "the key is absent" };
    case "cas-mismatch":
      return { type: "error", code: MAELSTROM_ERROR.preconditionFailed, text: `the key holds ${result.value ?? "nothing"}, not the expected value` };
    case "stale-session":
      return { type: "error", code: MAELSTROM_ERROR.crash, text: result.error ?? "stale session: outcome unknown" };
    default:
      return { type: "error", code: MAELSTROM_ERROR.abort, text: result.error ?? `refused (${result.reason ?? "no reason"})` };
  }
}
