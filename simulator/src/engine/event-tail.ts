import { traceJson } from "../trace/trace-json.js";
import { EVENT_NAMES, EventKind } from "./event-kind.js";

/** A ring buffer of the last events (raw fields, rendered only when a report needs them). */
export class EventTail {
  private readonly size: number;
  private readonly time: Float64Array;
  private readonly kind: Uint8Array;
  private readonly subject: Int32Array;
  private readonly detail: Int32Array;
  private readonly payload: unknown[];
  private next = 0;
  private filled = 0;

  /** @param size - events kept (at least 1) */
  constructor(size: number) {
    this.size = Math.max(1, Math.floor(size));
    this.time = new Float64Array(this.size);
    this.kind = new Uint8Array(this.size);
    this.subject = new Int32Array(this.size);
    this.detail = new Int32Array(this.size);
    this.payload = new Array<unknown>(this.size).fill(undefined);
  }

  /** Remember the next event (events are recorded in index order, one call each; fields as {@link EventKind} documents). */
  record(timeMs: number, kind: number, subject: number, detail: number, payload: unknown): void {
    const k = this.next;
    this.time[k] = timeMs;
    this.kind[k] = kind;
    this.subject[k] = subject;
    this.detail[k] = detail;
    this.payload[k] = payload;
    this.next = k + 1 === this.size ? 0 : k + 1;
    if (this.filled < this.size) this.filled++;
  }

  /**
   * @param lastIndex - index of the last event recorded
   * @returns one readable line per remembered event, oldest first
   */
  render(lastIndex: number, nodeName: (index: number) => string): string[] {
    const lines: string[] = [];
    for (let j = 0; j < this.filled; j++) {
      const k = (this.next - this.filled + j + this.size) % this.size;
      const kind = this.kind[k] as number;
      const subject = this.subject[k] as number;
      const detail = this.detail[k] as number;
      let what: string;
      if (kind === EventKind.Deliver) what = `${nodeName(subject)} -> ${nodeName(detail)} ${traceJson(this.payload[k])}`;
      else if (kind === EventKind.Tick || kind === EventKind.Restart) what = nodeName(subject);
      else if (kind === EventKind.Request) what = `${nodeName(subject)} invocation ${detail} ${traceJson(this.payload[k])}`;
      else what = `subject=${subject} detail=${detail}`;
      lines.push(`#${lastIndex - this.filled + 1 + j} t=${(this.time[k] as number).toFixed(3)}ms ${EVENT_NAMES[kind]} ${what}`);
    }
    return lines;
  }
}
