import { accessSync, closeSync, constants, openSync, statSync, writeSync } from "node:fs";
import { dirname, resolve } from "node:path";

/** Most characters buffered before a write to the trace file. */
const FLUSH_CHARS = 1 << 16;

/** An ndjson file written line by line with a small buffer. */
export class TraceFile {
  private readonly fd: number;
  private buffer: string[] = [];
  private bufferedChars = 0;

  /** @param path - created or truncated */
  constructor(path: string) {
    this.fd = openSync(path, "w");
  }

  /** Append one line (a newline is added). */
  write(line: string): void {
    this.buffer.push(line);
    this.bufferedChars += line.length + 1;
    if (this.bufferedChars >= FLUSH_CHARS) this.flush();
  }

  /** Write what is buffered and close the file. */
  close(): void {
    this.flush();
    closeSync(this.fd);
  }

  private flush(): void {
    if (this.buffer.length === 0) return;
    writeSync(this.fd, this.buffer.join("\n") + "\n");
    this.buffer = [];
    this.bufferedChars = 0;
  }
}

/**
 * Check, before any run, that trace files can be created at `file`'s place.
 * @returns why not (one line, for a usage error), or undefined when they can
 */
export function traceDirectoryProblem(file: string): string | undefined {
  const dir = dirname(resolve(file));
  try {
    if (!statSync(dir).isDirectory()) return `${dir} is not a directory`;
    accessSync(dir, constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === "ENOENT" ? `directory ${dir} does not exist` : `cannot write to ${dir} (${code ?? "error"})`;
  }
  return undefined;
}

/** @returns the trace path for one seed: `file` itself for a single seed, else `name.<seed>.ext` */
export function tracePathFor(file: string, seed: number, single: boolean): string {
  if (single) return file;
  const dot = file.lastIndexOf(".");
  const slash = file.lastIndexOf("/");
  return dot > slash + 0 && dot > 0 ? `${file.slice(0, dot)}.${seed}${file.slice(dot)}` : `${file}.${seed}`;
}
