import type { NodeId } from "@synod/core";
import { encodeKvCommand, encodeKvQuery, KvStateMachine, NotLeaderError, type KvOp, type KvReply, type RaftNode, type RaftOutput } from "@synod/raft";
import { raftProtocol, RuntimeNode } from "@synod/runtime";
import { httpUrl, type ClusterConfig } from "./cluster-config.js";
import { errorAnswer, PendingAnswers, resultAnswer, type Answer, type KvBackend } from "./kv-backend.js";
import type { NodeStartOptions } from "./node-start-options.js";
import { RuntimeKvBackend } from "./runtime-kv-backend.js";

type RaftKvNode = RuntimeNode<RaftNode<KvReply>, unknown, unknown, RaftOutput<KvReply>, unknown>;

/**
 * The store on Raft: a write is answered when its entry applies here (matched by session: client
 * and seq), a read when ReadIndex confirms it; a follower refuses with the known leader's address.
 */
export class RaftKvBackend extends RuntimeKvBackend<RaftKvNode> implements KvBackend {
  private readonly writes = new PendingAnswers<string>();
  private readonly reads = new PendingAnswers<number>();
  /** Tags of proposals not yet accepted into the leader's log: a refusal names a session through them. */
  private readonly tagSessions = new Map<number, string>();
  private nextTag = 1;

  private constructor(private readonly config: ClusterConfig) {
    super();
  }

  /** Start the Raft node of `options.id` under the runtime. */
  static async start(options: NodeStartOptions): Promise<RaftKvBackend> {
    const backend = new RaftKvBackend(options.config);
    backend.runtime = (await RuntimeNode.start({
      ...options.runtime,
      protocol: raftProtocol({ createStateMachine: () => new KvStateMachine(), config: { electionTimeoutTicks: 10, heartbeatTicks: 2 } }),
      onOutput: (o) => backend.onOutput(o as RaftOutput<KvReply>),
    })) as RaftKvNode;
    return backend;
  }

  write(client: number, seq: number, op: KvOp): Promise<Answer> {
    const session = `${client}:${seq}`;
    const tag = this.nextTag++;
    const answer = this.writes.wait(
      session,
      errorAnswer(504, { error: "timeout", message: "no outcome yet; retry with the same client and seq", indefinite: true }),
      errorAnswer(504, { error: "timeout", message: "superseded by a retry of the same command", indefinite: true }),
    );
    this.tagSessions.set(tag, session);
    this.runtime?.request({ type: "propose", data: encodeKvCommand({ client, seq, op }), tag });
    return answer;
  }

  read(key: string): Promise<Answer> {
    const tag = this.nextTag++;
    const answer = this.reads.wait(tag, errorAnswer(504, { error: "timeout", message: "read not confirmed in time" }));
    this.runtime?.request({ type: "read", query: encodeKvQuery(key), tag });
    return answer;
  }

  private onOutput(output: RaftOutput<KvReply>): void {
    switch (output.type) {
      case "apply":
        if (output.result !== undefined) this.writes.settle(`${output.result.client}:${output.result.seq}`, resultAnswer(output.result.result));
        return;
      case "proposed":
        this.tagSessions.delete(output.tag);
        return;
      case "read":
        this.reads.settle(output.tag, resultAnswer(output.result.result));
        return;
      case "refused": {
        const answer = this.refusal(output.error, output.retryAt);
        const session = this.tagSessions.get(output.tag);
        if (session !== undefined) {
          this.tagSessions.delete(output.tag);
          this.writes.settle(session, answer);
        } else this.reads.settle(output.tag, answer);
        return;
      }
      default:
        return;
    }
  }

  private refusal(err: Error, retryAt: NodeId): Answer {
    if (err instanceof NotLeaderError) {
      const leader = err.leader;
      const address = leader === undefined ? undefined : this.config.nodes.get(leader)?.http;
      return errorAnswer(421, { error: "not-leader", message: err.message, ...(leader === undefined ? {} : { leader }), ...(address === undefined ? {} : { leaderUrl: httpUrl(address) }) });
    }
    const address = this.config.nodes.get(retryAt)?.http;
    return errorAnswer(503, { error: "unavailable", message: err.message, ...(address === undefined ? {} : { leaderUrl: httpUrl(address) }) });
  }
}
