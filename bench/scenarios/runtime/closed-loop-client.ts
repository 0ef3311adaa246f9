import { encodeKvCommand, type KvReply, type RaftInput, type RaftOutput } from "@synod/raft";

const VALUE = "v".repeat(16);

/** The KV put of sequence number `seq` (1,000 keys, 16-byte values): the bench's one command. */
export function benchCommand(seq: number): Uint8Array {
  return encodeKvCommand({ client: 1, seq, op: { type: "put", key: `k${seq % 1000}`, value: VALUE } });
}

/** What the client needs of a node: to hand it a request. */
export interface Proposer {
  request(input: RaftInput): void;
}

/**
 * The bench's closed-loop client, beside the leader (same thread): keeps a window of entries in
 * flight (256 with batch 1, 1,024 with batch 64), proposing a new batch as one applies at the
 * leader, and records the commit count and the propose → applied latency while `measuring`.
 *
 * A refusal pauses proposing until a retry 1 ms later: the runtime may deliver it inside
 * `request` (a step that persists nothing is released at once when no sync is open), and a loop
 * that proposed again at once would never return. When its leader steps down the client forgets
 * it and its window (the entries in flight may commit under another leader or be overwritten, and
 * a follower refuses every proposal): it proposes again only from a node that reports it leads.
 */
export class ClosedLoopClient {
  measuring = false;
  committed = 0;
  readonly latencies: number[] = [];
  leader: Proposer | undefined;
  private readonly startedAt = new Map<number, number>(); // last index of a batch → propose time
  private readonly tagTimes = new Map<number, number>();
  private seq = 0;
  private inflightEntries = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly windowEntries: number;

  constructor(readonly batch: number) {
    this.windowEntries = batch === 1 ? 256 : 1024;
  }

  readonly propose = (): void => {
    while (this.leader !== undefined && this.retryTimer === undefined && this.inflightEntries + this.batch <= this.windowEntries) {
      this.inflightEntries += this.batch;
      const items = Array.from({ length: this.batch }, () => benchCommand(++this.seq));
      const tag = this.seq;
      this.tagTimes.set(tag, performance.now());
      this.leader.request(this.batch === 1 ? { type: "propose", data: items[0] as Uint8Array, tag } : { type: "propose-batch", items, tag });
    }
  };

  private readonly retry = (): void => {
    this.retryTimer = undefined;
    this.propose();
  };

  /** An output of `node`. */
  onOutput(node: Proposer, o: RaftOutput<KvReply>): void {
    if (o.type === "role" && o.role === "leader" && node !== this.leader) {
      this.forgetLeader();
      this.leader = node;
      queueMicrotask(this.propose);
    }
    if (node !== this.leader) return;
    if (o.type === "role" && o.role !== "leader") {
      this.forgetLeader();
    } else if (o.type === "proposed") {
      const t = this.tagTimes.get(o.tag);
      this.tagTimes.delete(o.tag);
      if (t !== undefined) this.startedAt.set(o.index + o.count - 1, t);
    } else if (o.type === "refused") {
      this.inflightEntries -= this.batch;
      this.tagTimes.delete(o.tag);
      this.retryTimer ??= setTimeout(this.retry, 1);
    } else if (o.type === "apply" && o.entry.type === "normal") {
      if (this.measuring) this.committed++;
      const t = this.startedAt.get(o.entry.index);
      if (t !== undefined) {
        this.startedAt.delete(o.entry.index);
        this.inflightEntries -= this.batch;
        if (this.measuring) this.latencies.push(performance.now() - t);
        this.propose();
      }
    }
  }

  /** The leader stepped down (or another node leads): nothing in flight is waited for any more. */
  private forgetLeader(): void {
    this.leader = undefined;
    this.inflightEntries = 0;
    this.startedAt.clear();
    this.tagTimes.clear();
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }
}
