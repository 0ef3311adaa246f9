/**
 * Transcript tests (etcd's datadriven testdata is the model): a file of blocks, each a command, a
 * `----` line, the expected output and a blank line; `#` lines before a command are comments.
 * `REWRITE=1` regenerates the expected outputs (then read the diff: it is the review).
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

/** One `command` + `----` + expected-output block of a transcript file. */
export interface TranscriptBlock {
  /** Comment and blank lines before the command, kept verbatim on rewrite. */
  readonly preamble: string[];
  readonly command: string;
  readonly expected: string;
  /** 1-based line of the command. */
  readonly line: number;
}

/** @returns the blocks of a transcript (a command without `----` yet has an empty expected output) */
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
    const out: string[] = [];
    const at = i + 1;
    if (lines[i + 1] === "----") {
      i += 2;
      while (i < lines.length && lines[i] !== "") out.push(lines[i++] as string);
    }
    blocks.push({ preamble, command: line, expected: out.join("\n"), line: at });
    preamble = [];
  }
  return blocks;
}

/**
 * Run every command of a transcript through `run` (an error becomes the output `error: …`).
 * @returns the transcript with every expected output replaced by the actual one, and each block's actual output
 */
export function rewriteTranscriptWith(text: string, run: (command: string) => string): { rewritten: string; blocks: { block: TranscriptBlock; actual: string }[] } {
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
    parts.push(...preamble, block.command, "----", actual, "");
  }
  while (parts.length > 0 && parts[parts.length - 1] === "") parts.pop();
  return { rewritten: `${parts.join("\n")}\n`, blocks: results };
}

/** One test per `.txt` file of `dir`, each run by a fresh `rewrite` (REWRITE=1 writes the actual outputs back). */
export function describeTranscripts(title: string, dir: string, rewrite: (text: string) => { rewritten: string; blocks: { block: TranscriptBlock; actual: string }[] }): void {
  const files = readdirSync(dir).filter((f) => f.endsWith(".txt")).sort();
  describe(`${title} (REWRITE=1 regenerates them)`, () => {
    it("has transcripts", () => {
      expect(files.length).toBeGreaterThan(0);
    });
    for (const file of files) {
      it(file, () => {
        const path = join(dir, file);
        const { rewritten, blocks } = rewrite(readFileSync(path, "utf8"));
        if (process.env.REWRITE === "1") {
          writeFileSync(path, rewritten);
          return;
        }
        for (const { block, actual } of blocks) expect(actual, `${file}:${block.line}: ${block.command}`).toBe(block.expected);
      });
    }
  });
}
