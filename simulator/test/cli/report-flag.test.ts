import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// `--report` and `replay --report` as a user types them (spawning tsx: a few calls only).
const root = fileURLToPath(new URL("../../../", import.meta.url));
const main = join(root, "simulator/src/cli/main.ts");

function sim(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ["--import", "tsx", "--conditions=source", main, ...args], { cwd: root, encoding: "utf8", timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("synod --report", () => {
  it("writes one self-contained page for a run, and the same for its replayed trace", () => {
    const dir = mkdtempSync(join(tmpdir(), "synod-report-cli-"));
    const report = join(dir, "run.html");
    const trace = join(dir, "run.ndjson");
    const run = sim(["raft", "--seed", "3", "--faults", "all", "--duration", "2000", "--report", report, "--trace", trace]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/report: .*run\.html \(\d+ KiB, \d+ messages\)/);
    const html = readFileSync(report, "utf8");
    expect(html).toContain('id="spacetime-data"');
    expect(html).toContain('id="history-data"');
    // Self-contained: nothing fetched from anywhere.
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/);
    const hash = /trace hash ([0-9a-f]{16})/.exec(run.stdout)?.[1];

    const replayed = join(dir, "replayed.html");
    const replay = sim(["replay", trace, "--report", replayed]);
    expect(replay.code).toBe(0);
    expect(replay.stdout).toContain("replay: identical to the recorded trace");
    expect(replay.stdout).toContain(`trace hash ${hash}`);
    expect(existsSync(replayed)).toBe(true);
  });

  it("exits 2 on a report for many seeds or with --check-determinism, a replay with other flags, or a missing trace", () => {
    const many = sim(["raft", "--seeds", "3", "--report", "x.html"]);
    expect(many.code).toBe(2);
    expect(many.stderr).toContain("--report draws one run");
    const determinism = sim(["raft", "--seed", "3", "--report", "x.html", "--check-determinism"]);
    expect(determinism.code).toBe(2);
    const flags = sim(["replay", "t.ndjson", "--seed", "3"]);
    expect(flags.code).toBe(2);
    expect(flags.stderr).toContain("replay takes only --report");
    const missing = sim(["replay", join(tmpdir(), "no-such-trace.ndjson")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no file .*no-such-trace.ndjson; record one with: pnpm sim PROTOCOL/);
  });
});
