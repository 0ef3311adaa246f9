import type { ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";

/**
 * What an interrupted run (Ctrl-C, SIGTERM) must clean up before it exits: the temporary folders
 * of the TLC runs in progress (else `/tmp/synod-tlc-*` stays behind) and the Java processes.
 */
const liveDirs = new Set<string>();
const liveChildren = new Set<ChildProcess>();

/**
 * Remember a temporary folder until the returned function is called.
 * @param dir - the folder, removed by {@link cleanUpNow} if the run is interrupted
 * @returns the function that forgets it (call it once the folder is removed)
 */
export function registerTempDir(dir: string): () => void {
  liveDirs.add(dir);
  return () => {
    liveDirs.delete(dir);
  };
}

/**
 * Remember a child process until it exits.
 * @param child - killed by {@link cleanUpNow} if the run is interrupted
 */
export function registerChild(child: ChildProcess): void {
  liveChildren.add(child);
  child.once("close", () => liveChildren.delete(child));
}

/** Kill every live child and remove every registered folder. */
export function cleanUpNow(): void {
  for (const child of liveChildren) child.kill("SIGKILL");
  liveChildren.clear();
  for (const dir of liveDirs) rmSync(dir, { recursive: true, force: true });
  liveDirs.clear();
}

/**
 * On SIGINT or SIGTERM: clean up, say so on stderr, exit 130 (SIGINT) or 143 (SIGTERM).
 * @param err - where to write the one-line notice
 */
export function installInterruptCleanup(err: (line: string) => void): void {
  const handle = (signal: "SIGINT" | "SIGTERM", code: number) => () => {
    cleanUpNow();
    err(`specs: interrupted (${signal}); stopped TLC and removed its temporary folders`);
    process.exit(code);
  };
  process.once("SIGINT", handle("SIGINT", 130));
  process.once("SIGTERM", handle("SIGTERM", 143));
}
