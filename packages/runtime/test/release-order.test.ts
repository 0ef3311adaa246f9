/** The driver's release order: steps of one read's frames released together, in the order taken. */
import { createCodec, emptyStep, s, type NodeId, type ProtocolNode, type Step } from "@synod/core";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterAll, describe, expect, it } from "vitest";
import type { ProtocolAdapter } from "../src/protocol-adapter.js";
import { RuntimeNode } from "../src/runtime-node.js";

const root = mkdtempSync(join(tmpdir(), "synod-release-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const codec = createCodec(s.uint(1_000));

/** Answers a message `m` with the output `ack m` (nothing persisted); a request `i` persists `i` and outputs `proposed i`. */
class Acks implements ProtocolNode<number, number, string, number> {
  readonly id: NodeId = "n1";
  tick(): Step<number, string, number> {
    return emptyStep();
  }
  receive(_from: NodeId, m: number): Step<number, string, number> {
    return { persist: [], send: [], output: [`ack ${m}`] };
  }
  receiveBytes(from: NodeId, bytes: Uint8Array): Step<number, string, number> {
    const decoded = codec.decode(bytes);
    return decoded.ok ? this.receive(from, decoded.value) : emptyStep();
  }
  request(i: number): Step<number, string, number> {
    return { persist: [i], send: [], output: [`proposed ${i}`] };
  }
}

const protocol: ProtocolAdapter<Acks, number, number, string, number> = { name: "acks", messageCodec: codec, recordCodec: codec, createNode: () => new Acks() };

describe("RuntimeNode's release of received steps", () => {
  it("releases the steps of one read's frames before the steps their outputs cause, which share one sync", async () => {
    const outputs: string[] = [];
    let runtime: RuntimeNode<Acks, number, number, string, number> | undefined;
    runtime = await RuntimeNode.start({
      id: "n1",
      members: ["n1"],
      protocol,
      dataDir: join(root, "n1"),
      tickMs: 1_000,
      listen: { host: "127.0.0.1", port: 0 },
      peers: new Map(),
      security: { mode: "plaintext" },
      logger: pino({ level: "silent" }),
      onOutput: (o) => {
        outputs.push(o);
        // An application proposing as its writes are acknowledged (the bench's closed loop).
        if (o.startsWith("ack ")) runtime?.request(Number(o.slice(4)));
      },
    });
    // Two frames of one read (the transport hands them over in one synchronous loop).
    const onFrame = (runtime as unknown as { onFrame(from: NodeId, body: Buffer): void }).onFrame.bind(runtime);
    for (const m of [1, 2]) onFrame("n2", Buffer.from(codec.encode(m)));
    expect(outputs).toEqual([]); // released at the end of the read, not inside it
    while (outputs.length < 4) await new Promise((r) => setTimeout(r, 5));
    // Released at once, the first acknowledgement's proposal would have been taken before the
    // second acknowledgement, which would then have waited for its sync: two syncs, interleaved.
    expect(outputs).toEqual(["ack 1", "ack 2", "proposed 1", "proposed 2"]);
    expect(runtime.stats.fsyncs).toBe(1);
    await runtime.stop();
  });
});
