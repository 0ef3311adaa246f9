import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readTraceFile } from "../../src/cli/read-trace-file.js";
import { runSimulation } from "../../src/engine/run-simulation.js";
import { broadcastSimulation } from "../../src/reference/broadcast/target.js";

const dir = mkdtempSync(join(tmpdir(), "synod-replay-"));

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function problem(path: string): string {
  const read = readTraceFile(path);
  expect(read.ok).toBe(false);
  return read.ok ? "" : read.problem;
}

describe("pnpm sim replay: every unreadable trace is one line that says what to do", () => {
  it("a missing file says how to record one; a directory asks for a file", () => {
    expect(problem(join(dir, "nope.ndjson"))).toMatch(/^no file .*nope\.ndjson; record one with: pnpm sim PROTOCOL --seed S --trace FILE\.ndjson$/);
    expect(problem(dir)).toMatch(/is a directory: give one trace file/);
  });

  it("an empty file, a non-JSON file and another JSON file are 'not a synod simulator trace' (not a JSON parser's message)", () => {
    expect(problem(write("empty.ndjson", ""))).toMatch(/the file is empty .* not a synod simulator trace: its first line must be the header/);
    const notJson = problem(write("text.ndjson", "vm-1\n"));
    expect(notJson).toMatch(/not a synod simulator trace/);
    expect(notJson).not.toMatch(/Unexpected token|JSON/);
    expect(problem(write("other.ndjson", '{"hello":1}\n'))).toMatch(/not a synod simulator trace/);
    expect(problem(write("v2.ndjson", '{"trace":"synod-simulator","version":2}\n'))).toMatch(/version 2 is not the version 1 this simulator reads: record the run again/);
  });

  it("a whole trace is complete; one cut before its end line is read but marked incomplete", () => {
    const lines = runSimulation(broadcastSimulation, { seed: 4, nodes: 3, durationMs: 300, trace: true }).trace ?? [];
    const whole = readTraceFile(write("whole.ndjson", `${lines.join("\n")}\n`));
    expect(whole).toMatchObject({ ok: true, complete: true, header: { protocol: "broadcast", seed: 4 } });
    const cut = readTraceFile(write("cut.ndjson", `${lines.slice(0, 5).join("\n")}\n`));
    expect(cut).toMatchObject({ ok: true, complete: false });
  });
});
