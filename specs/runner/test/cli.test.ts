import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const repo = fileURLToPath(new URL("../../..", import.meta.url));
const home = mkdtempSync(join(tmpdir(), "synod-specs-cli-"));
afterAll(() => rmSync(home, { recursive: true, force: true }));

/** Run `pnpm specs` for real (through tsx), with no jar in HOME and downloads off. */
function specs(args: string[], extraEnv: Record<string, string> = {}) {
  const env: Record<string, string | undefined> = { ...process.env, HOME: home, SYNOD_TLC_NO_DOWNLOAD: "1" };
  delete env.SYNOD_REQUIRE_TLC;
  delete env.TLA2TOOLS_JAR;
  delete env.JAVA;
  Object.assign(env, extraEnv);
  return spawnSync(join(repo, "node_modules/.bin/tsx"), ["--conditions=source", join(repo, "specs/runner/main.ts"), ...args], {
    cwd: repo, env, encoding: "utf8", timeout: 60_000,
  });
}

describe("pnpm specs (process exit codes)", () => {
  it("exits 0 and says plainly that nothing was checked when the jar is missing", () => {
    const run = specs(["broadcast"]);
    expect(run.status).toBe(0);
    expect(run.stderr).toContain("TLC is not available: no TLC jar at");
    expect(run.stderr).toContain("NO model was checked");
    expect(run.stdout).toContain("skipped (TLC not available)");
  });

  it("exits 6 when SYNOD_REQUIRE_TLC=1 and the jar is missing, and when TLA2TOOLS_JAR points nowhere", () => {
    expect(specs(["broadcast"], { SYNOD_REQUIRE_TLC: "1" }).status).toBe(6);
    const wrong = specs(["broadcast"], { TLA2TOOLS_JAR: join(home, "missing.jar") });
    expect(wrong.status).toBe(6);
    expect(wrong.stderr).toContain("TLA2TOOLS_JAR points to");
  });

  it("exits 2 on bad usage", () => {
    const run = specs(["--workers", "zero"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("--workers must be an integer in 1..256");
  });
});
