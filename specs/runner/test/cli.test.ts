import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const repo = fileURLToPath(new URL("../../..", import.meta.url));
const home = mkdtempSync(join(tmpdir(), "synod-specs-cli-"));
afterAll(() => rmSync(home, { recursive: true, force: true }));

/** Run `pnpm specs` for real (through tsx), with TLA2TOOLS_JAR pointing at a file that does not exist. */
function specs(args: string[], extraEnv: Record<string, string> = {}) {
  const env: Record<string, string | undefined> = { ...process.env, TLA2TOOLS_JAR: join(home, "missing.jar"), HOME: home, ...extraEnv };
  delete env.SYNOD_REQUIRE_TLC;
  Object.assign(env, extraEnv);
  return spawnSync(join(repo, "node_modules/.bin/tsx"), ["--conditions=source", join(repo, "specs/runner/main.ts"), ...args], {
    cwd: repo, env, encoding: "utf8", timeout: 60_000,
  });
}

describe("pnpm specs (process exit codes)", () => {
  it("exits 0 and says plainly that nothing was checked when the jar is missing", () => {
    const run = specs(["broadcast"]);
    expect(run.status).toBe(0);
    expect(run.stderr).toContain("TLC is not available: TLA2TOOLS_JAR points to");
    expect(run.stderr).toContain("NO model was checked");
    expect(run.stdout).toContain("skipped (TLC not available)");
  });

  it("exits 1 when SYNOD_REQUIRE_TLC=1 and the jar is missing", () => {
    expect(specs(["broadcast"], { SYNOD_REQUIRE_TLC: "1" }).status).toBe(1);
  });

  it("exits 2 on bad usage", () => {
    const run = specs(["--workers", "zero"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("--workers must be auto or an integer");
  });
});
