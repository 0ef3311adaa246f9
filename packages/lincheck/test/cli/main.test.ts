import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../../../test/support/shared-data.js";

// The real entry point, spawned through tsx the way `pnpm lincheck` runs it.
const TSX = join(REPO_ROOT, "node_modules", ".bin", "tsx");
const MAIN = join(REPO_ROOT, "packages", "lincheck", "src", "cli", "main.ts");
const dir = mkdtempSync(join(tmpdir(), "lincheck-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function lincheck(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(TSX, ["--conditions=source", MAIN, ...args], { cwd: REPO_ROOT, encoding: "utf8", timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function write(name: string, events: unknown[]): string {
  const path = join(dir, name);
  writeFileSync(path, `${events.map((e) => JSON.stringify(e)).join("\n")}\n`);
  return path;
}

const put = { type: "invoke", id: 0, client: 0, timeMs: 0, op: { type: "put", key: "k", value: "v" } };
const putOk = { type: "ok", id: 0, client: 0, timeMs: 1, result: { ok: true } };
const get = { type: "invoke", id: 1, client: 1, timeMs: 2, op: { type: "get", key: "k" } };

describe("pnpm lincheck (spawned)", () => {
  it("exits 0 and prints a JSON line for a linearizable synod history", () => {
    const file = write("good.ndjson", [put, putOk, get, { type: "ok", id: 1, client: 1, timeMs: 3, result: { ok: true, value: "v" } }]);
    const { status, stdout } = lincheck("--format", "synod", file);
    expect(status).toBe(0);
    expect(JSON.parse(stdout.trim())).toMatchObject({ file, linearizable: true, operations: 2 });
  });

  it("exits 1 for a stale read", () => {
    const file = write("bad.ndjson", [put, putOk, get, { type: "ok", id: 1, client: 1, timeMs: 3, result: { ok: true } }]);
    const { status, stdout, stderr } = lincheck("--format", "synod", file);
    expect(status).toBe(1);
    expect(JSON.parse(stdout.trim())).toMatchObject({ linearizable: false });
    expect(stderr).toContain("cannot be linearized");
  });

  it("exits 2 with the line number for an unparseable file", () => {
    const file = join(dir, "broken.ndjson");
    writeFileSync(file, `${JSON.stringify(put)}\n{"type":"ok",\n`);
    const { status, stderr } = lincheck("--format", "synod", file);
    expect(status).toBe(2);
    expect(stderr).toMatch(/line 2: invalid JSON/);
  });
});
