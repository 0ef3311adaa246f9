import type { RunProgress } from "../engine/options.js";

/** The part of a stream a progress line needs (a `process.stderr`, or a fake in tests). */
export interface ProgressStream {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

/** Milliseconds before a run's first progress line: short runs print none. */
export const PROGRESS_AFTER_MS = 1000;

/**
 * One line on a terminal showing how far a long run has got (`seed 7: 3,210 of 10,000 virtual ms,
 * 1.2 M events, 14 s`), redrawn in place. Silent unless the stream is a TTY and it is enabled
 * (never with `--json`), and silent for a run shorter than {@link PROGRESS_AFTER_MS}.
 */
export class RunProgressLine {
  private readonly stream: ProgressStream;
  private readonly enabled: boolean;
  private readonly now: () => number;
  private startedMs = 0;
  private lastDrawMs = 0;
  private drawn = false;

  /**
   * @param enabled - false to stay silent (`--json`)
   * @param now - wall clock in ms (injected for tests)
   */
  constructor(stream: ProgressStream, enabled: boolean, now: () => number = Date.now) {
    this.stream = stream;
    this.enabled = enabled && stream.isTTY === true;
    this.now = now;
  }

  /** Start timing a run. */
  begin(): void {
    this.startedMs = this.now();
    this.lastDrawMs = this.startedMs;
  }

  /** Redraw for `label`'s progress (at most every 250 ms, after the first second). */
  update(label: string, progress: RunProgress): void {
    if (!this.enabled) return;
    const nowMs = this.now();
    if (nowMs - this.startedMs < PROGRESS_AFTER_MS || nowMs - this.lastDrawMs < 250) return;
    this.lastDrawMs = nowMs;
    const simulated = Math.round(progress.simulatedMs).toLocaleString("en-US");
    const planned = progress.durationMs.toLocaleString("en-US");
    const events = progress.events >= 1e6 ? `${(progress.events / 1e6).toFixed(1)} M` : progress.events.toLocaleString("en-US");
    const seconds = ((nowMs - this.startedMs) / 1000).toFixed(0);
    this.stream.write(`\r\x1b[2K${label}: ${simulated} of ${planned} virtual ms, ${events} events, ${seconds} s`);
    this.drawn = true;
  }

  /** Clear the line, if one was drawn. */
  clear(): void {
    if (this.drawn) this.stream.write("\r\x1b[2K");
    this.drawn = false;
  }
}
