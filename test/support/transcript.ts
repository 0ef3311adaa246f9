import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * Transcript tests in the style of etcd's datadriven `testdata`: a file of blocks, each a command,
 * a `----` line and the output the command must produce, then a blank line. Lines starting with `#`
 * before a command are comments. `REWRITE=1` fills in (or updates) the outputs; review the diff.
 *
 * ```
 * # a comment on the next command
 * add a milk
 * ----
 * d1 = a: add milk
 * a: {milk: a1} ctx [a1]
 * ```
 */
export interface TranscriptBlock {
  /** Comment and blank lines before the command, kept verbatim on rewrite. */
  readonly preamble: string[];
  readonly command: string;
  readonly expected: string;
  /** 1-based line of the command. */
  readonly line: number;
}

/** @returns the blocks of a transcript */
export function parseTranscript(text: string): TranscriptBlock[] {
  const lines = text.split("\n");
  const blocks: TranscriptBlock[] = [];
  let preamble: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.trim() === "" || line.startsWith("#")) {
      preamble.push(line);
      continue;
    }
    const at = i + 1;
    const out: string[] = [];
    if (lines[i + 1] === "----") {
      i += 2;
      while (i < lines.length && (lines[i] as string) !== "") out.push(lines[i++] as string);
    }
    blocks.push({ preamble, command: line, expected: out.join("\n"), line: at });
    preamble = [];
  }
  return blocks;
}

/**
 * Run every command of a transcript through `run` (a thrown error's message is the output, as
 * `error: …`).
 * @returns each block with its actual output, and the transcript rewritten with those outputs
 */
export function runTranscript(text: string, run: (command: string) => string): { rewritten: string; blocks: { block: TranscriptBlock; actual: string }[] } {
  const results: { block: TranscriptBlock; actual: string }[] = [];
  const parts: string[] = [];
  for (const block of parseTranscript(text)) {
    let actual: string;
    try {
      actual = run(block.command);
    } catch (error) {
      actual = `error: ${error instanceof Error ? error.message : String(error)}`;
    }
    results.push({ block, actual });
    const preamble = [...block.preamble];
    while (preamble.length > 0 && preamble[0]?.trim() === "") preamble.shift();
    if (parts.length > 0) parts.push("");
    parts.push(...preamble, block.command, "----", actual);
  }
  return { rewritten: `${parts.join("\n")}\n`, blocks: results };
}

/**
 * One test per transcript file of `dir` (`*.txt`), each run by a fresh runner from `newRunner`.
 * Under `REWRITE=1` the files are rewritten with the actual outputs instead of compared.
 */
export function transcriptSuite(title: string, dir: string, newRunner: () => (command: string) => string): void {
  const files = readdirSync(dir).filter((f) => f.endsWith(".txt")).sort();
  describe(`${title} (REWRITE=1 regenerates them)`, () => {
    it("has transcripts", () => {
      expect(files.length).toBeGreaterThan(0);
    });
    for (const file of files) {
      it(file, () => {
        const path = join(dir, file);
        const { rewritten, blocks } = runTranscript(readFileSync(path, "utf8"), newRunner());
        if (process.env.REWRITE === "1") {
          writeFileSync(path, rewritten);
          return;
        }
        for (const { block, actual } of blocks) expect(actual, `${file}:${block.line}: ${block.command}`).toBe(block.expected);
      });
    }
  });
}
