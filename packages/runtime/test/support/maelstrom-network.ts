/** Maelstrom's network, scripted for tests: routes lines between in-process nodes, partitions on demand. */
import type { MaelstromHost, MaelstromIo } from "../../src/maelstrom/maelstrom-host.js";

/** A message a node wrote to a client. */
export interface Reply {
  src: string;
  dest: string;
  body: Record<string, unknown> & { type: string; in_reply_to?: number };
}

/** In-process Maelstrom nodes and the network between them; `call` plays a client. */
export class Network {
  readonly nodes = new Map<string, MaelstromHost>();
  readonly replies: Reply[] = [];
  private cut = new Set<string>();
  private nextMsgId = 1;

  constructor(ids: string[], create: (io: MaelstromIo) => MaelstromHost) {
    for (const id of ids) this.nodes.set(id, create({ write: (line) => this.route(line), log: () => {}, tickMs: 5 }));
  }

  /** Send init to every node and check the init_ok. */
  async init(): Promise<void> {
    const ids = [...this.nodes.keys()];
    for (const id of ids) {
      const reply = await this.call("c0", id, { type: "init", node_id: id, node_ids: ids });
      if (reply.type !== "init_ok") throw new Error(`init of ${id}: ${JSON.stringify(reply)}`);
    }
  }

  isolate(id: string): void {
    for (const other of this.nodes.keys()) if (other !== id) this.cut.add(`${id}>${other}`).add(`${other}>${id}`);
  }

  heal(): void {
    this.cut.clear();
  }

  /** Send a client request; resolve with the reply to it (or reject after `timeoutMs`). */
  async call(client: string, dest: string, body: Record<string, unknown>, timeoutMs = 5_000): Promise<Reply["body"]> {
    const msgId = this.nextMsgId++;
    this.nodes.get(dest)?.handleLine(JSON.stringify({ src: client, dest, body: { ...body, msg_id: msgId } }));
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const reply = this.replies.find((r) => r.dest === client && r.body.in_reply_to === msgId);
      if (reply !== undefined) return reply.body;
      if (Date.now() > deadline) throw new Error(`no reply to ${JSON.stringify(body)}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  /** @returns the reply of whichever node accepts a write first (the leader) */
  async leader(): Promise<string> {
    for (let attempt = 0; attempt < 200; attempt++) {
      for (const id of this.nodes.keys()) {
        const reply = await this.call("c1", id, { type: "write", key: "probe", value: attempt });
        if (reply.type === "write_ok") return id;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error("no leader");
  }

  stop(): void {
    for (const node of this.nodes.values()) node.stop();
  }

  private route(line: string): void {
    const message = JSON.parse(line) as Reply;
    if (this.nodes.has(message.dest)) {
      if (this.cut.has(`${message.src}>${message.dest}`)) return;
      setImmediate(() => this.nodes.get(message.dest)?.handleLine(line));
    } else this.replies.push(message);
  }
}

