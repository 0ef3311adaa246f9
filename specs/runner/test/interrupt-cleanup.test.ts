import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cleanUpNow, registerChild, registerTempDir } from "../interrupt-cleanup.js";

describe("cleanUpNow (what Ctrl-C runs)", () => {
  it("removes the registered temporary folders and kills the live child processes", async () => {
    const dir = mkdtempSync(join(tmpdir(), "synod-tlc-test-"));
    const kept = mkdtempSync(join(tmpdir(), "synod-tlc-test-"));
    registerTempDir(dir);
    const forget = registerTempDir(kept);
    forget();
    const child = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"]);
    registerChild(child);
    const closed = new Promise<string | null>((resolve) => child.once("close", (_code, signal) => resolve(signal)));
    cleanUpNow();
    expect(existsSync(dir)).toBe(false);
    expect(existsSync(kept)).toBe(true);
    expect(await closed).toBe("SIGKILL");
    rmSync(kept, { recursive: true, force: true });
  });
});
