import { StepBuilder, type NodeContext, type Step } from "@synod/core";
import type { RaftRecord } from "@synod/raft";
import type { ChainNode } from "../chain-node.js";
import type { PendingWrite } from "../chain-store.js";
import type { ChainConfig } from "../config.js";
import type { ChainInput, ChainOutput } from "../io.js";
import type { ChainMessage, Write } from "../messages.js";
import { createChainSimulation, type ChainSimulationTarget } from "./chain-target.js";

/**
 * Trace validation of simulated CRAQ runs against specs/chain/Chain.tla (ChainTrace.tla; `pnpm specs
 * validate chain`). Each implementation step of a chain member becomes the spec actions it takes,
 * in the order it took them:
 *
 * | implementation | Chain.tla |
 * |---|---|
 * | the head orders a write of key k (`orderWrite`) | `Write(k)` |
 * | a member sends its successor a write it had not sent it (in an `append`) | `Send(i)`, the write compared |
 * | a member appends its predecessor's next write (the tail commits it) | `Receive(p, i)`, the write compared |
 * | an `ack` raises a member's commit point to k | `AckTo(q, k)` (q the successor) |
 * | a strong read of key k answered clean (own committed version) | `Read(i, k)`, the version compared |
 * | a dirty read of k: the tail names k's committed version | `Read(i, k)` where the tail named it, once `i` answers (see `moveRead`) |
 * | the master removed member n and every remaining member adopted it | `Reconfigure(n)`, where the last one adopted it (see `adopt`) |
 * | the master appended node j and every member (j too) adopted it | `Join(j)`, where the last one adopted it (see `catchUp`) |
 * | a member appends nothing from a message of an older epoch (fenced) | `Receive(p, i)`, not appended, before its first write of the new epoch |
 * | a node restarts | nothing: its old incarnation takes no more steps (a crash), the new one is outside the chain until it joins |
 *
 * The trace starts once every node adopted a configuration naming all of them (Chain.tla starts
 * from a formed chain, `chain = Nodes`; the joins that form it are before the trace). Until then the
 * wrapper refuses client requests itself (they never reach a node: the only change it makes to a
 * run), so nothing is written before the trace starts. Steps
 * Chain.tla abstracts are counted, not written as lines: the Raft group and the master's failure
 * detector (raft, heartbeat), read confirmations (confirm, confirmed), the client protocol
 * (submit, reply, tailRead, readReply, readRefused), version queries (the answer is the Read), acks
 * that raise nothing, and writes sent again (retransmissions and the duplicates the network makes:
 * the spec's channels are reliable FIFO, so each write is sent once per successor), and every step of
 * a removed member or of a node outside the chain. The trace ends (the rest of the run is not
 * recorded, the reason is reported) at a member adopting two changes in one step, or a change that
 * is neither one removal nor one join; a state transfer other than a joiner's copy, or an alarm,
 * refuses the run.
 *
 * Keys: a validated run's clients use the KV workload's keys as they are; each Write and Read line
 * names its key (the spec's Keys are the keys the trace names). A read's version is compared as
 * the spec's: the position of the key's latest write at or before the version the code answered
 * in the member's log (see `versionIn`: equal to the code's version, except where a joiner's
 * snapshot floor stands for "unwritten since the copy").
 * Every line after which a member's state is known carries `post`: how many writes it holds
 * (`store.received`) and how many it has committed (`store.committed`).
 */

/** A member's state after a line: writes held, writes committed. */
export interface ChainSpecPost {
  readonly log: number;
  readonly commit: number;
}

/** Names of the lines a chain trace holds (every one an action of Chain.tla, Noop a stutter). */
export type ChainSpecEventName = "Write" | "Send" | "Receive" | "Ack" | "Read" | "Reconfigure" | "Join" | "Noop";

/** One line of a chain spec trace. */
export interface ChainSpecTraceEvent {
  readonly e: ChainSpecEventName;
  /** The member taking the step (Read: the member answering). */
  readonly i: string;
  /** Receive: the predecessor the write came from. */
  readonly p?: string;
  /** Ack: the successor whose commit point is learnt. */
  readonly q?: string;
  /** Send, Receive: the write (the spec's number of it: the order in which heads ordered writes). */
  readonly w?: number;
  /** Receive: whether the write was appended (false: fenced). */
  readonly ok?: boolean;
  /** Write, Read: the key (a dirty read's is filled in when the member answers). */
  k?: string;
  /** Ack: the commit point learnt. */
  readonly commit?: number;
  /** Read: the version answered. */
  version?: number;
  post?: ChainSpecPost;
  /** The simulator event (its trace line's `i`) the step belongs to. */
  readonly at: number;
}

/** The header line of a chain trace. */
export interface ChainSpecTraceHeader {
  readonly specTrace: "chain";
  readonly version: 1;
  readonly seed: number;
  /** The chain once formed, head first (the spec's Nodes). */
  readonly nodes: readonly string[];
  /** The epoch the code gave that chain (the spec's epoch 1). */
  readonly formedEpoch: number;
  readonly durationMs: number;
  readonly faults: string;
  /** The keys the trace's writes and reads name, sorted (the spec's Keys; the workload's first key when it names none). */
  readonly keys: readonly string[];
  /** Writes ordered (the spec's MaxWrites). */
  readonly maxWrites: number;
  /** Members removed (the spec's MaxRemovals). */
  readonly maxRemovals: number;
  /** Members appended (the spec's MaxJoins). */
  readonly maxJoins: number;
}

/** Thrown when the run did something Chain.tla does not have (a reconfiguration, a restart, …). */
export class ChainSpecTraceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ChainSpecTraceError";
  }
}

/**
 * Faults a validated chain run may have: delivery and clocks, which the spec leaves free, and the
 * faults that make the master remove a member and add it back (a removal is the spec's Reconfigure,
 * a join its Join, a restart a removal and a join).
 */
export const CHAIN_SPEC_TRACE_FAULTS: readonly string[] = Object.freeze([
  "loss",
  "duplicate",
  "reorder",
  "delay",
  "slow",
  "skew",
  "partition",
  "crash",
  "pause",
  "leader-crash",
  "leader-stall",
  "leader-island",
]);

/** Faults a validated chain run refuses, and why. */
export const CHAIN_SPEC_TRACE_EXCLUDED_FAULTS: Readonly<Record<string, string>> = Object.freeze({
  torn: "a torn write damages the configuration group's storage: Chain.tla has no crash recovery",
  corrupt: "a node that finds corrupted storage halts, a state Chain.tla does not have",
  buggify: "buggify restarts nodes with damaged storage, a state Chain.tla does not have",
  byzantine: "the chain's nodes are crash-fault tolerant only",
});

/** The key a trace that names none declares (Chain.tla's Keys is not empty). */
export const CHAIN_SPEC_TRACE_DEFAULT_KEY = "a";

/** @returns the sorted keys `events` name (Write and Read lines), or {@link CHAIN_SPEC_TRACE_DEFAULT_KEY} alone when none */
export function chainSpecTraceKeys(events: readonly ChainSpecTraceEvent[]): string[] {
  const keys = [...new Set(events.flatMap((e) => (e.k === undefined ? [] : [e.k])))].sort();
  return keys.length === 0 ? [CHAIN_SPEC_TRACE_DEFAULT_KEY] : keys;
}

/** @returns the simulation target of a validated run: `pnpm sim chain` (CRAQ) with its KV workload (several keys) */
export function chainSpecTraceTarget(config: Partial<ChainConfig> = {}): ChainSimulationTarget {
  return createChainSimulation(config);
}

type ChainStep = Step<ChainMessage, ChainOutput, RaftRecord>;

const writeKey = (w: Pick<Write, "seq" | "origin" | "tag">): string => `${w.seq} ${w.origin} ${w.tag}`;

/** A node's step as the recorder maps it: the node's state right after it (a step may be mapped later, see `Adoption`). */
interface StepView {
  readonly id: string;
  readonly received: number;
  readonly committed: number;
  readonly pending: readonly PendingWrite[];
  readonly at: number;
  readonly from: string | undefined;
  readonly message: ChainMessage | undefined;
  readonly step: ChainStep;
}

/** A change (one removal or one join) some members adopted and others not yet: the steps of those that did wait until all did. */
interface Adoption {
  readonly epoch: number;
  readonly members: readonly string[];
  /** The members' incarnations: a member whose incarnation restarted takes no more steps (it need not adopt). */
  readonly boots: ReadonlyMap<string, number>;
  readonly kind: "remove" | "join";
  /** The member removed or appended. */
  readonly node: string;
  readonly adopted: Set<string>;
}

/** A step of a member that adopted a change not yet a line: held until it is (`epoch`: the one the member was in). */
interface Held {
  readonly view: StepView;
  readonly epoch: number;
}

/** A joiner whose copy of the committed state has not arrived: how much the spec's copy holds, and its log hash there. */
interface CatchingUp {
  readonly target: number;
  readonly hash: number | undefined;
}

/**
 * Records a simulated chain run as a trace of Chain.tla's actions (see the table above). It wraps
 * `tick`, `receive` and `request` of the nodes the target creates and draws no random number; it
 * changes nothing they do once the chain formed (before, it refuses client requests itself).
 *
 * Use: `const rec = new ChainSpecTraceRecorder(3); runSimulation(rec.wrap(target), { trace: (l) => rec.onSimulatorLine(l), … }); rec.events`.
 */
export class ChainSpecTraceRecorder {
  private readonly list: ChainSpecTraceEvent[] = [];
  private readonly nodes = new Map<string, ChainNode>();
  private readonly abstracted: Record<string, number> = {};
  private eventIndex = 0;
  private firstFailure: ChainSpecTraceError | undefined;
  private formed: { readonly chain: readonly string[]; readonly epoch: number } | undefined;
  /** The spec's view: each member's log (write numbers), writes sent to its successor, last reported post. */
  private readonly log = new Map<string, number[]>();
  private readonly sent = new Map<string, number>();
  /** The spec's channels: the writes sent from p to q, with the epoch they were sent in, not yet received. */
  private readonly chan = new Map<string, { readonly w: number; readonly e: number }[]>();
  /** The spec's chain and epoch (1 at the formed chain). */
  private chain: readonly string[] = [];
  private epoch = 1;
  /** Changes some members adopted and others not yet, oldest first, and the steps held for them. */
  private pending: Adoption[] = [];
  private held: Held[] = [];
  /** The latest epoch each member adopted while changes are pending. */
  private readonly adoptedEpoch = new Map<string, number>();
  /** Nodes whose current incarnation is not a member (removed, or restarted and not joined again): not the spec's steps. */
  private readonly removed = new Set<string>();
  /** Nodes outside the chain that adopted their join ahead of the members, and their steps since (see `adopt`). */
  private readonly ahead = new Map<string, StepView[]>();
  /** Joiners whose copy has not arrived yet (see `catchUp`). */
  private readonly catchingUp = new Map<string, CatchingUp>();
  private endReason: string | undefined;
  private readonly reported = new Map<string, ChainSpecPost>();
  /** The spec's number of each write the heads ordered, by (seq, origin, tag) (the latest head's, when two ordered one key). */
  private readonly writeIds = new Map<string, number>();
  private writesOrdered = 0;
  /** The key of each write, by the spec's number (Chain.tla's keyOf). */
  private readonly keyOf = new Map<number, string>();
  /** Writes each node was sent in appends, by sequence (a write past a gap is appended later). */
  private readonly seen = new Map<string, Map<number, Write>>();
  /** Dirty reads whose version the tail named, by member, query and version: their Read line (filled in when the member answers), what the tail held then. */
  private readonly pendingReads = new Map<string, { readonly line: ChainSpecTraceEvent; readonly tailLog: number; readonly named: number }>();

  /** @param nodeCount - the cluster size: the chain is formed once a configuration names every node */
  constructor(private readonly nodeCount: number) {}

  /** The first step the recorder could not map (the simulator only reports a throw as NodeThrew): the caller must check it. */
  get failure(): ChainSpecTraceError | undefined {
    return this.firstFailure;
  }

  /** The trace's lines, in order (dirty reads no member answered left out). */
  get events(): ChainSpecTraceEvent[] {
    return this.list.filter((e) => !(e.e === "Read" && e.version === undefined));
  }

  /** The chain once formed (head first) and its epoch; undefined while it has not formed. */
  get formation(): { readonly chain: readonly string[]; readonly epoch: number } | undefined {
    return this.formed;
  }

  /** Why the trace ends before the run does (a change the spec cannot take: the rest is not recorded), if it does. */
  get endedBecause(): string | undefined {
    const a = this.pending[0];
    const change = a?.kind === "join" ? "join" : "removal";
    const half = a === undefined ? undefined : `the run ended while only ${[...a.adopted].join(",")} had adopted the ${change} of ${a.node}`;
    return this.endReason ?? half;
  }

  /** Implementation steps the spec abstracts, by kind (not lines of the trace). */
  get abstractedSteps(): Readonly<Record<string, number>> {
    return this.abstracted;
  }

  /** @returns the target whose nodes report their steps to this recorder */
  wrap(target: ChainSimulationTarget): ChainSimulationTarget {
    return {
      ...target,
      createNode: (ctx: NodeContext<RaftRecord>) => {
        // A restart before the chain formed is before the trace; after, it is a crash of the member (its
        // incarnation takes no more steps) and a new node outside the chain, until the master appends it.
        const restarted = this.nodes.has(ctx.id) && this.formed !== undefined;
        const node = target.createNode(ctx);
        this.nodes.set(ctx.id, node);
        this.observe(node);
        if (restarted && this.endReason === undefined) this.restarted(ctx.id);
        return node;
      },
    };
  }

  /** The simulator's trace line of the event that just ran (JSON text): its index goes on the lines of the next step. */
  onSimulatorLine(line: string): void {
    const event = JSON.parse(line) as { i?: number };
    if (event.i !== undefined) this.eventIndex = event.i + 1;
  }

  /** @returns how many lines of each name the trace holds */
  static counts(events: readonly ChainSpecTraceEvent[]): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const e of events) counts[e.e] = (counts[e.e] ?? 0) + 1;
    return counts;
  }

  private fail(message: string): ChainSpecTraceError {
    const error = new ChainSpecTraceError(message);
    this.firstFailure ??= error;
    return error;
  }

  private count(kind: string, n = 1): void {
    if (n > 0) this.abstracted[kind] = (this.abstracted[kind] ?? 0) + n;
  }

  private observe(node: ChainNode): void {
    const tick = node.tick.bind(node);
    const receive = node.receive.bind(node);
    const request = node.request.bind(node);
    node.tick = () => this.stepped(node, undefined, undefined, tick());
    node.receive = (from, message) => this.stepped(node, from, message, receive(from, message));
    node.request = (input: ChainInput) => {
      if (this.formed === undefined) return this.refuseBeforeFormed(input);
      return this.stepped(node, undefined, undefined, request(input));
    };
  }

  private stepped(node: ChainNode, from: string | undefined, received: ChainMessage | undefined, step: ChainStep): ChainStep {
    try {
      if (this.formed === undefined) {
        this.count("before the chain formed");
        this.maybeFormed();
      } else if (this.endReason !== undefined) this.count("after the trace ended");
      else {
        const { id, store } = node;
        const at = this.eventIndex;
        this.route({ id, received: store.received, committed: store.committed, pending: [...store.pending], at, from, message: received, step });
      }
    } catch (error) {
      if (error instanceof ChainSpecTraceError) throw error;
      throw this.fail(`${node.id}: ${error instanceof Error ? error.message : String(error)}`);
    }
    return step;
  }

  /**
   * A client's request before the chain formed: refused here, not handed to the node (the validated
   * runs' clients wait for the spec's initial state, a formed chain holding nothing).
   */
  private refuseBeforeFormed(input: ChainInput): ChainStep {
    this.count("client request before the chain formed (refused)");
    const out = new StepBuilder<ChainMessage, ChainOutput, RaftRecord>();
    out.output({ type: "refused", tag: input.tag, reason: "the validated run's clients wait for every node to adopt the full chain" });
    return out.finish();
  }

  /** The trace starts once every node adopted one configuration naming all of them, with nothing written yet. */
  private maybeFormed(): void {
    if (this.nodes.size < this.nodeCount) return;
    const all = [...this.nodes.values()];
    const first = all[0] as ChainNode;
    const { epoch, members } = first.configuration;
    if (members.length !== this.nodeCount || all.some((n) => n.configuration.epoch !== epoch)) return;
    const written = all.find((n) => n.store.received > 0);
    if (written !== undefined) {
      const why = "Chain.tla starts from a formed, empty chain";
      throw this.fail(`${written.id} holds ${written.store.received} writes before every node adopted the full chain: ${why}`);
    }
    const chain = members.map((m) => m.id);
    this.formed = { chain, epoch };
    this.chain = chain;
    for (const id of chain) {
      this.log.set(id, []);
      this.sent.set(id, 0);
      this.reported.set(id, { log: 0, commit: 0 });
      this.seen.set(id, new Map());
    }
  }

  /** `id` restarted: its new incarnation is outside the chain; a change waiting for its old one completes without it. */
  private restarted(id: string): void {
    this.count("restart");
    this.removed.add(id);
    this.catchingUp.delete(id);
    this.ahead.delete(id);
    this.adoptedEpoch.delete(id);
    this.completeReady();
  }

  private successorOf(id: string): string | undefined {
    const at = this.chain.indexOf(id);
    return at < 0 ? undefined : this.chain[at + 1];
  }

  /** The code's epoch of the spec's current chain. */
  private get codeEpoch(): number {
    return (this.formed?.epoch ?? 0) + this.epoch - 1;
  }

  /** The trace ends here: the rest of the run is not recorded (a change half adopted is left out). */
  private end(reason: string): void {
    this.endReason ??= reason;
    this.count("after the trace ended", this.held.length);
    this.pending = [];
    this.held = [];
    this.adoptedEpoch.clear();
  }

  /** A step after the chain formed: mapped now, held while its node adopted a change others have not, or ignored (a node outside the chain). */
  private route(view: StepView): void {
    const configured = view.step.output.find((o) => o.type === "configured");
    if (configured?.type === "configured") return this.adopt(view, configured);
    const early = this.ahead.get(view.id);
    if (early !== undefined) {
      early.push(view);
      return;
    }
    const adopted = this.adoptedEpoch.get(view.id);
    if (adopted !== undefined && adopted > this.codeEpoch) {
      this.held.push({ view, epoch: adopted });
      return;
    }
    if (this.removed.has(view.id)) return this.count("a removed member's step");
    this.record(view);
  }

  /**
   * A member adopted a configuration. Chain.tla's Reconfigure and Join change every member at once
   * in the model traces are checked against (ChainTrace.cfg: OneByOne = FALSE; the spec's Adopt
   * steps are not recorded yet); the code's members adopt one by one. A member that adopted a change takes no step the others
   * can see (they fence its new epoch's messages) until they adopt it too, so its steps are held;
   * the Reconfigure or Join line goes where the last member adopts it (a member whose incarnation
   * restarted takes no more steps and need not), followed by the steps held for it. A member may
   * adopt a removal and a join in one step (its Raft replica applied both): they are two changes.
   */
  private adopt(view: StepView, o: { readonly epoch: number; readonly members: readonly string[]; readonly member: boolean }): void {
    if (!o.member && this.removed.has(view.id)) return this.count("a removed member's step");
    const last = this.pending[this.pending.length - 1];
    const baseEpoch = last?.epoch ?? this.codeEpoch;
    const configuration = (this.nodes.get(view.id) as ChainNode).configuration;
    if (o.epoch > baseEpoch) {
      const boots = new Map(configuration.members.map((m) => [m.id, m.boot]));
      const changes = this.changesTo(last?.members ?? this.chain, baseEpoch, o.epoch, o.members, boots);
      if (changes === undefined) {
        if (this.removed.has(view.id)) {
          // A node outside the chain adopted, ahead of the members, a later configuration naming it (its
          // join): its steps wait until the changes before it are recorded (nobody can see them before).
          this.ahead.set(view.id, [view]);
          return;
        }
        const what = o.members.length > (last?.members ?? this.chain).length ? "not one join" : "not one removal";
        return this.end(`${view.id} adopted epoch ${o.epoch} ([${o.members.join(",")}]): ${what} (nor a removal and a join) after the last`);
      }
      this.pending.push(...changes);
    } else {
      const same = this.pending.find((a) => a.epoch === o.epoch);
      if (same === undefined || same.members.join() !== o.members.join()) {
        return this.end(`${view.id} adopted epoch ${o.epoch} ([${o.members.join(",")}]), not a pending change`);
      }
    }
    if (!o.member) {
      // The removed member forgot its data: none of its steps from here is the spec's.
      this.removed.add(view.id);
      this.count("a removed member's step");
      return;
    }
    this.adoptedEpoch.set(view.id, o.epoch);
    for (const a of this.pending) if (a.epoch <= o.epoch) a.adopted.add(view.id);
    this.held.push({ view, epoch: o.epoch });
    this.completeReady();
  }

  /** @returns the change from `base` (at `baseEpoch`) to `members` at `epoch`: one removal, one join, or a removal then a join */
  private changesTo(
    base: readonly string[],
    baseEpoch: number,
    epoch: number,
    members: readonly string[],
    boots: ReadonlyMap<string, number>,
  ): Adoption[] | undefined {
    const one = (from: readonly string[], to: readonly string[], at: number): Adoption | undefined => {
      const gone = from.filter((m) => !to.includes(m));
      const joiner = to[to.length - 1] as string;
      const removal = gone.length === 1 && to.length === from.length - 1 && from.filter((m) => m !== gone[0]).every((m, k) => m === to[k]);
      const join = to.length === from.length + 1 && !from.includes(joiner) && from.every((m, k) => m === to[k]);
      if (!removal && !join) return undefined;
      return { epoch: at, members: to, boots, kind: removal ? "remove" : "join", node: removal ? (gone[0] as string) : joiner, adopted: new Set() };
    };
    if (epoch === baseEpoch + 1) {
      const change = one(base, members, epoch);
      return change === undefined ? undefined : [change];
    }
    if (epoch !== baseEpoch + 2) return undefined;
    const middle = members.slice(0, -1);
    const removal = one(base, middle, baseEpoch + 1);
    const join = one(middle, members, epoch);
    return removal?.kind === "remove" && join?.kind === "join" ? [removal, join] : undefined;
  }

  /** Whether every member of the change's configuration adopted it, or is an incarnation that restarted since. */
  private allAdopted(a: Adoption): boolean {
    return a.members.every((m) => a.adopted.has(m) || this.nodes.get(m)?.boot !== a.boots.get(m));
  }

  /** Write the line of every change all members adopted, oldest first, each followed by the steps held for it. */
  private completeReady(): void {
    for (let a = this.pending[0]; a !== undefined && this.endReason === undefined && this.allAdopted(a); a = this.pending[0]) {
      this.pending.shift();
      const at = this.held.find((h) => h.epoch >= a.epoch)?.view.at ?? this.eventIndex;
      if (a.kind === "remove") this.reconfigure(a, at);
      else this.join(a, at);
      const ready = this.held.filter((h) => h.epoch <= this.codeEpoch);
      this.held = this.held.filter((h) => h.epoch > this.codeEpoch);
      for (const h of ready) this.record(h.view);
    }
    if (this.pending.length > 0) return;
    this.adoptedEpoch.clear();
    // Nodes that adopted their join ahead of the members: their steps go on from here.
    for (const [id, views] of [...this.ahead]) {
      this.ahead.delete(id);
      for (const view of views) if (this.endReason === undefined) this.route(view);
    }
  }

  /** Every member adopted the removal: the Reconfigure line. */
  private reconfigure(a: Adoption, at: number): void {
    this.list.push({ e: "Reconfigure", i: a.node, at });
    this.chain = a.members;
    this.epoch++;
    this.removed.add(a.node);
    this.catchingUp.delete(a.node);
    this.resetSendPoints();
  }

  /**
   * Every member adopted the join of j: the Join line. The spec gives j the old tail's committed
   * writes at once; the code's j gets them in a snapshot some steps later (or, after a change of
   * predecessor, partly as writes sent again), and until then its steps are not lines (`catchUp`).
   */
  private join(a: Adoption, at: number): void {
    const j = a.node;
    const oldTail = this.chain[this.chain.length - 1] as string;
    const tailCommit = (this.reported.get(oldTail) as ChainSpecPost).commit;
    const copy = (this.log.get(oldTail) as number[]).slice(0, tailCommit);
    const tailNode = this.nodes.get(oldTail);
    // The old tail's log hash at the copy (while the same incarnation holds it): the joiner must reach it.
    const hash = tailNode !== undefined && !this.removed.has(oldTail) ? tailNode.store.hashAt(copy.length) : undefined;
    this.list.push({ e: "Join", i: j, at });
    this.chain = a.members;
    this.epoch++;
    this.removed.delete(j);
    this.log.set(j, copy);
    this.sent.set(j, 0);
    this.reported.set(j, { log: copy.length, commit: copy.length });
    this.seen.set(j, new Map());
    this.catchingUp.set(j, { target: copy.length, hash });
    this.resetSendPoints();
  }

  /** The re-send rule: each member's send point is what its new successor holds. */
  private resetSendPoints(): void {
    for (const m of this.chain) {
      const succ = this.successorOf(m);
      if (succ !== undefined) this.sent.set(m, (this.log.get(succ) as number[]).length);
    }
  }

  /**
   * A joiner's step before its copy arrived: not a line. It holds less than the spec's copy and is
   * not synced, so it orders nothing, answers no strong read or version query and commits nothing
   * past its copy (Chain.tla's Join, "why one step"); that is checked here. The step that brings it
   * to the copy (a snapshot, or writes sent again by a new predecessor) is recorded as usual, with
   * the writes past the copy as Receive lines.
   * @returns whether the step was taken here (still catching up)
   */
  private catchUp(view: StepView): boolean {
    const waiting = this.catchingUp.get(view.id);
    if (waiting === undefined) return false;
    const seenHere = this.seen.get(view.id) as Map<number, Write>;
    if (view.message?.type === "append") for (const w of view.message.writes) seenHere.set(w.seq, w);
    for (const o of view.step.output) {
      if (o.type === "served" && o.consistency === "strong") throw this.fail(`${view.id} served a strong read before its copy of the committed state arrived`);
    }
    if (view.step.send.some((e) => e.message.type === "versionReply")) {
      throw this.fail(`${view.id} named a committed version before its copy of the committed state arrived`);
    }
    if (view.received < waiting.target) {
      this.count("a joiner's step before its copy arrived");
      return true;
    }
    this.catchingUp.delete(view.id);
    const hash = (this.nodes.get(view.id) as ChainNode).store.hashAt(waiting.target);
    if (waiting.hash !== undefined && hash !== undefined && hash !== waiting.hash) {
      throw this.fail(`${view.id} caught up to ${waiting.target} writes that are not the old tail's (log hash ${hash}, expected ${waiting.hash})`);
    }
    this.count("a joiner caught up");
    return false;
  }

  /** Receive lines for the messages of older epochs at the head of the channel from p to q (fenced: not appended). */
  private dropStale(p: string, q: string, at: number): ChainSpecTraceEvent[] {
    const queue = this.chan.get(`${p} ${q}`) ?? [];
    const out: ChainSpecTraceEvent[] = [];
    while (queue[0] !== undefined && queue[0].e !== this.epoch) {
      out.push({ e: "Receive", i: q, p, w: queue[0].w, ok: false, at });
      queue.shift();
    }
    return out;
  }

  private record(view: StepView): void {
    if (this.catchUp(view)) return;
    const { id, at, from, message: received, step } = view;
    const before = this.reported.get(id) as ChainSpecPost;
    this.refuseUnmodelled(view);
    if (received !== undefined) this.count(`received (${received.type})`);
    const out = this.appendLines(view);
    // The commit point learnt from the successor.
    const tail = this.chain[this.chain.length - 1];
    if (received?.type === "ack" && view.committed > before.commit && id !== tail) {
      out.push({ e: "Ack", i: id, q: from as string, commit: view.committed, at });
    } else if (received?.type === "ack") this.count("ack that raises nothing");
    out.push(...this.sendLines(view), ...this.readLines(view));
    const post: ChainSpecPost = { log: view.received, commit: view.committed };
    const changed = post.log !== before.log || post.commit !== before.commit;
    const last = out[out.length - 1];
    if (last !== undefined) last.post = post;
    else if (changed) out.push({ e: "Noop", i: id, post, at });
    this.reported.set(id, post);
    this.list.push(...out);
  }

  /** @throws {ChainSpecTraceError} on a step Chain.tla does not have: a reconfiguration, an alarm, a state transfer */
  private refuseUnmodelled(view: StepView): void {
    const { id, from, message: received, step } = view;
    for (const o of step.output) {
      if (o.type === "alarm") throw this.fail(`${id} raised an alarm (${o.reason}): a state Chain.tla does not have`);
    }
    if (received?.type === "snapshot" && view.received !== (this.log.get(id) as number[]).length) {
      throw this.fail(`${id} installed a snapshot from ${from}: Chain.tla has no state transfer`);
    }
  }

  /** Write lines (the head ordered writes) or Receive lines (the predecessor's writes appended) for the writes `node` now holds. */
  private appendLines(view: StepView): ChainSpecTraceEvent[] {
    const { id, from, message: received, at } = view;
    const myLog = this.log.get(id) as number[];
    const seenHere = this.seen.get(id) as Map<number, Write>;
    if (received?.type === "append") for (const w of received.writes) seenHere.set(w.seq, w);
    if (view.received < myLog.length) {
      throw this.fail(`${id} holds ${view.received} writes after holding ${myLog.length}: Chain.tla's logs only grow`);
    }
    const out: ChainSpecTraceEvent[] = [];
    for (let seq = myLog.length + 1; seq <= view.received; seq++) {
      if (received?.type !== "append") {
        if (this.chain[0] !== id) throw this.fail(`${id} appended write ${seq} without receiving it, and is not the head`);
        const w = view.pending.find((x) => x.seq === seq);
        if (w === undefined) throw this.fail(`${id} ordered write ${seq}, but it is not pending there`);
        // Counted, not the map's size: a re-submitted write a new head orders at the sequence the old
        // head gave it has the same key, and would otherwise share its number with the next write.
        const n = ++this.writesOrdered;
        this.writeIds.set(writeKey(w), n);
        this.keyOf.set(n, w.key);
        myLog.push(n);
        out.push({ e: "Write", i: id, k: w.key, at });
      } else {
        const w = seenHere.get(seq);
        const n = w === undefined ? undefined : this.writeIds.get(writeKey(w));
        if (n === undefined) throw this.fail(`${id} appended write ${seq} from ${from}, which no head ordered`);
        out.push(...this.dropStale(from as string, id, at));
        const head = this.chan.get(`${from} ${id}`)?.shift();
        if (head !== undefined && head.w !== n) throw this.fail(`${id} appended write ${n} from ${from}, whose channel's next write is ${head.w}`);
        myLog.push(n);
        out.push({ e: "Receive", i: id, p: from as string, w: n, ok: true, at });
      }
    }
    return out;
  }

  /** Send lines for the writes `node` sent its successor for the first time (the rest counted as sent again). */
  private sendLines(view: StepView): ChainSpecTraceEvent[] {
    const { id, step, at } = view;
    const myLog = this.log.get(id) as number[];
    const succ = this.successorOf(id);
    const out: ChainSpecTraceEvent[] = [];
    for (const envelope of step.send) {
      const m = envelope.message;
      if (m.type !== "append") {
        if (m.type === "versionReply") this.nameVersion(view, envelope.to, m.id, m.version);
        this.count(`sent (${m.type})`);
        continue;
      }
      if (envelope.to !== succ) throw this.fail(`${id} sent writes to ${envelope.to}, not its successor ${succ ?? "(none)"}`);
      let sent = this.sent.get(id) as number;
      for (const w of m.writes) {
        if (w.seq <= sent) {
          this.count("sent again (write)");
          continue;
        }
        if (w.seq !== sent + 1) throw this.fail(`${id} sent write ${w.seq} to ${succ} before write ${sent + 1}`);
        const n = myLog[w.seq - 1];
        if (n === undefined) throw this.fail(`${id} sent write ${w.seq}, which it does not hold`);
        sent = w.seq;
        this.chan.set(`${id} ${succ}`, [...(this.chan.get(`${id} ${succ}`) ?? []), { w: n, e: this.epoch }]);
        out.push({ e: "Send", i: id, w: n, at });
      }
      this.sent.set(id, sent);
    }
    return out;
  }

  /** Read lines for the strong reads `node` answered (a dirty one fills in the line placed where the tail named its version). */
  private readLines(view: StepView): ChainSpecTraceEvent[] {
    const { message: received, step, at } = view;
    const node = { id: view.id };
    const out: ChainSpecTraceEvent[] = [];
    for (const o of step.output) {
      if (o.type !== "served" || o.consistency !== "strong") continue;
      const version = this.versionIn(node.id, o.key, o.version);
      if (received?.type !== "versionReply") {
        out.push({ e: "Read", i: node.id, k: o.key, version, at });
        continue;
      }
      // The key names the version too: a duplicated query is answered twice, maybe with two versions.
      const key = `${node.id} ${received.id} ${received.version}`;
      const waiting = this.pendingReads.get(key);
      if (waiting === undefined) throw this.fail(`${node.id} answered a dirty read with no version named by the tail`);
      this.pendingReads.delete(key);
      const { line } = waiting;
      line.version = version;
      line.k = o.key;
      if (version > waiting.named) {
        this.count("dirty read answered newer than the tail named (Read moved)");
        this.moveRead(line, waiting.tailLog, version);
      }
    }
    return out;
  }

  /**
   * A dirty read answered with a version newer than the tail named: the member had learnt a newer
   * commit point meanwhile and answered its committed version (`versionAt` falls back to it). That
   * version is a write of the key the tail committed after it named the older one (the tail then
   * held `tailLog` writes): the Read line moves to just after the tail's Receive line that took it
   * to that write, where the key's committed version is exactly it.
   */
  private moveRead(line: ChainSpecTraceEvent, tailLog: number, version: number): void {
    const tail = this.chain[this.chain.length - 1];
    const from = this.list.indexOf(line);
    this.list.splice(from, 1);
    let length = tailLog;
    let k = from;
    for (; k < this.list.length && length < version; k++) if (this.list[k]?.e === "Receive" && this.list[k]?.i === tail) length++;
    if (length < version) throw this.fail(`${line.i} answered version ${version}, which the tail never held after naming an older one`);
    this.list.splice(k, 0, line);
  }

  /**
   * The tail (stepping in `view`) named the committed version of a dirty key to `member`: the Read
   * line goes here, filled in when `member` answers.
   */
  private nameVersion(view: StepView, member: string, queryId: number, version: number): void {
    const key = `${member} ${queryId} ${version}`;
    if (this.pendingReads.has(key)) return; // a duplicated query answered again with the same version: the first place stands
    const line: ChainSpecTraceEvent = { e: "Read", i: member, at: view.at };
    this.list.push(line);
    // The tail answers the query in the step that received it: the query names the key.
    const query = view.message;
    if (query?.type !== "versionQuery") throw this.fail(`${view.id} named a version to ${member} without a version query`);
    const named = this.versionIn(view.id, query.key, version);
    this.pendingReads.set(key, { line, tailLog: view.received, named });
  }

  /**
   * The spec's version of `key` for a version the code answered at `member`: the position of the
   * key's latest write at or before `upTo` in the member's log (Chain.tla's VersionOf). The code
   * answers the sequence number of that write, except for a key not written since a joiner's
   * snapshot, whose version the joiner names as the snapshot's sequence (`ChainStore.cleanVersion`:
   * it no longer knows which write that was); both mean "the key's value as of `upTo`", so a
   * version this maps to the spec's names the same value as the code's.
   */
  private versionIn(member: string, key: string, upTo: number): number {
    const log = this.log.get(member) as number[];
    for (let i = Math.min(upTo, log.length); i > 0; i--) if (this.keyOf.get(log[i - 1] as number) === key) return i;
    return 0;
  }
}
