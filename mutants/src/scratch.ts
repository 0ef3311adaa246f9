import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * A scratch copy of the repository where mutants are applied one at a time (the worktree itself is
 * never written). Sources are copied; the root node_modules is linked (the packages' own
 * node_modules hold relative links, which the copy keeps and which resolve inside it).
 */
export class Scratch {
  /** The copy's root. */
  readonly root: string;
  private readonly saved = new Map<string, string>();

  /** @param source - the repository root to copy */
  constructor(source: string) {
    this.root = mkdtempSync(join(tmpdir(), "synod-mutants-"));
    cpSync(source, this.root, {
      recursive: true,
      verbatimSymlinks: true,
      filter: (path) => {
        const rel = path.slice(source.length);
        return rel !== "/node_modules" && rel !== "/.git" && !rel.startsWith("/.git/") && !rel.startsWith("/.ci") && !rel.includes("/.tlc-out");
      },
    });
    if (existsSync(join(source, "node_modules"))) symlinkSync(join(source, "node_modules"), join(this.root, "node_modules"), "dir");
  }

  /** Replace a file's text (the original is kept for {@link restore}). */
  write(file: string, text: string): void {
    const path = join(this.root, file);
    if (!this.saved.has(file)) this.saved.set(file, readFileSync(path, "utf8"));
    writeFileSync(path, text);
  }

  /** @returns a file's current text in the copy */
  read(file: string): string {
    return readFileSync(join(this.root, file), "utf8");
  }

  /** Put every file written back as it was. */
  restore(): void {
    for (const [file, text] of this.saved) writeFileSync(join(this.root, file), text);
    this.saved.clear();
  }

  /** Delete the copy. */
  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}
