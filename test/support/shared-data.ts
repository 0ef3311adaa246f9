import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (this file is test/support/shared-data.ts). */
export const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));

/**
 * Where the shared real data sets live: `SYNOD_DATA_DIR`, else `../shared/data` beside the checkout.
 * @returns the absolute directory (which may not exist on a clone elsewhere)
 */
export function sharedDataDir(): string {
  return resolve(process.env.SYNOD_DATA_DIR ?? resolve(REPO_ROOT, "../shared/data"));
}

/**
 * Locate one shared data set, or explain why it is missing (tests then skip with that message).
 * @param relative - path under the data directory, e.g. `editing-traces/automerge-paper.json.gz`
 */
export function sharedData(relative: string): { path: string; missing?: string } {
  const path = resolve(sharedDataDir(), relative);
  if (existsSync(path)) return { path };
  return { path, missing: `shared data ${relative} not found under ${sharedDataDir()} (set SYNOD_DATA_DIR); skipping` };
}
