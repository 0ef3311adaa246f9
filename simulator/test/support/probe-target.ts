import { createCodec, s, StepBuilder, type Infer, type NodeContext, type NodeId, type ProtocolNode, type RecoveredState, type SimulationTarget, type Step } from "@synod/core";

const messageSchema = s.variant("type", {
  ping: { seq: s.uint(), marker: s.string({ maxLength: 16 }) },
  req: { n: s.uint() },
});
export type ProbeMessage = Infer<typeof messageSchema>;
const probeMessageCodec = createCodec(messageSchema);
const recordSchema = s.object({ n: s.uint() });
export type ProbeRecord = Infer<typeof recordSchema>;
export interface ProbeInput {
  readonly n: number;
  readonly invocationId: number;
}
export interface ProbeOutput {
  readonly invocationId: number;
}

/** What a probe run observed, outside the nodes (they are rebuilt at restarts). */
export interface ProbeLog {
  readonly recoveries: Array<{ id: NodeId; incarnation: number; recovered: RecoveredState<ProbeRecord> }>;
}

/**
 * A tiny protocol that makes faults observable: every tick a node pings every peer with its tick
 * number; a request persists one record, sends `req` to every peer and completes at once.
 */
export class ProbeNode implements ProtocolNode<ProbeMessage, ProbeInput, ProbeOutput, ProbeRecord> {
  readonly id: NodeId;
  ticks = 0;
  readonly received: Array<{ from: NodeId; message: ProbeMessage }> = [];
  private readonly peers: NodeId[];
  private readonly out = new StepBuilder<ProbeMessage, ProbeOutput, ProbeRecord>();

  constructor(ctx: NodeContext<ProbeRecord>, private readonly pingEveryTick: boolean) {
    this.id = ctx.id;
    this.peers = ctx.members.filter((m) => m !== ctx.id);
  }

  tick(): Step<ProbeMessage, ProbeOutput, ProbeRecord> {
    this.ticks++;
    if (this.pingEveryTick) for (const to of this.peers) this.out.send({ from: this.id, to, message: { type: "ping", seq: this.ticks, marker: "ok" } });
    return this.out.finish();
  }

  receiveBytes(from: NodeId, bytes: Uint8Array): Step<ProbeMessage, ProbeOutput, ProbeRecord> {
    const decoded = probeMessageCodec.decode(bytes);
    return decoded.ok ? this.receive(from, decoded.value) : this.out.finish();
  }

  receive(from: NodeId, message: ProbeMessage): Step<ProbeMessage, ProbeOutput, ProbeRecord> {
    this.received.push({ from, message });
    return this.out.finish();
  }

  request(input: ProbeInput): Step<ProbeMessage, ProbeOutput, ProbeRecord> {
    this.out.persist({ n: input.n });
    for (const to of this.peers) this.out.send({ from: this.id, to, message: { type: "req", n: input.n } });
    this.out.output({ invocationId: input.invocationId });
    return this.out.finish();
  }
}

export type ProbeTarget = SimulationTarget<ProbeNode, ProbeMessage, ProbeInput, ProbeOutput, ProbeRecord, { n: number }, null>;

/**
 * A probe target plus the log of what every (re)started node recovered.
 * @param options.ping - ping every peer on every tick (default true)
 * @param options.clients - attach the client model (default true)
 */
export function createProbeTarget(options: { ping?: boolean; clients?: boolean } = {}): { target: ProbeTarget; log: ProbeLog } {
  const log: ProbeLog = { recoveries: [] };
  const incarnations = new Map<NodeId, number>();
  const target: ProbeTarget = {
    name: "probe",
    description: "test probe",
    defaultNodes: 3,
    minNodes: 1,
    tickMs: 10,
    createNode(ctx) {
      const incarnation = incarnations.get(ctx.id) ?? 0;
      incarnations.set(ctx.id, incarnation + 1);
      log.recoveries.push({ id: ctx.id, incarnation, recovered: ctx.recovered });
      return new ProbeNode(ctx, options.ping ?? true);
    },
    messageCodec: probeMessageCodec,
    recordCodec: createCodec(recordSchema),
    createInvariants: () => [],
    forge: (message) => (message.type === "ping" ? { ...message, marker: "forged" } : { ...message, n: message.n + 1_000_000 }),
  };
  if (options.clients ?? true) {
    let next = 0;
    return {
      log,
      target: {
        ...target,
        client: {
          nextOperation: () => ({ n: next++ }),
          toRequest: (op, inv) => ({ n: op.n, invocationId: inv.id }),
          completion: (output) => ({ id: output.invocationId, outcome: "ok", result: null }),
          timeoutMs: 1000,
        },
      },
    };
  }
  return { target, log };
}

/** A parsed trace line of a delivery. */
export interface Delivery {
  readonly i: number;
  readonly t: number;
  readonly from: string;
  readonly to: string;
  readonly msg: ProbeMessage;
}

/** @returns the deliveries a node actually processed, from ndjson trace lines (not the dropped or buffered ones) */
export function deliveries(trace: readonly string[]): Delivery[] {
  const out: Delivery[] = [];
  for (const line of trace) {
    const record = JSON.parse(line) as { e?: string; changed?: string } & Partial<Delivery>;
    if (record.e === "deliver" && record.changed !== undefined) out.push(record as Delivery);
  }
  return out;
}

/** @returns the parsed trace events of a kind (`tick`, `request`…) */
export function traceEvents(trace: readonly string[], kind: string): Array<Record<string, unknown> & { i: number; t: number }> {
  return trace.map((l) => JSON.parse(l) as Record<string, unknown> & { i: number; t: number; e?: string }).filter((r) => r.e === kind);
}
