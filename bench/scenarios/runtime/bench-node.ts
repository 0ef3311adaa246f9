import { KvStateMachine, type KvReply, type RaftNode, type RaftOutput } from "@synod/raft";
import { pino, raftProtocol, RuntimeNode, type Address, type TlsMaterial } from "@synod/runtime";
import { join } from "node:path";

/** A bench node: Raft + KV under the runtime. */
export type BenchNode = RuntimeNode<RaftNode<KvReply>, unknown, unknown, RaftOutput<KvReply>, unknown>;

/** Everything one bench node is started from (plain data: it crosses to a child process). */
export interface BenchNodeSpec {
  readonly id: string;
  readonly members: readonly string[];
  /** The case's folder: the node's WAL is `<dir>/<id>`. */
  readonly dir: string;
  /** Every member's listening address, this node's included. */
  readonly addresses: readonly (readonly [string, Address])[];
  /** This node's TLS material, or undefined for plaintext. */
  readonly tls: TlsMaterial | undefined;
  readonly seed: number;
}

/** Start one bench node (its own WAL and TCP/TLS connections); `onOutput` receives its outputs. */
export async function startBenchNode(spec: BenchNodeSpec, onOutput: (node: BenchNode, o: RaftOutput<KvReply>) => void): Promise<BenchNode> {
  const addresses = new Map(spec.addresses);
  const protocol = raftProtocol({
    createStateMachine: () => new KvStateMachine(),
    config: { electionTimeoutTicks: 50, heartbeatTicks: 5, snapshotIntervalEntries: 0 },
  });
  let self: BenchNode | undefined;
  const early: RaftOutput<KvReply>[] = [];
  self = (await RuntimeNode.start({
    id: spec.id,
    members: spec.members,
    protocol,
    dataDir: join(spec.dir, spec.id),
    tickMs: 10,
    listen: addresses.get(spec.id) as Address,
    peers: new Map([...addresses].filter(([p]) => p !== spec.id)),
    security: spec.tls === undefined ? { mode: "plaintext" } : { mode: "tls", tls: spec.tls },
    logger: pino({ level: "silent" }),
    seed: spec.seed,
    onOutput: (o) => (self === undefined ? early.push(o) : onOutput(self, o)),
  })) as BenchNode;
  for (const o of early) onOutput(self, o);
  return self;
}
