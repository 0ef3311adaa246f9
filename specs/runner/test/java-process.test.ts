import { tmpdir } from "node:os";
import { describe, expect, it } from "vitest";
import { runProcess } from "../java-process.js";

describe("runProcess", () => {
  it("collects stdout then stderr and the exit code", async () => {
    const result = await runProcess(process.execPath, ["-e", "process.stdout.write('out\\n'); process.stderr.write('err\\n'); process.exit(12)"], { cwd: tmpdir(), timeoutMs: 20_000 });
    expect(result).toMatchObject({ exitCode: 12, output: "out\nerr\n", timedOut: false });
  });

  it("kills a process that outlives its timeout and reports exit code null", async () => {
    const result = await runProcess(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { cwd: tmpdir(), timeoutMs: 300 });
    expect(result.timedOut).toBe(true);
    expect(result.exitCode).toBeNull();
  });

  it("reports a command that cannot start", async () => {
    const result = await runProcess("/nonexistent/java", [], { cwd: tmpdir(), timeoutMs: 5_000 });
    expect(result.exitCode).toBeNull();
    expect(result.output).toContain("ENOENT");
  });
});
