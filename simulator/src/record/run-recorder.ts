import type { NodeId } from "@synod/core";
import type { Cut } from "../engine/network.js";
import type { TwinEpisode } from "../engine/twins.js";
import { traceJson } from "../trace/trace-json.js";
import { boundedJson } from "./bounded-json.js";
import { MessageFate, type MessageColumns, type NetworkEpisode, type NodeEpisode, type RoleChange, type RunRecording } from "./run-recording.js";

/** What the recorder reads of a running simulation (the simulation builds it when recording). */
export interface RecorderProbe {
  readonly ids: readonly NodeId[];
  /** The live node object, undefined while crashed. */
  node(i: number): unknown;
  paused(i: number): boolean;
  slow(i: number): boolean;
  skewed(i: number): boolean;
  byzantine(i: number): boolean;
  /** Partitions in force. */
  cuts(): readonly Cut[];
  /** Loss and duplication rates in force. */
  conditions(): { readonly loss: number; readonly duplicate: number };
  /** The target's role label of a live node. */
  role(node: unknown): string | undefined;
}

const KINDS: readonly NodeEpisode["kind"][] = ["down", "paused", "slow", "skew", "byzantine"];
/** Characters of a message's JSON kept for hovering (a large run's page is mostly these and the times). */
const DETAIL_CHARS = 64;
/** Times are kept to the microsecond: full doubles would double the size of a large run's page. */
const us = (ms: number): number => Math.round(ms * 1000) / 1000;

/**
 * Records what a space-time diagram needs from one run — every send with its fate (delivered, lost,
 * cut, duplicated, dropped at a crashed or overflowing node), node episodes (crashed, paused, slow,
 * skewed, Byzantine), partitions and lossy network stretches, role changes — without drawing a random
 * number or queuing an event, so a recorded run is the same run (same trace hash) as an unrecorded one.
 * Pass one as `SimulationOptions.record`; read {@link recording} after the run.
 */
export class RunRecorder {
  private probe: RecorderProbe | undefined;
  private readonly m: MessageColumns = { from: [], to: [], type: [], sentMs: [], endMs: [], fate: [], dupOf: [], sendEvent: [], endEvent: [], detail: [] };
  private readonly typeIndex = new Map<string, number>();
  private readonly types: string[] = [];
  /** Queue sequence number of a queued delivery → message id. */
  private readonly bySeq = new Map<number, number>();
  /** Per node, what a pause holds in order: message ids, −1 for a held request. */
  private readonly held: number[][] = [];
  private readonly nodeEpisodes: NodeEpisode[] = [];
  private readonly open: (NodeEpisode | undefined)[] = [];
  private readonly networkEpisodes: NetworkEpisode[] = [];
  private readonly openCuts = new Map<Cut, NetworkEpisode>();
  private openConditions: NetworkEpisode | undefined;
  private readonly roles: RoleChange[] = [];
  private readonly lastRole: (string | undefined)[] = [];
  private readonly eventTimesMs: number[] = [];
  private nowMs = 0;
  private event = -1;
  private states: Record<NodeId, unknown> | undefined;

  /** Called once by the simulation before the first event. */
  attach(probe: RecorderProbe): void {
    this.probe = probe;
    for (let i = 0; i < probe.ids.length; i++) this.held.push([]);
  }

  /** The event `index` at `timeMs` begins. */
  beginEvent(index: number, timeMs: number): void {
    this.event = index;
    this.nowMs = timeMs;
    this.eventTimesMs.push(us(timeMs));
  }

  /**
   * A message leaves `from` for `to`: queued as delivery `seq`, or (seq −1) dropped at once with `fate`.
   * @returns its id
   */
  sent(from: number, to: number, message: unknown, seq: number, fate: number = MessageFate.InFlight): number {
    const name = typeName(message);
    let type = this.typeIndex.get(name);
    if (type === undefined) {
      type = this.types.push(name) - 1;
      this.typeIndex.set(name, type);
    }
    const json = traceJson(message) ?? "undefined";
    return this.push(from, to, type, json.length > DETAIL_CHARS ? `${json.slice(0, DETAIL_CHARS)}…` : json, seq, fate, -1);
  }

  /** The network queued a second copy of message `id` as delivery `seq`. */
  duplicated(id: number, seq: number): void {
    const m = this.m;
    this.push(m.from[id] as number, m.to[id] as number, m.type[id] as number, m.detail[id] as string, seq, MessageFate.InFlight, id);
  }

  private push(from: number, to: number, type: number, detail: string, seq: number, fate: number, dupOf: number): number {
    const m = this.m;
    const id = m.from.length;
    m.from.push(from);
    m.to.push(to);
    m.type.push(type);
    m.sentMs.push(us(this.nowMs));
    m.endMs.push(-1);
    m.fate.push(fate);
    m.dupOf.push(dupOf);
    m.sendEvent.push(this.event);
    m.endEvent.push(-1);
    m.detail.push(detail);
    if (seq >= 0) this.bySeq.set(seq, id);
    return id;
  }

  /** @returns the id of the message queued as delivery `seq` (forgetting the sequence number), or −1 */
  arriving(seq: number): number {
    const id = this.bySeq.get(seq);
    if (id === undefined) return -1;
    this.bySeq.delete(seq);
    return id;
  }

  /** Message `id` was delivered or dropped (`fate`) by the current event. */
  ended(id: number, fate: number): void {
    if (id < 0) return;
    this.m.endMs[id] = us(this.nowMs);
    this.m.endEvent[id] = this.event;
    this.m.fate[id] = fate;
  }

  /** Paused node `node` holds message `id` (−1: a request) until it resumes. */
  hold(node: number, id: number): void {
    this.held[node]?.push(id);
  }

  /** Paused node `node` resumed: its held events were queued again from sequence number `firstSeq` on. */
  released(node: number, firstSeq: number): void {
    const held = this.held[node] ?? [];
    held.forEach((id, k) => {
      if (id >= 0) this.bySeq.set(firstSeq + k, id);
    });
    held.length = 0;
  }

  /** Node `node` crashed: what its pause held is lost. */
  crashed(node: number): void {
    const held = this.held[node] ?? [];
    for (const id of held) this.ended(id, MessageFate.Crashed);
    held.length = 0;
  }

  /**
   * After each event: look at the node it changed (`changed`, −1: none), or at every node and the
   * network when `everything` (fault, restart and heal events).
   */
  afterEvent(changed: number, everything: boolean): void {
    const probe = this.probe;
    if (probe === undefined) return;
    if (everything) {
      for (let i = 0; i < probe.ids.length; i++) this.observeNode(probe, i);
      this.observeNetwork(probe);
    } else if (changed >= 0) {
      this.observeNode(probe, changed);
    }
  }

  private observeNode(probe: RecorderProbe, i: number): void {
    const node = probe.node(i);
    const down = node === undefined;
    const now = [down, !down && probe.paused(i), probe.slow(i), probe.skewed(i), probe.byzantine(i)];
    for (let k = 0; k < KINDS.length; k++) {
      const slot = i * KINDS.length + k;
      const open = this.open[slot];
      if (now[k] === true && open === undefined) {
        const episode: NodeEpisode = { node: i, kind: KINDS[k] as NodeEpisode["kind"], fromMs: this.nowMs, toMs: -1 };
        this.nodeEpisodes.push(episode);
        this.open[slot] = episode;
      } else if (now[k] !== true && open !== undefined) {
        open.toMs = this.nowMs;
        this.open[slot] = undefined;
      }
    }
    const role = down ? undefined : probe.role(node);
    if (role !== this.lastRole[i]) {
      this.lastRole[i] = role;
      if (role !== undefined) this.roles.push({ node: i, atMs: this.nowMs, event: this.event, label: role });
    }
  }

  private observeNetwork(probe: RecorderProbe): void {
    const cuts = probe.cuts();
    for (const [cut, episode] of this.openCuts) {
      if (!cuts.includes(cut)) {
        episode.toMs = this.nowMs;
        this.openCuts.delete(cut);
      }
    }
    for (const cut of cuts) {
      if (this.openCuts.has(cut)) continue;
      const episode = partitionEpisode(cut, probe.ids, this.nowMs);
      this.networkEpisodes.push(episode);
      this.openCuts.set(cut, episode);
    }
    const { loss, duplicate } = probe.conditions();
    const label = loss > 0 || duplicate > 0 ? `loss ${pct(loss)} dup ${pct(duplicate)}` : undefined;
    if (this.openConditions !== undefined && this.openConditions.label !== label) {
      this.openConditions.toMs = this.nowMs;
      this.openConditions = undefined;
    }
    if (label !== undefined && this.openConditions === undefined) {
      this.openConditions = { kind: "network", fromMs: this.nowMs, toMs: -1, label, nodes: [] };
      this.networkEpisodes.push(this.openConditions);
    }
  }

  /**
   * Twins: the sides of an episode, drawn when the run reached it (shown as a partition: side 0 |
   * side 1, nothing cut when both copies reach everyone).
   * @param labels - each node's name (a twin's second copy is `id'`)
   */
  twinEpisode(episode: TwinEpisode, labels: readonly string[]): void {
    const names = (side: readonly number[]): string => `{${side.map((i) => labels[i]).join(",")}}`;
    const open = episode.side0.length === 0 && episode.side1.length === 0;
    const label = open ? "twins: both copies reach everyone" : `twins ${names(episode.side0)} | ${names(episode.side1)}`;
    this.networkEpisodes.push({ kind: "partition", fromMs: us(episode.fromMs), toMs: us(episode.toMs), label, nodes: episode.side1 });
  }

  /** The run stopped; with `violation`, each node's state is kept as it stood. */
  finish(violation: boolean): void {
    const probe = this.probe;
    for (const e of this.nodeEpisodes) if (e.toMs < 0) e.toMs = this.nowMs;
    for (const e of this.networkEpisodes) if (e.toMs < 0 || e.toMs > this.nowMs) e.toMs = this.nowMs;
    if (!violation || probe === undefined) return;
    const states: Record<NodeId, unknown> = {};
    probe.ids.forEach((id, i) => {
      states[id] = boundedJson(probe.node(i));
    });
    this.states = states;
  }

  /** @returns what was recorded */
  recording(): RunRecording {
    return {
      nodes: this.probe?.ids ?? [],
      messageTypes: this.types,
      messages: this.m,
      nodeEpisodes: this.nodeEpisodes,
      networkEpisodes: this.networkEpisodes,
      roles: this.roles,
      eventTimesMs: this.eventTimesMs,
      ...(this.states !== undefined ? { states: this.states } : {}),
    };
  }
}

/** @returns a message's type: its `type` field when it has a string one, else its JS type */
function typeName(message: unknown): string {
  if (typeof message === "object" && message !== null && typeof (message as { type?: unknown }).type === "string") return (message as { type: string }).type;
  return typeof message;
}

const pct = (x: number): string => `${Math.round(x * 100)}%`;

function partitionEpisode(cut: Cut, ids: readonly NodeId[], fromMs: number): NetworkEpisode {
  const nodes: number[] = [];
  cut.inGroup.forEach((v, i) => {
    if (v === 1) nodes.push(i);
  });
  const group = `{${nodes.map((i) => ids[i]).join(",")}}`;
  const label =
    cut.shape === "isolate"
      ? `isolate ${group}`
      : cut.shape === "one-way"
        ? `one-way ${group} → rest cut`
        : cut.shape === "bridge"
          ? `split ${group} | rest, bridge ${ids[cut.bridge]}`
          : `split ${group} | rest`;
  return { kind: "partition", fromMs, toMs: -1, label, nodes };
}
