import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { defaultJarPath, locateTlc } from "../tlc-locate.js";

const home = mkdtempSync(join(tmpdir(), "synod-specs-home-"));
afterAll(() => rmSync(home, { recursive: true, force: true }));
const noDownload = (): Promise<string | undefined> => Promise.reject(new Error("the test must not download"));

describe("locateTlc", () => {
  it("refuses a TLA2TOOLS_JAR that does not exist, without downloading", async () => {
    const tools = await locateTlc({ TLA2TOOLS_JAR: join(home, "missing.jar"), HOME: home }, noDownload);
    expect(tools).toEqual({ found: false, reason: `TLA2TOOLS_JAR points to ${join(home, "missing.jar")}, which does not exist (fix the path or unset it)` });
  });

  it("falls back to ~/.cache/tla/tla2tools.jar, then tries the download and reports its failure", async () => {
    const attempts: string[] = [];
    const tools = await locateTlc({ HOME: home }, (target) => {
      attempts.push(target);
      return Promise.resolve("could not download (offline?)");
    });
    expect(attempts).toEqual([join(home, ".cache", "tla", "tla2tools.jar")]);
    expect(tools.found).toBe(false);
    if (!tools.found) expect(tools.reason).toContain("could not download (offline?)");
  });

  it("does not download when SYNOD_TLC_NO_DOWNLOAD=1", async () => {
    const tools = await locateTlc({ HOME: home, SYNOD_TLC_NO_DOWNLOAD: "1" }, noDownload);
    expect(tools.found).toBe(false);
    if (!tools.found) expect(tools.reason).toContain("downloads are off");
  });

  it("reports a missing java plainly", async () => {
    const jar = join(home, "fake.jar");
    writeFileSync(jar, "PK");
    const tools = await locateTlc({ TLA2TOOLS_JAR: jar, HOME: home, JAVA: join(home, "no-such-java") }, noDownload);
    expect(tools.found).toBe(false);
    if (!tools.found) expect(tools.reason).toContain("TLC needs Java 11+");
  });

  it("uses the cached jar when present", async () => {
    const cached = defaultJarPath({ HOME: home });
    mkdirSync(join(cached, ".."), { recursive: true });
    writeFileSync(cached, "PK");
    const tools = await locateTlc({ HOME: home, JAVA: join(home, "no-such-java") }, noDownload);
    // Java is absent here on purpose: what matters is that the jar was accepted without a download.
    expect(tools.found).toBe(false);
    if (!tools.found) expect(tools.reason).toContain("Java");
    rmSync(cached);
  });
});
