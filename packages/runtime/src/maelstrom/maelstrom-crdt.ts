import { createCodec, createRng, FRESH_STATE, type Codec, type NodeId } from "@synod/core";
import { CrdtReplicaNode, crdtMessageSchema, type CrdtMessage, type CrdtOutput } from "@synod/crdt";
import { MaelstromHost, type MaelstromIo } from "./maelstrom-host.js";
import { MAELSTROM_ERROR, type MaelstromBody } from "./maelstrom-message.js";

/** The workloads of Maelstrom (doc/workloads.md) this driver serves with a CRDT. */
export type CrdtWorkload = "g-counter" | "pn-counter" | "g-set" | "broadcast";

const crdtMessageCodec: Codec<CrdtMessage> = createCodec(crdtMessageSchema, { maxBytes: 4 << 20 });

/**
 * A Maelstrom `g-counter`, `pn-counter` or `g-set` node served by a synod `CrdtReplicaNode`
 * (delta anti-entropy; its messages travel as `{"type": "crdt", "data": <base64>}` through
 * Maelstrom's network, so partitions apply). `add {delta}` increments the replica's PN-Counter
 * (g-counter refuses a negative delta with code 12); `add {element}` adds the element's JSON text
 * to the OR-Set (only adds: a G-Set); `read` answers the local value at once — the workloads check
 * convergence after healing, not linearizability. An operation is applied locally before `add_ok`
 * (never a definite error for one that applied); a refused one (a read-only replica) answers 11.
 *
 * `broadcast` is the same G-Set under the broadcast workload's names: `broadcast {message}` adds
 * the message (`broadcast_ok` once it is in the local replica), `read` answers `read_ok {messages}`,
 * and `topology` is acknowledged but not followed — anti-entropy picks its own peers, which the
 * workload allows; every message reaches every node that stays reachable, partitions included,
 * because each sync ships what the peer has not acknowledged.
 * Durable state is kept in memory (Maelstrom does not restart nodes).
 */
export class MaelstromCrdt extends MaelstromHost {
  private node: CrdtReplicaNode | undefined;
  private nextInvocation = 1;
  private readonly waiting = new Map<number, { src: string; body: MaelstromBody; okType: string }>();

  constructor(
    io: MaelstromIo,
    private readonly workload: CrdtWorkload,
  ) {
    super(io, "crdt");
  }

  protected start(id: NodeId, members: readonly NodeId[]): void {
    this.node = new CrdtReplicaNode({ id, members, rng: createRng(members.indexOf(id) + 1).fork(id), recovered: FRESH_STATE });
  }

  protected tick(): void {
    if (this.node !== undefined) this.obey(this.node.tick());
  }

  protected onPeer(from: NodeId, bytes: Uint8Array): boolean {
    const decoded = crdtMessageCodec.decode(bytes);
    if (!decoded.ok || this.node === undefined) return false;
    this.obey(this.node.receive(from, decoded.value));
    return true;
  }

  protected onClient(src: string, body: MaelstromBody): boolean {
    if (this.workload === "broadcast") return this.onBroadcastClient(src, body);
    const node = this.node as CrdtReplicaNode;
    if (body.type === "read") {
      const doc = node.document;
      const value = this.workload === "g-set" ? this.elements() : doc.counter.value();
      this.reply(src, body, { type: "read_ok", value });
      return true;
    }
    if (body.type !== "add") return false;
    if (this.workload === "g-set") {
      if (!("element" in body)) return (this.bad(src, body, "add needs element"), true);
      this.addElement(src, body, body.element, "add_ok");
      return true;
    }
    const delta = body.delta;
    if (typeof delta !== "number" || !Number.isSafeInteger(delta) || (this.workload === "g-counter" && delta < 0)) {
      return (this.bad(src, body, `add needs an integer delta${this.workload === "g-counter" ? " ≥ 0" : ""}`), true);
    }
    const invocation = this.nextInvocation++;
    this.waiting.set(invocation, { src, body, okType: "add_ok" });
    this.obey(node.request({ invocation, op: { type: "increment", amount: delta } }));
    return true;
  }

  /** The broadcast workload: `topology`, `broadcast {message}`, `read` → `{messages}`. */
  private onBroadcastClient(src: string, body: MaelstromBody): boolean {
    if (body.type === "topology") return (this.reply(src, body, { type: "topology_ok" }), true);
    if (body.type === "read") return (this.reply(src, body, { type: "read_ok", messages: this.elements() }), true);
    if (body.type !== "broadcast") return false;
    if (!("message" in body)) return (this.bad(src, body, "broadcast needs message"), true);
    this.addElement(src, body, body.message, "broadcast_ok");
    return true;
  }

  /** Add `element` (as its JSON text) to the G-Set; `okType` answers once it is in the local replica. */
  private addElement(src: string, body: MaelstromBody, element: unknown, okType: string): void {
    const invocation = this.nextInvocation++;
    this.waiting.set(invocation, { src, body, okType });
    this.obey((this.node as CrdtReplicaNode).request({ invocation, op: { type: "add", element: JSON.stringify(element) } }));
  }

  /** The G-Set's elements, parsed back from their JSON text. */
  private elements(): unknown[] {
    return (this.node as CrdtReplicaNode).document.set.values().map((e) => JSON.parse(e) as unknown);
  }

  private obey(step: ReturnType<CrdtReplicaNode["tick"]>): void {
    // Durable state lives in memory (Maelstrom does not restart nodes): nothing to sync first.
    for (const envelope of step.send) this.sendPeer(envelope.to, crdtMessageCodec.encode(envelope.message));
    for (const output of step.output) this.onOutput(output);
  }

  private onOutput(output: CrdtOutput): void {
    if (output.type === "alarm") return this.io.log(`maelstrom: alarm: ${output.reason}`);
    const request = this.waiting.get(output.invocation);
    if (request === undefined) return;
    this.waiting.delete(output.invocation);
    if (output.type === "applied") this.reply(request.src, request.body, { type: request.okType });
    else this.reply(request.src, request.body, { type: "error", code: MAELSTROM_ERROR.temporarilyUnavailable, text: output.reason });
  }
}
