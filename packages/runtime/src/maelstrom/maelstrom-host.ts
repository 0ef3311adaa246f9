import { internedNodeId, type NodeId } from "@synod/core";
import { MAELSTROM_ERROR, parseMaelstromLine, type MaelstromBody, type MaelstromMessage } from "./maelstrom-message.js";

/** What a Maelstrom node needs from its host: a line sink, diagnostics, and the tick length. */
export interface MaelstromIo {
  /** Write one line (a JSON message) to stdout. */
  readonly write: (line: string) => void;
  /** Diagnostics (stderr). */
  readonly log: (line: string) => void;
  /** Milliseconds per tick. */
  readonly tickMs: number;
}

/**
 * The part every Maelstrom workload node shares: parsing stdin lines (bad ones counted and
 * reported, never thrown), `init` (node id and members), the tick timer, message ids, replies and
 * protocol messages between nodes (`{"type": <protocol>, "data": <base64 of the codec's bytes>}`).
 * A workload implements {@link start} (build the node at init), {@link tick}, {@link onPeer} and
 * {@link onClient}.
 */
export abstract class MaelstromHost {
  /** Lines that were not Maelstrom messages, and bodies with an unknown type or bad fields. */
  malformed = 0;
  /** This node's id (after init). */
  protected id: NodeId | undefined;
  private timer: NodeJS.Timeout | undefined;
  private nextMsgId = 1;

  constructor(
    protected readonly io: MaelstromIo,
    /** The body type that carries protocol messages between nodes. */
    private readonly peerType: string,
  ) {}

  /** Handle one stdin line. Never throws on bad input: it is counted and reported on stderr. */
  handleLine(line: string): void {
    if (line.trim() === "") return;
    const parsed = parseMaelstromLine(line);
    if (!parsed.ok) {
      this.malformed++;
      this.io.log(`maelstrom: dropped a line (${parsed.why})`);
      return;
    }
    const { body, src } = parsed.message;
    if (body.type === "init") return this.init(parsed.message);
    if (this.id === undefined) return this.reply(src, body, { type: "error", code: MAELSTROM_ERROR.temporarilyUnavailable, text: "not initialised yet" });
    if (body.type === this.peerType) {
      const bytes = typeof body.data === "string" ? Buffer.from(body.data, "base64") : undefined;
      if (bytes === undefined || !this.onPeer(internedNodeId(src), bytes)) this.malformed++;
      return;
    }
    if (!this.onClient(src, body)) {
      if (body.msg_id !== undefined) {
        this.reply(src, body, { type: "error", code: MAELSTROM_ERROR.notSupported, text: `unsupported message type ${body.type}` });
      } else this.malformed++;
    }
  }

  /** Stop ticking. */
  stop(): void {
    clearInterval(this.timer);
  }

  /** Build the node: this node's id and the members (in Maelstrom's order). */
  protected abstract start(id: NodeId, members: readonly NodeId[]): void;
  /** One tick of the node. */
  protected abstract tick(): void;
  /** @returns false when the peer's bytes did not decode (counted as malformed) */
  protected abstract onPeer(from: NodeId, bytes: Uint8Array): boolean;
  /** @returns false for a message type this workload does not know */
  protected abstract onClient(src: string, body: MaelstromBody): boolean;

  /** Send a protocol message to a peer node. */
  protected sendPeer(to: NodeId, bytes: Uint8Array): void {
    this.send(to, { type: this.peerType, data: Buffer.from(bytes).toString("base64") });
  }

  /** Answer a malformed request with code 12 (or count it when it expects no reply). */
  protected bad(src: string, body: MaelstromBody, why: string): void {
    this.malformed++;
    if (body.msg_id !== undefined) this.reply(src, body, { type: "error", code: MAELSTROM_ERROR.malformedRequest, text: why });
  }

  /** Reply to `request` (sets `in_reply_to`). */
  protected reply(to: string, request: MaelstromBody, body: Record<string, unknown>): void {
    this.send(to, { ...body, ...(request.msg_id === undefined ? {} : { in_reply_to: request.msg_id }) });
  }

  /** Write a message with a fresh msg_id. */
  protected send(dest: string, body: Record<string, unknown>): void {
    this.io.write(JSON.stringify({ src: this.id ?? "?", dest, body: { ...body, msg_id: this.nextMsgId++ } }));
  }

  private init(message: MaelstromMessage): void {
    const { body } = message;
    const nodeId = body.node_id;
    const nodeIds = body.node_ids;
    if (typeof nodeId !== "string" || !Array.isArray(nodeIds) || !nodeIds.every((n) => typeof n === "string") || !nodeIds.includes(nodeId)) {
      return this.bad(message.src, body, "init needs node_id and node_ids containing it");
    }
    if (this.id === undefined) {
      this.id = internedNodeId(nodeId);
      this.start(this.id, (nodeIds as string[]).map(internedNodeId));
      this.timer = setInterval(() => this.tick(), this.io.tickMs);
    }
    this.reply(message.src, body, { type: "init_ok" });
  }
}
