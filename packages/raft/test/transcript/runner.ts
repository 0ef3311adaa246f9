import type { RaftConfig } from "../../src/config.js";
import type { KvOp } from "../../src/kv/kv-command.js";
import { encodeKvCommand, encodeKvQuery } from "../../src/kv/kv-command.js";
import { TestCluster } from "../support/cluster.js";
import { rewriteTranscriptWith } from "../../../../test/support/transcript.js";
import { formatEntry, formatMessage, formatStatus, formatStep } from "./format.js";

const id = (n: string): string => (/^\d+$/.test(n) ? `n${n}` : n);

function parseConfig(args: string[]): Partial<RaftConfig> {
  const config: Record<string, unknown> = {};
  for (const arg of args) {
    const [key, value] = arg.split("=");
    if (key === undefined || value === undefined) throw new Error(`bad option ${arg}`);
    config[key] = value === "true" ? true : value === "false" ? false : /^\d+$/.test(value) ? Number(value) : value;
  }
  return config as Partial<RaftConfig>;
}

function parseOp(words: string[]): KvOp {
  const [type, key, a, b] = words;
  if (key === undefined) throw new Error("missing key");
  switch (type) {
    case "put":
      return { type, key, value: a ?? "" };
    case "cas":
      return { type, key, expected: a === "nil" ? null : (a ?? null), value: b ?? "" };
    case "delete":
    case "get":
      return { type, key };
    default:
      throw new Error(`unknown operation ${String(type)}`);
  }
}

/**
 * Runs transcript commands against a {@link TestCluster} and renders what happened. Commands:
 * `add-nodes N [field=value…]`, `campaign N`, `tick N [count]`, `tick-election N`,
 * `tick-heartbeat N`, `deliver-msgs N [max]`, `drop-msgs N`, `drop-msg N POS` and `dup-msg N POS` (lose or
 * duplicate the message at position POS, from 0, of N's mailbox), `stabilize`, `propose N put|cas|delete …`,
 * `read-index N key`, `crash N`, `crash-before-send N`, `restart N`, `partition 1 2 | 3`, `heal`,
 * `transfer-leadership FROM TO`, `change-membership N voters=1,2 [learners=3]`, `compact N`,
 * `status`, `log N`, `progress N` (the leader's view of each follower: match, next, probe/replicate/snapshot).
 */
export class TranscriptRunner {
  private cluster: TestCluster | undefined;
  private lines: string[] = [];
  private seq = 0;
  private tag = 0;

  private get c(): TestCluster {
    if (this.cluster === undefined) throw new Error("add-nodes first");
    return this.cluster;
  }

  /** @returns the rendered output of one command */
  run(command: string): string {
    this.lines = [];
    const [verb, ...args] = command.trim().split(/\s+/);
    switch (verb) {
      case "add-nodes": {
        const count = Number(args[0]);
        const options = args.slice(1);
        const pick = (name: string): string[] | undefined => {
          const arg = options.find((a) => a.startsWith(`${name}=`));
          return arg === undefined ? undefined : arg.slice(name.length + 1).split(",").filter(Boolean).map(id);
        };
        const voters = pick("voters");
        const initialConf = voters === undefined ? undefined : { voters, outgoing: [], learners: pick("learners") ?? [] };
        const config = parseConfig(options.filter((a) => !a.startsWith("voters=") && !a.startsWith("learners=")));
        this.cluster = new TestCluster(count, config, 1, initialConf);
        this.cluster.onStep = (e) => {
          this.lines.push(...formatStep(e.node, e.cause, e.step));
          if (e.crashedBeforeSend) this.lines.push(`  CRASH after persist: the messages and outputs above are lost; ${e.node} is down`);
        };
        this.lines.push(`${count} nodes`);
        break;
      }
      case "campaign":
        this.c.request(id(args[0] ?? ""), { type: "campaign" });
        break;
      case "tick": {
        const count = Number(args[1] ?? 1);
        for (let i = 0; i < count; i++) this.c.tick(id(args[0] ?? ""));
        break;
      }
      case "tick-election": {
        const n = id(args[0] ?? "");
        const node = this.c.node(n);
        const term = node.term;
        const role = node.role;
        // The randomized timeout lies in [T, 2T): tick until the node acts on it.
        for (let i = 0; i < 2 * node.config.electionTimeoutTicks; i++) {
          this.c.tick(n);
          const now = this.c.nodes.get(n);
          if (now === undefined || now.role !== role || now.term !== term) break;
        }
        break;
      }
      case "tick-heartbeat": {
        const n = id(args[0] ?? "");
        for (let i = 0; i < this.c.node(n).config.heartbeatTicks; i++) this.c.tick(n);
        break;
      }
      case "deliver-msgs":
        this.c.deliver(id(args[0] ?? ""), args[1] === undefined ? Infinity : Number(args[1]));
        break;
      case "drop-msgs": {
        const box = this.c.mailbox.get(id(args[0] ?? "")) ?? [];
        this.lines.push(`dropped ${box.length} message(s) to ${id(args[0] ?? "")}`);
        box.length = 0;
        break;
      }
      case "drop-msg":
      case "dup-msg": {
        const box = this.c.mailbox.get(id(args[0] ?? "")) ?? [];
        const pos = Number(args[1]);
        const env = box[pos];
        if (env === undefined) throw new Error(`no message at ${pos} for ${id(args[0] ?? "")}`);
        if (verb === "drop-msg") box.splice(pos, 1);
        else box.push(env);
        this.lines.push(`${verb === "drop-msg" ? "dropped" : "duplicated"} ${formatMessage(env.from, env.to, env.message)}`);
        break;
      }
      case "stabilize":
        this.c.stabilize();
        break;
      case "propose": {
        const op = parseOp(args.slice(1));
        this.c.request(id(args[0] ?? ""), { type: "propose", data: encodeKvCommand({ client: 1, seq: ++this.seq, op }), tag: ++this.tag });
        break;
      }
      case "read-index":
        this.c.request(id(args[0] ?? ""), { type: "read", query: encodeKvQuery(args[1] ?? ""), tag: ++this.tag });
        break;
      case "crash":
        this.c.crash(id(args[0] ?? ""));
        this.lines.push(`${id(args[0] ?? "")} crashed`);
        break;
      case "crash-before-send":
        this.c.crashAfterNextPersist(id(args[0] ?? ""));
        this.lines.push(`${id(args[0] ?? "")} will crash after persisting its next step, before sending`);
        break;
      case "restart":
        this.c.restart(id(args[0] ?? ""));
        this.lines.push(formatStatus(this.c.node(id(args[0] ?? ""))));
        break;
      case "partition": {
        const groups = args.join(" ").split("|").map((g) => g.trim().split(/\s+/).filter(Boolean).map(id));
        this.c.partition(...groups);
        this.lines.push(`partitioned ${groups.map((g) => g.join(" ")).join(" | ")}`);
        break;
      }
      case "heal":
        this.c.heal();
        this.lines.push("healed");
        break;
      case "transfer-leadership":
        this.c.request(id(args[0] ?? ""), { type: "transfer-leadership", to: id(args[1] ?? ""), tag: ++this.tag });
        break;
      case "change-membership": {
        const opts = Object.fromEntries(args.slice(1).map((a) => a.split("=") as [string, string]));
        const list = (v: string | undefined): string[] => (v === undefined || v === "" ? [] : v.split(",").map(id));
        this.c.request(id(args[0] ?? ""), { type: "change-membership", voters: list(opts.voters), learners: list(opts.learners), tag: ++this.tag });
        break;
      }
      case "compact":
        this.c.request(id(args[0] ?? ""), { type: "compact" });
        break;
      case "status":
        for (const n of this.c.ids) {
          const node = this.c.nodes.get(n);
          this.lines.push(node === undefined ? `${n} crashed` : formatStatus(node));
        }
        break;
      case "progress": {
        // `progress 1`: the leader's view of each member, e.g. `n2 match=3 next=4 replicate`.
        const node = this.c.node(id(args[0] ?? ""));
        for (const n of this.c.ids) {
          const pr = node.progressOf(n);
          if (pr !== undefined) this.lines.push(`${n} match=${pr.match} next=${pr.next} ${pr.state}`);
        }
        if (this.lines.length === 0) this.lines.push(`${node.id} is not leader (no progress)`);
        break;
      }
      case "log": {
        const node = this.c.node(id(args[0] ?? ""));
        const entries: string[] = [];
        for (let i = node.snapshotIndex + 1; i <= node.lastIndex; i++) {
          const e = node.entryAt(i);
          if (e !== undefined) entries.push(formatEntry(e));
        }
        this.lines.push(`${node.id} snapshot=${node.snapshotIndex}${entries.length ? "" : " (no entries)"}`, ...entries.map((e) => `  ${e}`));
        break;
      }
      default:
        throw new Error(`unknown command ${String(verb)}`);
    }
    return this.lines.length === 0 ? "ok" : this.lines.join("\n");
  }
}

/** @returns the transcript with every expected output replaced by the actual one (one fresh runner per transcript) */
export function rewriteTranscript(text: string): ReturnType<typeof rewriteTranscriptWith> {
  const runner = new TranscriptRunner();
  return rewriteTranscriptWith(text, (command) => runner.run(command));
}
