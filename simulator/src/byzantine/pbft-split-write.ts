import type { NodeId } from "@synod/core";
import { KvService, type PbftMessage, type ReadReply, type Reply, type Request } from "@synod/pbft";
import { kvCommandCodec } from "@synod/raft";
import { MAX_REPLAY_BUFFER, type Adversary, type AdversaryContext } from "./adversary.js";
import { authenticateAs } from "./pbft-authenticate.js";

/**
 * How late the held-back replicas get its pre-prepares and commits: under the simulated replicas'
 * view-change timeout (40 ticks of 10 ms), so that they catch up without a view change.
 */
export const SPLIT_WRITE_LAG_MS = 150;

const PUT_DONE = new KvService().encodeResult({ ok: true });

/** @returns the key a KV command reads or writes, and whether it writes; undefined when it does not decode */
function keyOf(command: Uint8Array): { key: string; writes: boolean } | undefined {
  const decoded = kvCommandCodec.decode(command);
  if (!decoded.ok) return undefined;
  return { key: decoded.value.op.key, writes: decoded.value.op.type !== "get" };
}

/**
 * What the `split-write` replica keeps of the replicated store: the batches it saw pre-prepared, a
 * shadow store fed with those it commits (in its commit order), and per key the store before the
 * latest write to it — what a correct replica one write behind answers.
 */
class ShadowStore {
  /** By sequence number: the batch's requests, from the pre-prepares it sent or received. */
  private readonly batches = new Map<number, readonly Request[]>();
  /** Sequence numbers whose batch the shadow store has applied. */
  private readonly applied = new Set<number>();
  private readonly shadow = new KvService();
  /** By key: the shadow store's snapshot before the latest write to that key. */
  private readonly before = new Map<string, Uint8Array>();

  remember(seq: number, requests: readonly Request[]): void {
    if (this.batches.size >= MAX_REPLAY_BUFFER && !this.batches.has(seq)) this.batches.delete(this.batches.keys().next().value as number);
    this.batches.set(seq, requests);
  }

  /** Apply the batch at `seq` (once): the replica commits it. */
  apply(seq: number): void {
    const requests = this.batches.get(seq);
    if (requests === undefined || this.applied.has(seq)) return;
    if (this.applied.size >= MAX_REPLAY_BUFFER * 4) this.applied.delete(this.applied.values().next().value as number);
    this.applied.add(seq);
    for (const request of requests) {
      const op = keyOf(request.command);
      if (op === undefined) continue;
      if (op.writes) {
        if (this.before.size >= MAX_REPLAY_BUFFER && !this.before.has(op.key)) this.before.delete(this.before.keys().next().value as string);
        this.before.set(op.key, this.shadow.snapshot());
      }
      this.shadow.execute(seq, request.command);
    }
  }

  /** @returns the ally of a batch: its first request's proxy, when that is another member than `self` */
  allyOf(seq: number, self: NodeId): NodeId | undefined {
    const proxy = this.batches.get(seq)?.[0]?.proxy;
    return proxy !== undefined && proxy !== self ? proxy : undefined;
  }

  /** @returns the encoded answer to the get `command` from the store before the latest write to its key, if it saw one */
  staleAnswer(command: Uint8Array): Uint8Array | undefined {
    const op = keyOf(command);
    const state = op === undefined ? undefined : this.before.get(op.key);
    if (state === undefined) return undefined;
    const behind = new KvService();
    behind.restore(state);
    const stale = behind.query(command);
    return stale === undefined ? undefined : behind.encodeResult(stale);
  }
}

/** @returns the backups a split pre-prepare reaches: the ally and the next ones by member position, q − 1 in all */
function reached(ctx: AdversaryContext<PbftMessage>, ally: NodeId): readonly NodeId[] {
  const q = 2 * Math.floor((ctx.members.length - 1) / 3) + 1;
  const others = ctx.members.filter((m) => m !== ctx.self && m !== ally);
  return [ally, ...others.slice(0, q - 2)];
}

/**
 * `split-write`: the window a write completing on f + 1 replies opens with the read-only
 * optimisation on (`pbft/writes-on-weak-quorum-with-reads`), made by one faulty replica alone.
 * - As primary, each batch's pre-prepare reaches q − 1 backups on time (q = 2f + 1), the batch's
 *   first request's proxy (the ally) among them, and the others {@link SPLIT_WRITE_LAG_MS} late;
 *   its commit reaches the ally on time and the others that late: the ally executes the batch (q
 *   commits), the other backups prepare but stay one commit short, and the ones held back have not
 *   prepared, until the late messages land. (As a backup, its commits are held back the same way.)
 * - A put relayed to it is answered at once, `ok`, as if executed.
 * - A read-only request on a key it has executed a write to is answered from its state before
 *   the latest such write (a shadow store fed with the batches it commits, in its order),
 *   re-authenticated: what the correct replicas held back answer truthfully.
 *
 * With writes completing on 2f + 1 replies (the correct rule), a completed write has q − f ≥ f + 1
 * correct replicas that executed it, so a read quorum of q cannot be made of stale replies; on
 * f + 1 (the ally and this replica's early `ok`), a read answered by this replica and the correct
 * replicas held back completes with the value before the write: a stale read, which the
 * linearizability checker of `pnpm sim pbft-ro` reports. Not drawn by `--byzantine` (a detector names it).
 */
export function splitWrite(): Adversary<PbftMessage> {
  const store = new ShadowStore();
  /** By `client:timestamp`: the command of a read-only request relayed to it. */
  const reads = new Map<string, Uint8Array>();
  let view = 0;
  return {
    name: "split-write",
    onReceive(_from, m, ctx) {
      if (m.type === "prePrepare") return store.remember(m.seq, m.requests);
      if (m.type === "readRequest") {
        if (reads.size >= MAX_REPLAY_BUFFER) reads.delete(reads.keys().next().value as string);
        reads.set(`${m.request.client}:${m.request.timestamp}`, m.request.command);
        return;
      }
      if (m.type !== "request" || m.request.proxy === ctx.self) return;
      const decoded = kvCommandCodec.decode(m.request.command);
      if (!decoded.ok || decoded.value.op.type !== "put") return;
      const { client, timestamp, proxy } = m.request;
      const early = { type: "reply" as const, view, client, timestamp, result: PUT_DONE, replica: ctx.self };
      ctx.emit(proxy, authenticateAs<Reply>(ctx.self, proxy, ctx.members, m.request, early));
    },
    onSend(e, ctx) {
      const m = e.message;
      if ("view" in m && m.view > view) view = m.view;
      if (m.type === "prePrepare" || m.type === "commit") {
        if (m.type === "prePrepare") store.remember(m.seq, m.requests);
        else store.apply(m.seq);
        const ally = store.allyOf(m.seq, ctx.self);
        const onTime = ally === undefined || (m.type === "prePrepare" ? m.replica !== ctx.self || reached(ctx, ally).includes(e.to) : e.to === ally);
        return ctx.emit(e.to, m, onTime ? 0 : SPLIT_WRITE_LAG_MS);
      }
      const command = m.type === "readReply" ? reads.get(`${m.client}:${m.timestamp}`) : undefined;
      const result = command === undefined ? undefined : store.staleAnswer(command);
      if (m.type !== "readReply" || result === undefined) return ctx.emit(e.to, m);
      const { sig: _sig, ...unsigned } = m;
      ctx.emit(e.to, authenticateAs<ReadReply>(e.from, e.to, ctx.members, m, { ...unsigned, result }));
    },
  };
}
