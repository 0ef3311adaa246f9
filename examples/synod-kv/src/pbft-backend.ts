import { ConfigError, type NodeId } from "@synod/core";
import { KvService, requestStatement, type PbftKeys, type PbftNode, type PbftOutput } from "@synod/pbft";
import { encodeKvCommand, type KvOp, type KvResult } from "@synod/raft";
import { ed25519SecretKeyOfPem, pbftProtocol, readNodeKeysFile, RuntimeNode } from "@synod/runtime";
import { nodeProvider } from "@synod/security/node";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { errorAnswer, PendingAnswers, resultAnswer, type Answer, type KvBackend } from "./kv-backend.js";
import type { NodeStartOptions } from "./node-start-options.js";
import { RuntimeKvBackend } from "./runtime-kv-backend.js";

type PbftKvNode = RuntimeNode<PbftNode<KvResult>, unknown, unknown, PbftOutput<KvResult>, unknown>;
type KvCommand = Parameters<typeof encodeKvCommand>[0];

/** Store sessions from here up are the front ends' read sessions (HTTP clients pick ids below 2^47). */
const READ_SESSION_BASE = 2 ** 48;

/**
 * The store on PBFT: every replica's HTTP front end is a PBFT client that signs requests with its
 * node's identity key (the key its TLS certificate carries), and the replica proxies them —
 * collecting f+1 matching signed replies before answering. A front end signs as several PBFT
 * client numbers, one per request in flight (`slot × n + index + 1`), because a PBFT client has
 * one request outstanding; timestamps grow with the wall clock, so a restarted front end's requests
 * are newer than its old ones. Reads are ordered like writes (linearizable without the read-only
 * optimisation). Any replica answers: there is no leader to redirect to.
 */
export class PbftKvBackend extends RuntimeKvBackend<PbftKvNode> implements KvBackend {
  private readonly pending = new PendingAnswers<number>();
  private readonly freeSlots: number[] = [];
  private readonly slotOfTag = new Map<number, number>();
  private nextSlot = 0;
  private nextTag = 1;
  private lastTimestamp = 0;

  private constructor(
    private readonly keys: PbftKeys,
    private readonly members: readonly NodeId[],
    private readonly index: number,
  ) {
    super();
  }

  /**
   * Start the PBFT replica of `options.runtime.id` under the runtime.
   * @throws {ConfigError} when the certificate directory holds no node keys (PBFT needs the key-bound certificates of `synod-kv cluster`)
   */
  static async start(options: NodeStartOptions): Promise<PbftKvBackend> {
    const { id, members } = options.runtime;
    const keys = pbftKeys(options.config.certDir, id, members);
    const backend = new PbftKvBackend(keys, members, members.indexOf(id));
    backend.runtime = (await RuntimeNode.start({
      ...options.runtime,
      protocol: pbftProtocol({ keys, createService: () => new KvService(), config: { viewChangeTimeoutTicks: 50, retransmitTicks: 20 } }),
      onOutput: (o) => backend.onOutput(o as PbftOutput<KvResult>),
    })) as PbftKvNode;
    return backend;
  }

  write(client: number, seq: number, op: KvOp): Promise<Answer> {
    if (client >= READ_SESSION_BASE) return Promise.resolve(errorAnswer(400, { error: "bad-request", message: `client must be below ${READ_SESSION_BASE}` }));
    return this.order({ client, seq, op }, errorAnswer(504, { error: "timeout", message: "no outcome yet; retry with the same client and seq", indefinite: true }));
  }

  read(key: string): Promise<Answer> {
    // An ordered get goes through the store's sessions like any command: each PBFT client (one per
    // slot) reads under a session of its own, numbered above every HTTP client id, whose sequence
    // is the request's timestamp — growing per slot, so no read is answered from an older one.
    return this.order((pbftClient, timestamp) => ({ client: READ_SESSION_BASE + pbftClient, seq: timestamp, op: { type: "get", key } }), errorAnswer(504, { error: "timeout", message: "read not ordered in time" }));
  }

  /** Sign the command as a free client slot and hand it to this replica to order. */
  private order(command: KvCommand | ((pbftClient: number, timestamp: number) => KvCommand), onTimeout: Answer): Promise<Answer> {
    const tag = this.nextTag++;
    const slot = this.freeSlots.pop() ?? this.nextSlot++;
    this.slotOfTag.set(tag, slot);
    const answer = this.pending.wait(tag, onTimeout).finally(() => this.release(tag));
    this.lastTimestamp = Math.max(this.lastTimestamp + 1, Date.now() * 1000);
    const client = slot * this.members.length + this.index + 1;
    const bytes = encodeKvCommand(typeof command === "function" ? command(client, this.lastTimestamp) : command);
    const unsigned = { client, timestamp: this.lastTimestamp, command: bytes };
    const sig = this.keys.provider.sign(this.keys.secretKey, requestStatement(unsigned));
    this.runtime?.request({ type: "invoke", tag, request: { ...unsigned, sig } });
    return answer;
  }

  private release(tag: number): void {
    const slot = this.slotOfTag.get(tag);
    if (slot === undefined) return;
    this.slotOfTag.delete(tag);
    this.freeSlots.push(slot);
  }

  private onOutput(output: PbftOutput<KvResult>): void {
    if (output.type === "reply") this.pending.settle(output.tag, resultAnswer(output.result));
  }
}

/**
 * The keys of replica `id`: its secret key from its TLS key file, every replica's public key from
 * `node-keys.json`; client number c is the front end of replica `members[(c - 1) mod n]`.
 */
function pbftKeys(certDir: string, id: NodeId, members: readonly NodeId[]): PbftKeys {
  const publicKeys = readNodeKeysFile(certDir);
  const secretKey = ed25519SecretKeyOfPem(readFileSync(join(certDir, `${id}.key`)));
  if (publicKeys === undefined || secretKey === undefined) {
    throw new ConfigError("certDir", `PBFT replicas sign with their nodes' Ed25519 identity keys: ${certDir} needs node-keys.json and Ed25519 node keys (write them with synod-kv cluster --protocol pbft)`);
  }
  const missing = members.filter((member) => !publicKeys.has(member));
  if (missing.length > 0) throw new ConfigError("certDir", `${certDir}/node-keys.json has no key for ${missing.join(", ")}`);
  return {
    provider: nodeProvider,
    secretKey,
    replicaKey: (replica) => publicKeys.get(replica),
    clientKey: (client) => (Number.isSafeInteger(client) && client >= 1 ? publicKeys.get(members[(client - 1) % members.length] as NodeId) : undefined),
  };
}
