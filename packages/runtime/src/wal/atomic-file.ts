import { open, rename, rm } from "node:fs/promises";
import { join } from "node:path";

/**
 * Write `chunks` to `dir/name` atomically: a temporary file, fsync, rename over the target, then
 * fsync the directory so the rename itself is durable. A crash leaves either the old file (or
 * none) or the whole new one, never a mix.
 */
export async function writeFileAtomically(dir: string, name: string, chunks: readonly Uint8Array[]): Promise<void> {
  const temp = join(dir, `${name}.tmp`);
  const handle = await open(temp, "w");
  try {
    await handle.writev(chunks as Uint8Array[]);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, join(dir, name));
  await syncDirectory(dir);
}

/** fsync a directory: makes file creations, renames and deletions in it durable (Linux, macOS). */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Remove leftover temporary files of interrupted atomic writes. */
export async function removeTemporary(dir: string, names: readonly string[]): Promise<void> {
  for (const name of names) if (name.endsWith(".tmp")) await rm(join(dir, name), { force: true });
}
