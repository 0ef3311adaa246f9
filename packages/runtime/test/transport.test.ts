/** The transport: mutual TLS 1.3 with node ids in certificates, framing limits, bad peers, reconnects. */
import { mkdtempSync, rmSync } from "node:fs";
import { connect as connectTcp } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect as connectTls } from "node:tls";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { generateClusterCertificates } from "../src/tls/cluster-certificates.js";
import { encodeFrame } from "../src/transport/frames.js";
import { Transport } from "../src/transport/transport.js";
import { until } from "./support/until.js";
import type { Address, TlsMaterial, TransportSecurity } from "../src/transport/transport-options.js";

const certDir = mkdtempSync(join(tmpdir(), "synod-certs-"));
const certs = generateClusterCertificates(certDir, ["n1", "n2", "n3"]);
const strangerCerts = generateClusterCertificates(join(certDir, "other-ca"), ["n1"]);
afterAll(() => rmSync(certDir, { recursive: true, force: true }));

const started: Transport[] = [];
afterEach(async () => {
  for (const t of started.splice(0)) await t.close();
});

const tlsOf = (id: string): TransportSecurity => ({ mode: "tls", tls: certs.get(id) as TlsMaterial });

interface Received {
  from: string;
  text: string;
}

async function startNode(id: string, peers: Map<string, Address>, security: TransportSecurity, inbox: Received[], port = 0, maxFrameBytes?: number): Promise<Transport> {
  const t = await Transport.start({
    id,
    listen: { host: "127.0.0.1", port },
    peers,
    security,
    onMessage: (from, body) => inbox.push({ from, text: body.toString("utf8") }),
    ...(maxFrameBytes === undefined ? {} : { maxFrameBytes }),
  });
  started.push(t);
  return t;
}


/** Two listening transports, n1 and n2, that know each other's ports. */
async function pair(security: (id: string) => TransportSecurity): Promise<{ a: Transport; b: Transport; inboxA: Received[]; inboxB: Received[] }> {
  const inboxA: Received[] = [];
  const inboxB: Received[] = [];
  const b = await startNode("n2", new Map(), security("n2"), inboxB);
  const a = await startNode("n1", new Map([["n2", b.address]]), security("n1"), inboxA);
  // b learns a's address only now: restart b knowing it.
  const portB = b.address.port;
  await b.close();
  started.splice(started.indexOf(b), 1);
  const b2 = await startNode("n2", new Map([["n1", a.address]]), security("n2"), inboxB, portB);
  return { a, b: b2, inboxA, inboxB };
}

describe("Transport", () => {
  it("delivers messages both ways over mutual TLS 1.3, naming the sender by its certificate", async () => {
    const { a, b, inboxA, inboxB } = await pair(tlsOf);
    a.send("n2", Buffer.from("hello from n1"));
    b.send("n1", Buffer.from("hello from n2"));
    await until(() => inboxA.length === 1 && inboxB.length === 1, "both messages");
    expect(inboxB).toEqual([{ from: "n1", text: "hello from n1" }]);
    expect(inboxA).toEqual([{ from: "n2", text: "hello from n2" }]);
  });

  it("keeps order and batches many frames; reconnects after the peer restarts", async () => {
    const { a, b, inboxB } = await pair(tlsOf);
    for (let i = 0; i < 1000; i++) a.send("n2", Buffer.from(`m${i}`));
    await until(() => inboxB.length === 1000, "1000 messages");
    expect(inboxB.map((m) => m.text)).toEqual(Array.from({ length: 1000 }, (_, i) => `m${i}`));
    const port = b.address.port;
    await b.close();
    started.splice(started.indexOf(b), 1);
    const inbox2: Received[] = [];
    await startNode("n2", new Map([["n1", a.address]]), tlsOf("n2"), inbox2, port);
    // Messages sent while the link is down or reconnecting wait in the bounded queue.
    await until(() => {
      a.send("n2", Buffer.from("after restart"));
      return inbox2.length > 0;
    }, "a message after the restart");
    expect(inbox2[0]).toEqual({ from: "n1", text: "after restart" });
  });

  it("plaintext mode (asked for by name) delivers with the hello's id", async () => {
    const { a, inboxB } = await pair(() => ({ mode: "plaintext" }));
    a.send("n2", Buffer.from("plain"));
    await until(() => inboxB.length === 1, "the message");
    expect(inboxB[0]).toEqual({ from: "n1", text: "plain" });
  });

  it("a peer presenting a certificate for another node id is refused and counted", async () => {
    const inbox: Received[] = [];
    const server = await startNode("n1", new Map([["n2", { host: "127.0.0.1", port: 1 }], ["n3", { host: "127.0.0.1", port: 1 }]]), tlsOf("n1"), inbox);
    const n3 = certs.get("n3") as TlsMaterial;
    // n3's certificate, but a hello claiming to be n2.
    const socket = connectTls({ host: "127.0.0.1", port: server.address.port, key: n3.key, cert: n3.cert, ca: n3.ca, checkServerIdentity: () => undefined });
    await new Promise<void>((r) => socket.once("secureConnect", () => r()));
    socket.write(encodeFrame("hello", Buffer.from("n2")));
    socket.write(encodeFrame("message", Buffer.from("forged")));
    await until(() => server.stats.rejected["identity-mismatch"] === 1, "the identity mismatch");
    expect(inbox).toEqual([]);
    socket.destroy();
  });

  it("a client certificate from another CA fails the handshake; the dialler refuses a server certifying the wrong node", async () => {
    const inbox: Received[] = [];
    const server = await startNode("n1", new Map([["n2", { host: "127.0.0.1", port: 1 }]]), tlsOf("n1"), inbox);
    const stranger = strangerCerts.get("n1") as TlsMaterial;
    const socket = connectTls({ host: "127.0.0.1", port: server.address.port, key: stranger.key, cert: stranger.cert, ca: (certs.get("n1") as TlsMaterial).ca, checkServerIdentity: () => undefined });
    socket.on("error", () => {});
    await until(() => server.stats.rejected["tls-handshake"] === 1 || socket.destroyed, "the handshake failure");
    // n2 dials "n3"'s address, but n1 answers there: n2 must never count it as connected.
    const dialler = await startNode("n2", new Map([["n3", server.address]]), tlsOf("n2"), []);
    await new Promise((r) => setTimeout(r, 300));
    expect(dialler.stats.connectsOut).toBe(0);
    expect(inbox).toEqual([]);
  });

  it("garbage, a frame over the limit and a message before the hello close the connection and are counted", async () => {
    const inbox: Received[] = [];
    const server = await startNode("n1", new Map([["n2", { host: "127.0.0.1", port: 1 }]]), { mode: "plaintext" }, inbox, 0, 1024);
    const send = async (bytes: Buffer): Promise<void> => {
      const socket = connectTcp({ host: "127.0.0.1", port: server.address.port });
      socket.on("error", () => {});
      await new Promise<void>((r) => socket.once("connect", () => r()));
      socket.write(bytes);
      await new Promise<void>((r) => socket.once("close", () => r()));
    };
    await send(Buffer.concat([encodeFrame("hello", Buffer.from("n2")), Buffer.from([0, 0, 0, 5, 99, 1, 2, 3, 4])]));
    await send(Buffer.concat([encodeFrame("hello", Buffer.from("n2")), encodeFrame("message", Buffer.alloc(2000))]));
    await send(encodeFrame("message", Buffer.from("no hello")));
    await send(encodeFrame("hello", Buffer.from("mallory")));
    expect(server.stats.rejected).toMatchObject({ "bad-framing": 1, "frame-too-large": 1, "bad-hello": 2 });
    expect(inbox).toEqual([]);
  });

  it("cork holds frames until uncork, in order, and a half-full queue is written anyway (nothing dropped)", async () => {
    const { a, inboxB } = await pair(tlsOf);
    a.send("n2", Buffer.from("warm-up"));
    await until(() => inboxB.length === 1, "the link is up");
    a.cork();
    a.send("n2", Buffer.from("held 1"));
    a.send("n2", Buffer.from("held 2"));
    await new Promise((r) => setTimeout(r, 100));
    expect(inboxB.length).toBe(1);
    a.uncork();
    await until(() => inboxB.length === 3, "the held frames");
    expect(inboxB.map((m) => m.text)).toEqual(["warm-up", "held 1", "held 2"]);
    a.cork();
    for (let i = 0; i < 3000; i++) a.send("n2", Buffer.from(`c${i}`));
    await until(() => inboxB.length >= 3 + 2048, "half a queue");
    expect(a.stats.dropped["queue-full"]).toBe(0);
    a.uncork();
    await until(() => inboxB.length === 3003, "the rest");
    expect(inboxB.slice(3).map((m) => m.text)).toEqual(Array.from({ length: 3000 }, (_, i) => `c${i}`));
  });

  it("a full queue drops and counts instead of growing", async () => {
    const unreachable = await startNode("n1", new Map([["n2", { host: "127.0.0.1", port: 1 }]]), { mode: "plaintext" }, []);
    for (let i = 0; i < 5000; i++) unreachable.send("n2", Buffer.from("x"));
    unreachable.send("n9", Buffer.from("x"));
    expect(unreachable.stats.dropped).toEqual({ "queue-full": 5000 - 4096, "unknown-peer": 1 });
  });
});
