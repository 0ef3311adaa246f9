/**
 * The Maelstrom driver against the documented message formats (doc/protocol.md, doc/workloads.md
 * lin-kv), with a scripted client: three nodes wired through an in-test network that can
 * partition them, and one real process spoken to over stdin/stdout.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { MaelstromLinKv } from "../src/maelstrom/maelstrom-lin-kv.js";
import { Network, type Reply } from "./support/maelstrom-network.js";

let network: Network | undefined;
afterEach(() => network?.stop());

async function initialised(): Promise<Network> {
  const net = new Network(["n0", "n1", "n2"], (io) => new MaelstromLinKv(io));
  network = net;
  for (const id of net.nodes.keys()) expect(await net.call("c0", id, { type: "init", node_id: id, node_ids: ["n0", "n1", "n2"] })).toMatchObject({ type: "init_ok" });
  return net;
}

describe("Maelstrom lin-kv driver", () => {
  it("answers init, write, read, cas as documented, with the documented error codes", async () => {
    const net = await initialised();
    const leader = await net.leader();
    const follower = [...net.nodes.keys()].find((id) => id !== leader) as string;
    expect(await net.call("c2", leader, { type: "read", key: 1 })).toMatchObject({ type: "error", code: 20 });
    expect(await net.call("c2", leader, { type: "write", key: 1, value: 10 })).toMatchObject({ type: "write_ok" });
    expect(await net.call("c2", leader, { type: "read", key: 1 })).toMatchObject({ type: "read_ok", value: 10 });
    expect(await net.call("c2", leader, { type: "cas", key: 1, from: 10, to: 11 })).toMatchObject({ type: "cas_ok" });
    expect(await net.call("c2", leader, { type: "cas", key: 1, from: 10, to: 12 })).toMatchObject({ type: "error", code: 22 });
    // Maelstrom's lin-kv: a cas on an absent key is 20 (key does not exist), on another value 22.
    expect(await net.call("c2", leader, { type: "cas", key: 2, from: 1, to: 2 })).toMatchObject({ type: "error", code: 20 });
    expect(await net.call("c2", leader, { type: "read", key: 1 })).toMatchObject({ type: "read_ok", value: 11 });
    // A follower refuses: definite (11), never applied.
    expect(await net.call("c3", follower, { type: "write", key: 1, value: 99 })).toMatchObject({ type: "error", code: 11 });
    expect(await net.call("c2", leader, { type: "read", key: 1 })).toMatchObject({ type: "read_ok", value: 11 });
    // JSON keys and values of any shape.
    expect(await net.call("c2", leader, { type: "write", key: "k", value: [1, { a: "b" }] })).toMatchObject({ type: "write_ok" });
    expect(await net.call("c2", leader, { type: "read", key: "k" })).toMatchObject({ type: "read_ok", value: [1, { a: "b" }] });
  });

  it("bad input is answered with code 12 or 10, or counted and dropped, and the node goes on", async () => {
    const net = await initialised();
    const node = net.nodes.get("n0") as MaelstromLinKv;
    node.handleLine("{not json");
    node.handleLine(JSON.stringify({ src: "c1", dest: "n0", body: { type: "raft", data: "!!!" } }));
    node.handleLine(JSON.stringify({ src: "c1", dest: "n0", body: { type: "raft", data: Buffer.from([0xc1, 0xc1]).toString("base64") } }));
    expect(node.malformed).toBe(3);
    expect(await net.call("c1", "n0", { type: "write", key: 1 })).toMatchObject({ type: "error", code: 12 });
    expect(await net.call("c1", "n0", { type: "frobnicate" })).toMatchObject({ type: "error", code: 10 });
    // Over the KV limits (key 256, value 16 Ki characters): the codec refuses to encode them, the client hears 12.
    expect(await net.call("c1", "n0", { type: "write", key: "k".repeat(300), value: 1 })).toMatchObject({ type: "error", code: 12, text: /op\.key/ });
    expect(await net.call("c1", "n0", { type: "cas", key: 1, from: 1, to: "v".repeat(20_000) })).toMatchObject({ type: "error", code: 12, text: /op\.value/ });
    await net.leader();
  });

  it("an isolated leader answers timeout (0, indefinite) or 11, never a definite error for a write that may apply; after healing the cluster serves again", async () => {
    const net = await initialised();
    const leader = await net.leader();
    net.isolate(leader);
    const reply = await net.call("c4", leader, { type: "write", key: 5, value: 1 });
    expect(reply.type).toBe("error");
    expect([0, 11]).toContain(reply.code);
    net.heal();
    await net.leader();
  });

  it("runs as a process over stdin/stdout", async () => {
    const main = fileURLToPath(new URL("../src/maelstrom/main.ts", import.meta.url));
    const child = spawn(process.execPath, ["--import", "tsx", "--conditions=source", main, "lin-kv"], { stdio: ["pipe", "pipe", "pipe"] });
    const out: string[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(...chunk.toString().split("\n").filter((l) => l !== "")));
    child.stdin.write(`${JSON.stringify({ src: "c0", dest: "n0", body: { type: "init", msg_id: 1, node_id: "n0", node_ids: ["n0"] } })}\n`);
    child.stdin.write("garbage\n");
    const deadline = Date.now() + 30_000;
    const waitFor = async (pred: (l: Reply) => boolean): Promise<Reply> => {
      for (;;) {
        const found = out.map((l) => JSON.parse(l) as Reply).find(pred);
        if (found !== undefined) return found;
        if (Date.now() > deadline) throw new Error(`no such line in ${out.join("\n")}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    expect((await waitFor((l) => l.body.in_reply_to === 1)).body.type).toBe("init_ok");
    for (let i = 2; ; i++) {
      child.stdin.write(`${JSON.stringify({ src: "c1", dest: "n0", body: { type: "write", msg_id: i, key: 1, value: 7 } })}\n`);
      const reply = await waitFor((l) => l.body.in_reply_to === i);
      if (reply.body.type === "write_ok") break;
      await new Promise((r) => setTimeout(r, 50));
    }
    child.stdin.end();
    expect(await new Promise((r) => child.once("exit", r))).toBe(0);
  });
});
