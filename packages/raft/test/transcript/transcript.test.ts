import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { rewriteTranscript } from "./runner.js";

const dir = fileURLToPath(new URL("../../testdata", import.meta.url));
const files = readdirSync(dir).filter((f) => f.endsWith(".txt")).sort();
const rewrite = process.env.REWRITE === "1";

describe("transcripts (packages/raft/testdata; REWRITE=1 regenerates them)", () => {
  it("has transcripts", () => {
    expect(files.length).toBeGreaterThan(0);
  });
  for (const file of files) {
    it(file, () => {
      const path = join(dir, file);
      const text = readFileSync(path, "utf8");
      const { rewritten, blocks } = rewriteTranscript(text);
      if (rewrite) {
        writeFileSync(path, rewritten);
        return;
      }
      for (const { block, actual } of blocks) {
        expect(actual, `${file}:${block.line}: ${block.command}`).toBe(block.expected);
      }
    });
  }
});
