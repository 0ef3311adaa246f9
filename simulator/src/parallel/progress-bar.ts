/** A one-line progress bar on a TTY stream (stderr). Silent when the stream is not a TTY. */
export class ProgressBar {
  private readonly stream: NodeJS.WriteStream;
  private readonly enabled: boolean;
  private readonly startedMs = Date.now();
  private lastDrawMs = 0;

  /** @param enabled - false to stay silent (e.g. with `--json`) */
  constructor(stream: NodeJS.WriteStream, enabled: boolean) {
    this.stream = stream;
    this.enabled = enabled && stream.isTTY === true;
  }

  /** Redraw (at most every 100 ms, and always for the last item). */
  update(done: number, total: number, failed: number): void {
    if (!this.enabled) return;
    const nowMs = Date.now();
    if (done < total && nowMs - this.lastDrawMs < 100) return;
    this.lastDrawMs = nowMs;
    const width = 30;
    const filled = Math.round((width * done) / Math.max(1, total));
    const seconds = ((nowMs - this.startedMs) / 1000).toFixed(1);
    this.stream.write(`\r[${"#".repeat(filled)}${" ".repeat(width - filled)}] ${done}/${total} seeds, ${failed} failed, ${seconds}s`);
  }

  /** Clear the bar's line. */
  done(): void {
    if (this.enabled) this.stream.write("\r\x1b[2K");
  }
}
