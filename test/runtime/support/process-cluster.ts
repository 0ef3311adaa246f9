import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, openSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeBoundCertificates } from "synod-kv";
import { FaultProxy } from "./fault-proxy.js";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const kvMain = join(repoRoot, "examples/synod-kv/src/main.ts");

/** @returns `n` free loopback ports (bound once and released) */
export async function freePorts(n: number): Promise<number[]> {
  const ports: number[] = [];
  const servers = [];
  for (let i = 0; i < n; i++) {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    ports.push((server.address() as { port: number }).port);
    servers.push(server);
  }
  for (const server of servers) await new Promise<void>((r) => server.close(() => r()));
  return ports;
}

/**
 * A synod-kv cluster of real processes on loopback (`synod-kv serve`, one per node, mutual TLS),
 * with a {@link FaultProxy} on every ordered pair of nodes, and the faults a Jepsen nemesis uses:
 * SIGKILL and restart, SIGSTOP / SIGCONT, cuts (both ways or one way) and delays. Each node's log
 * goes to `<dir>/<id>.log`.
 */
export class ProcessCluster {
  private readonly children = new Map<string, ChildProcess>();
  private readonly paused = new Set<string>();

  private constructor(
    readonly dir: string,
    readonly ids: readonly string[],
    /** HTTP base URL of each node, in id order. */
    readonly endpoints: readonly string[],
    private readonly configFile: string,
    /** proxies.get(from).get(to): the proxy `from` dials `to` through. */
    private readonly proxies: Map<string, Map<string, FaultProxy>>,
  ) {}

  /** Write the cluster file and key-bound certificates (each node checks its peers' keys), start the proxies and every node. */
  static async start(dir: string, nodes: number, protocol: "raft" | "pbft" = "raft"): Promise<ProcessCluster> {
    const ids = Array.from({ length: nodes }, (_, i) => `n${i + 1}`);
    writeBoundCertificates(join(dir, "certs"), ids);
    const ports = await freePorts(2 * nodes);
    const peerPort = new Map(ids.map((id, i) => [id, ports[i] as number]));
    const httpPort = new Map(ids.map((id, i) => [id, ports[nodes + i] as number]));
    const proxies = new Map<string, Map<string, FaultProxy>>();
    const routes: Record<string, Record<string, string>> = {};
    for (const from of ids) {
      proxies.set(from, new Map());
      routes[from] = {};
      for (const to of ids) {
        if (to === from) continue;
        const proxy = await FaultProxy.start(peerPort.get(to) as number);
        proxies.get(from)?.set(to, proxy);
        (routes[from] as Record<string, string>)[to] = `127.0.0.1:${proxy.port}`;
      }
    }
    const spec = Object.fromEntries(ids.map((id) => [id, { peer: `127.0.0.1:${peerPort.get(id)}`, http: `127.0.0.1:${httpPort.get(id)}` }]));
    const configFile = join(dir, "cluster.json");
    writeFileSync(configFile, JSON.stringify({ nodes: spec, protocol, security: "tls", certDir: "certs", dataDir: "data", tickMs: 10, routes }, null, 2));
    const cluster = new ProcessCluster(dir, ids, ids.map((id) => `http://127.0.0.1:${httpPort.get(id)}`), configFile, proxies);
    for (const id of ids) cluster.spawnNode(id);
    return cluster;
  }

  /** Whether `id`'s process is running (not killed). */
  isRunning(id: string): boolean {
    return this.children.has(id);
  }

  /** SIGKILL `id` (no chance to flush anything: only what was fsynced survives). */
  async kill(id: string): Promise<void> {
    const child = this.children.get(id);
    if (child === undefined) return;
    this.children.delete(id);
    this.paused.delete(id);
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGKILL");
    await exited;
  }

  /** Start `id` again from its data directory. */
  restart(id: string): void {
    if (!this.children.has(id)) this.spawnNode(id);
  }

  /** SIGSTOP `id`: it stops ticking, reading and writing, but keeps its connections. */
  pause(id: string): void {
    if (this.children.get(id)?.kill("SIGSTOP")) this.paused.add(id);
  }

  /** SIGCONT every paused node. */
  resumeAll(): void {
    for (const id of this.paused) this.children.get(id)?.kill("SIGCONT");
    this.paused.clear();
  }

  /** Cut every link between `id` and the others, both ways. */
  isolate(id: string): void {
    for (const other of this.ids) {
      if (other === id) continue;
      this.proxy(id, other).cut();
      this.proxy(other, id).cut();
    }
  }

  /** Cut the link `from` → `to` only (`to` still reaches `from`). */
  cutOneWay(from: string, to: string): void {
    this.proxy(from, to).cut();
  }

  /** Delay every message to and from `id` by `ms`. */
  delayNode(id: string, ms: number): void {
    for (const other of this.ids) {
      if (other === id) continue;
      this.proxy(id, other).delay(ms);
      this.proxy(other, id).delay(ms);
    }
  }

  /** Heal every link and resume every paused node. */
  heal(): void {
    for (const table of this.proxies.values()) for (const proxy of table.values()) proxy.heal();
    this.resumeAll();
  }

  /** Resolve once some node reports a leader that every running node agrees on. */
  async waitForLeader(timeoutMs: number): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let last: unknown[] = [];
    while (Date.now() < deadline) {
      const views = await Promise.all(this.ids.filter((id) => this.isRunning(id)).map((id) => this.health(id)));
      last = views;
      // PBFT: every running replica in the same active view, whose primary is the "leader".
      const primaries = new Set(views.map((v) => (v?.viewActive === 1 ? `${String(v.view)}:${String(v.primary)}` : undefined)));
      if (views.length > 0 && views.every((v) => v?.primary !== undefined) && primaries.size === 1 && !primaries.has(undefined)) return views[0]?.primary as string;
      const leaders = new Set(views.map((v) => v?.leader));
      const leader = views.find((v) => v?.role === "leader");
      if (leader !== undefined && leaders.size === 1) return leader.id as string;
      await new Promise((r) => setTimeout(r, 100));
    }
    const seen = last.map((v) => JSON.stringify(v)).join("; ");
    throw new Error(`no agreed leader within ${timeoutMs} ms (logs in ${this.dir}); the nodes last reported: ${seen}`);
  }

  /** Stop every node (SIGKILL) and proxy. */
  async stop(): Promise<void> {
    this.resumeAll();
    for (const id of [...this.children.keys()]) await this.kill(id);
    for (const table of this.proxies.values()) for (const proxy of table.values()) await proxy.close();
  }

  /**
   * Wait until `id` answers its health endpoint (a restarted process is serving again): a process
   * start takes seconds on a loaded machine, and a nemesis that moves on before it is back would
   * have two nodes faulty at once.
   * @returns the milliseconds it took
   */
  async waitUntilServing(id: string, timeoutMs: number): Promise<number> {
    const start = Date.now();
    while (Date.now() - start < timeoutMs) {
      if ((await this.health(id)) !== undefined) return Date.now() - start;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`${id} did not serve within ${timeoutMs} ms of its restart (logs in ${this.dir})`);
  }

  private async health(id: string): Promise<Record<string, unknown> | undefined> {
    try {
      const response = await fetch(`${this.endpoints[this.ids.indexOf(id)]}/health`, { signal: AbortSignal.timeout(500) });
      return (await response.json()) as Record<string, unknown>;
    } catch {
      return undefined;
    }
  }

  private proxy(from: string, to: string): FaultProxy {
    return this.proxies.get(from)?.get(to) as FaultProxy;
  }

  private spawnNode(id: string): void {
    const log = openSync(join(this.dir, `${id}.log`), "a");
    const child = spawn(process.execPath, ["--import", "tsx", "--conditions=source", kvMain, "serve", "--config", this.configFile, "--id", id], { cwd: repoRoot, stdio: ["ignore", log, log] });
    closeSync(log);
    this.children.set(id, child);
    child.once("exit", () => {
      if (this.children.get(id) === child) this.children.delete(id);
    });
  }
}
