import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";

/** The official TLC release the runner downloads when none is installed. */
export const TLA2TOOLS_URL = "https://github.com/tlaplus/tlaplus/releases/download/v1.8.0/tla2tools.jar";
/** Give up on the download after this long (an offline machine must not hang the run). */
export const DOWNLOAD_TIMEOUT_MS = 15_000;
/** Refuse a download larger than this (the real jar is ~4.6 MB). */
export const DOWNLOAD_MAX_BYTES = 64 * 1024 * 1024;

/** Where TLC and Java were found, or why they were not. */
export type TlcTools =
  | { readonly found: true; readonly jar: string; readonly java: string; readonly javaVersion: string }
  | { readonly found: false; readonly reason: string };

/** The environment the lookup reads (process.env in production; tests pass their own). */
export interface LocateEnv {
  readonly TLA2TOOLS_JAR?: string | undefined;
  readonly HOME?: string | undefined;
  readonly JAVA?: string | undefined;
  readonly SYNOD_TLC_NO_DOWNLOAD?: string | undefined;
}

/**
 * The default jar location: `~/.cache/tla/tla2tools.jar`.
 * @param env - reads HOME, falling back to the OS home directory
 */
export function defaultJarPath(env: LocateEnv): string {
  return join(env.HOME ?? homedir(), ".cache", "tla", "tla2tools.jar");
}

/**
 * Find `java` (the `JAVA` variable, else `java` on PATH) and read its version.
 * @returns the command and its version line, or undefined when it cannot run
 */
export function findJava(env: LocateEnv): { java: string; version: string } | undefined {
  const java = env.JAVA ?? "java";
  const probe = spawnSync(java, ["-version"], { encoding: "utf8", timeout: 20_000 });
  if (probe.error || probe.status !== 0) return undefined;
  const version = `${probe.stderr}${probe.stdout}`.split("\n")[0]?.trim() ?? "unknown";
  return { java, version };
}

/**
 * Download the official tla2tools.jar to `target`, with a timeout and a size limit.
 * @returns undefined on success, or the reason it failed
 */
export async function downloadJar(target: string, url = TLA2TOOLS_URL, timeoutMs = DOWNLOAD_TIMEOUT_MS): Promise<string | undefined> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: "follow" });
    if (!response.ok) return `download of ${url} failed: HTTP ${response.status}`;
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes.length > DOWNLOAD_MAX_BYTES) return `download of ${url} is ${bytes.length} bytes, over the ${DOWNLOAD_MAX_BYTES}-byte limit`;
    // A jar is a zip: "PK\x03\x04".
    if (bytes[0] !== 0x50 || bytes[1] !== 0x4b) return `download of ${url} is not a jar`;
    mkdirSync(dirname(target), { recursive: true });
    const partial = `${target}.partial`;
    writeFileSync(partial, bytes);
    renameSync(partial, target);
    return undefined;
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : "";
    const why = error instanceof Error ? `${error.message}${cause}` : String(error);
    return `could not download ${url} (${why}; timeout ${timeoutMs / 1000} s); offline?`;
  }
}

/**
 * Locate TLC: `TLA2TOOLS_JAR` if set (it must exist: a set but wrong path is not silently replaced),
 * else `~/.cache/tla/tla2tools.jar`, else download the official release there (unless
 * `SYNOD_TLC_NO_DOWNLOAD=1`); then check that Java runs.
 * @param env - environment variables to read
 * @param download - the downloader (tests inject a fake)
 * @returns the tools, or `{found: false, reason}` with a sentence saying what is missing and how to fix it
 */
export async function locateTlc(
  env: LocateEnv,
  download: (target: string) => Promise<string | undefined> = (t) => downloadJar(t),
): Promise<TlcTools> {
  let jar: string;
  if (env.TLA2TOOLS_JAR !== undefined && env.TLA2TOOLS_JAR !== "") {
    jar = env.TLA2TOOLS_JAR;
    if (!existsSync(jar)) {
      return { found: false, reason: `TLA2TOOLS_JAR points to ${jar}, which does not exist (fix the path or unset it)` };
    }
  } else {
    jar = defaultJarPath(env);
    if (!existsSync(jar)) {
      if (env.SYNOD_TLC_NO_DOWNLOAD === "1") {
        return { found: false, reason: `no TLC jar at ${jar} and downloads are off (SYNOD_TLC_NO_DOWNLOAD=1); set TLA2TOOLS_JAR or put tla2tools.jar there` };
      }
      const failed = await download(jar);
      if (failed !== undefined) {
        return { found: false, reason: `no TLC jar at ${jar} and ${failed}; set TLA2TOOLS_JAR or download ${TLA2TOOLS_URL} there` };
      }
    }
  }
  const java = findJava(env);
  if (!java) return { found: false, reason: `TLC needs Java 11+, and \`${env.JAVA ?? "java"} -version\` did not run (install a JDK or set JAVA)` };
  return { found: true, jar, java: java.java, javaVersion: java.version };
}
