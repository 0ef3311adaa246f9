import { describe, expect, it } from "vitest";
import { runSimulation } from "../../src/engine/run-simulation.js";
import { PROGRESS_EVERY_EVENTS, type RunProgress } from "../../src/engine/options.js";
import { RunProgressLine, type ProgressStream } from "../../src/cli/run-progress-line.js";
import { broadcastSimulation } from "../../src/reference/broadcast/target.js";

function fakeStream(isTTY: boolean): ProgressStream & { readonly text: string[] } {
  const text: string[] = [];
  return { isTTY, text, write: (t: string) => text.push(t) };
}

const at = (simulatedMs: number, events: number): RunProgress => ({ simulatedMs, durationMs: 10_000, events });

describe("the progress line of a long run", () => {
  it("on a TTY: nothing in the first second, then a line redrawn in place at most every 250 ms, cleared at the end", () => {
    let now = 0;
    const stream = fakeStream(true);
    const line = new RunProgressLine(stream, true, () => now);
    line.begin();
    now = 500;
    line.update("raft seed 7", at(100, 65_536));
    expect(stream.text).toEqual([]);
    now = 1500;
    line.update("raft seed 7", at(3210.4, 1_234_567));
    now = 1600;
    line.update("raft seed 7", at(3300, 1_300_000));
    expect(stream.text).toEqual(["\r\x1b[2Kraft seed 7: 3,210 of 10,000 virtual ms, 1.2 M events, 2 s"]);
    line.clear();
    expect(stream.text.at(-1)).toBe("\r\x1b[2K");
  });

  it("silent when the stream is not a TTY (piped) or when disabled (--json)", () => {
    for (const [tty, enabled] of [[false, true], [true, false]] as const) {
      let now = 0;
      const stream = fakeStream(tty);
      const line = new RunProgressLine(stream, enabled, () => now);
      line.begin();
      now = 5000;
      line.update("raft seed 7", at(3000, 1_000_000));
      line.clear();
      expect(stream.text).toEqual([]);
    }
  });

  it("a run reports its progress every PROGRESS_EVERY_EVENTS events, in time order, without changing the run", () => {
    const options = { seed: 3, nodes: 12, durationMs: 6_000, faults: "none" as const };
    const seen: RunProgress[] = [];
    const watched = runSimulation(broadcastSimulation, { ...options, onProgress: (p) => seen.push(p) });
    const plain = runSimulation(broadcastSimulation, options);
    expect(watched.traceHash).toBe(plain.traceHash);
    expect(seen.length).toBe(Math.floor((watched.events - 1) / PROGRESS_EVERY_EVENTS) + 1);
    expect(seen.map((p) => p.events)).toEqual(seen.map((_, i) => i * PROGRESS_EVERY_EVENTS));
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.simulatedMs).toBeGreaterThanOrEqual(seen[i - 1]!.simulatedMs);
    expect(seen.every((p) => p.durationMs === 6_000)).toBe(true);
    expect(seen.length).toBeGreaterThanOrEqual(2);
  });
});
