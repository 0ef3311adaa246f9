import { createCodec, createRng, FRESH_STATE, type Codec, type NodeId } from "@synod/core";
import { CrdtReplicaNode, crdtMessageSchema, type CrdtMessage, type CrdtOutput } from "@synod/crdt";
import { MaelstromHost, type MaelstromIo } from "./maelstrom-host.js";
import { MAELSTROM_ERROR, type MaelstromBody } from "./maelstrom-message.js";

/** The CRDT workloads of Maelstrom (doc/workloads.md) this driver runs. */
export type CrdtWorkload = "g-counter" | "pn-counter" | "g-set";

const crdtMessageCodec: Codec<CrdtMessage> = createCodec(crdtMessageSchema, { maxBytes: 4 << 20 });

/**
 * A Maelstrom `g-counter`, `pn-counter` or `g-set` node served by a synod `CrdtReplicaNode`
 * (delta anti-entropy; its messages travel as `{"type": "crdt", "data": <base64>}` through
 * Maelstrom's network, so partitions apply). `add {delta}` increments the replica's PN-Counter
 * (g-counter refuses a negative delta with code 12); `add {element}` adds the element's JSON text
 * to the OR-Set (only adds: a G-Set); `read` answers the local value at once — the workloads check
 * convergence after healing, not linearizability. An operation is applied locally before `add_ok`
 * (never a definite error for one that applied); a refused one (a read-only replica) answers 11.
 * Durable state is kept in memory (Maelstrom does not restart nodes).
 */
export class MaelstromCrdt extends MaelstromHost {
  private node: CrdtReplicaNode | undefined;
  private nextInvocation = 1;
  private readonly waiting = new Map<number, { src: string; body: MaelstromBody }>();

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
    const node = this.node as CrdtReplicaNode;
    if (body.type === "read") {
      const doc = node.document;
      const value = this.workload === "g-set" ? doc.set.values().map((e) => JSON.parse(e) as unknown) : doc.counter.value();
      this.reply(src, body, { type: "read_ok", value });
      return true;
    }
    if (body.type !== "add") return false;
    const invocation = this.nextInvocation++;
    if (this.workload === "g-set") {
      if (!("element" in body)) return (this.bad(src, body, "add needs element"), true);
      this.waiting.set(invocation, { src, body });
      this.obey(node.request({ invocation, op: { type: "add", element: JSON.stringify(body.element) } }));
      return true;
    }
    const delta = body.delta;
    if (typeof delta !== "number" || !Number.isSafeInteger(delta) || (this.workload === "g-counter" && delta < 0)) {
      return (this.bad(src, body, `add needs an integer delta${this.workload === "g-counter" ? " ≥ 0" : ""}`), true);
    }
    this.waiting.set(invocation, { src, body });
    this.obey(node.request({ invocation, op: { type: "increment", amount: delta } }));
    return true;
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
    if (output.type === "applied") this.reply(request.src, request.body, { type: "add_ok" });
    else this.reply(request.src, request.body, { type: "error", code: MAELSTROM_ERROR.temporarilyUnavailable, text: output.reason });
  }
}
