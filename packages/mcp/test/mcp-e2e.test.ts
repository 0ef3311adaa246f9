import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The server as a client sees it: started over stdio with the SDK's own client, as `pnpm mcp` runs it.
const root = join(import.meta.dirname, "..", "..", "..");
const jar = process.env.TLA2TOOLS_JAR || join(homedir(), ".cache", "tla", "tla2tools.jar");
const noTlc = existsSync(jar) ? undefined : `TLC jar not found at ${jar} (set TLA2TOOLS_JAR); skipping the MCP TLC tools`;
if (noTlc) console.warn(noTlc);

// A counter that must stay below 3, and a broken copy that lets it reach 3.
const counter = (bound: number): string =>
  `---- MODULE Counter ----\nEXTENDS Naturals\nVARIABLE x, y\nInit == x = 0 /\\ y = 0\n` +
  `Next == (x < ${bound} /\\ x' = x + 1 /\\ y' = y) \\/ (y < 2 /\\ y' = y + 1 /\\ x' = x)\nBelowThree == x < 3\n====\n`;
const counterConfig = "INIT Init\nNEXT Next\nINVARIANT BelowThree\nCHECK_DEADLOCK FALSE\n";

let client: Client;

function structuredOf(result: unknown): Record<string, unknown> {
  return ((result as CallToolResult).structuredContent ?? {}) as Record<string, unknown>;
}

async function call(name: string, args: Record<string, unknown>): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args }, undefined, { timeout: 110_000 })) as CallToolResult;
}

beforeAll(async () => {
  client = new Client({ name: "synod-mcp-e2e", version: "0.0.0" });
  await client.connect(
    new StdioClientTransport({
      command: join(root, "node_modules", ".bin", "tsx"),
      args: ["--conditions=source", join(root, "packages", "mcp", "src", "main.ts")],
      cwd: root,
      env: { ...process.env, TLA2TOOLS_JAR: jar } as Record<string, string>,
      stderr: "ignore",
    }),
  );
}, 60_000);

afterAll(async () => {
  await client?.close();
});

describe("synod MCP server over stdio", () => {
  it("lists every verification tool, the specs as resources, and the method's prompts", async () => {
    const tools = (await client.listTools()).tools.map((t) => t.name).sort();
    expect(tools).toEqual(["bench_run", "lincheck", "sim_check_determinism", "sim_list", "sim_replay", "sim_run", "tlaplus_check", "tlaplus_parse", "tlaplus_smoke"]);
    const resources = (await client.listResources()).resources.map((r) => r.uri);
    expect(resources).toContain("synod://specs/raft/properties.md");
    expect(resources).toContain("synod://specs/raft/verification_summary.md");
    expect(resources).toContain("synod://packages/raft/README.md");
    const text = await client.readResource({ uri: "synod://specs/broadcast/properties.md" });
    expect(JSON.stringify(text.contents)).toContain("NoDuplication");
    const prompts = (await client.listPrompts()).prompts.map((p) => p.name).sort();
    expect(prompts).toEqual(["analyse_counterexample", "discover_missing_safety", "scaffold_spec", "verify_feature"]);
    const prompt = await client.getPrompt({ name: "scaffold_spec", arguments: { protocol: "gossip", module: "Swim" } });
    expect(JSON.stringify(prompt.messages)).toContain("MCSwim.cfg");
  });

  it("runs a short simulation and reports every seed", async () => {
    const result = await call("sim_run", { protocol: "raft", nodes: 3, seed: 7, seeds: 2, durationMs: 2000, faults: "all" });
    expect(result.isError).toBeFalsy();
    const body = structuredOf(result);
    expect(body.summary).toMatchObject({ summary: true, runs: 2 });
    expect(body.passed).toBe(2);
    expect(body.invariants).toContain("ElectionSafety");
  });

  it("reports progress per seed, and stops a run the client cancels", async () => {
    const seen: number[] = [];
    await client.callTool({ name: "sim_run", arguments: { protocol: "raft", nodes: 3, seed: 1, seeds: 3, durationMs: 1000 } }, undefined, {
      timeout: 110_000,
      onprogress: (p) => seen.push(p.progress),
    });
    expect(seen).toEqual([1, 2, 3]);
    const controller = new AbortController();
    const long = client.callTool({ name: "sim_run", arguments: { protocol: "raft", nodes: 5, seed: 1, seeds: 100_000, durationMs: 60_000 } }, undefined, {
      signal: controller.signal,
      onprogress: () => controller.abort("enough"),
    });
    setTimeout(() => controller.abort("enough"), 15_000);
    await expect(long).rejects.toThrow();
    expect((await client.callTool({ name: "sim_list", arguments: {} })).structuredContent).toMatchObject({ protocols: expect.arrayContaining(["raft"]) });
  });

  it("replays a seed and returns the events around an index, the same trace hash twice", async () => {
    const args = { protocol: "raft", nodes: 3, seed: 11, durationMs: 1000, index: 40, window: 3 };
    const first = structuredOf(await call("sim_replay", args));
    expect(first.index).toBe(40);
    expect((first.events as { i: number }[]).map((e) => e.i)).toEqual([37, 38, 39, 40, 41, 42, 43]);
    expect(structuredOf(await call("sim_replay", args)).traceHash).toBe(first.traceHash);
    const determinism = structuredOf(await call("sim_check_determinism", { protocol: "raft", nodes: 3, seed: 11, durationMs: 1000 }));
    expect(determinism).toMatchObject({ deterministic: true, traceHash: first.traceHash });
  });

  it("checks histories: a linearizable one, and one that is not, with its witness", async () => {
    const line = (type: string, id: number, client: number, timeMs: number, body: Record<string, unknown>): string => JSON.stringify({ type, id, client, timeMs, ...body });
    const ok = [
      line("invoke", 0, 0, 1, { op: { type: "put", key: "k", value: "1" } }),
      line("ok", 0, 0, 2, { result: { ok: true } }),
      line("invoke", 1, 1, 3, { op: { type: "get", key: "k" } }),
      line("ok", 1, 1, 4, { result: { ok: true, value: "1" } }),
    ];
    const good = await call("lincheck", { format: "synod", history: ok.join("\n") });
    const goodBody = structuredOf(good);
    if (good.isError) throw new Error(JSON.stringify(good.content));
    expect(goodBody.linearizable).toBe(true);
    const stale = [...ok.slice(0, 3), line("ok", 1, 1, 4, { result: { ok: true, value: "0" } })];
    const bad = structuredOf(await call("lincheck", { format: "synod", history: stale.join("\n") }));
    expect(bad.linearizable).toBe(false);
    expect((bad.witness as { text: string }).text.length).toBeGreaterThan(0);
  });

  it("refuses bad arguments with typed errors and stays up", async () => {
    const outside = await call("lincheck", { format: "synod", path: "../../etc/passwd" });
    expect(outside.isError).toBe(true);
    expect(structuredOf(outside).error).toMatchObject({ code: "outside-repository" });
    const unknown = await call("sim_run", { protocol: "nosuch", seeds: 1 });
    expect(structuredOf(unknown).error).toMatchObject({ code: "bad-argument" });
    const schema = await call("sim_run", { protocol: "raft", seeds: -1 });
    expect(schema.isError).toBe(true);
    expect(JSON.stringify(schema.content)).toMatch(/Input validation error/);
    const both = await call("tlaplus_parse", { spec: "specs/broadcast/MCBroadcast.tla", moduleText: "x" });
    expect(structuredOf(both).error).toMatchObject({ code: "bad-argument" });
    expect((await client.listTools()).tools.length).toBe(9);
  });
});

describe.skipIf(noTlc !== undefined)("synod MCP server: the TLA+ pipeline, with the real TLC", () => {
  it("parses, smokes and checks a repository spec with the counts of its verification_summary.md", async () => {
    expect(structuredOf(await call("tlaplus_parse", { spec: "specs/broadcast/MCBroadcast.tla" }))).toMatchObject({ result: "pass" });
    const full = structuredOf(await call("tlaplus_check", { spec: "specs/broadcast/MCBroadcast.cfg" }));
    expect(full).toMatchObject({ result: "pass", distinctStates: 861, expected: { distinct: 861 }, stateLimitReached: false });
  });

  it("returns a broken copy's violation as structured states with only the changed variables", async () => {
    const smoke = structuredOf(await call("tlaplus_smoke", { moduleText: counter(3), configText: counterConfig, traces: 20, depth: 10 }));
    expect(smoke).toMatchObject({ result: "fail", violation: { property: "BelowThree", stage: "smoke" } });
    const broken = structuredOf(await call("tlaplus_check", { moduleText: counter(3), configText: counterConfig }));
    expect(broken).toMatchObject({ result: "fail", violation: { kind: "invariant", property: "BelowThree", stage: "full" } });
    const states = broken.states as { index: number; variables: Record<string, unknown> }[];
    expect(states[0]?.variables).toEqual({ x: "0", y: "0" });
    expect(states.at(-1)?.variables).toEqual({ x: { before: "2", after: "3" } });
    expect(states).toHaveLength(4);
    const fixed = structuredOf(await call("tlaplus_check", { moduleText: counter(2), configText: counterConfig }));
    expect(fixed).toMatchObject({ result: "pass", distinctStates: 9 });
    const syntax = structuredOf(await call("tlaplus_parse", { moduleText: "---- MODULE Bad ----\nInit == x' =\n====\n" }));
    expect(syntax.result).toBe("error");
  });

  it("stops a full check at the state limit and says the result is incomplete", async () => {
    const limited = structuredOf(await call("tlaplus_check", { spec: "specs/broadcast/MCBroadcast.cfg", maxStates: 100 }));
    expect(limited).toMatchObject({ result: "error", stateLimitReached: true });
    expect(String(limited.reason)).toMatch(/INCOMPLETE/);
  });
});
