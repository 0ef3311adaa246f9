import { SynodError } from "@synod/core";

/** A bad argument to the checker or its CLI (code `usage`). */
export class UsageError extends SynodError {
  /** @param message - what is wrong and how to fix it */
  constructor(message: string, details: Record<string, unknown> = {}) {
    super("usage", message, details);
    this.name = "UsageError";
  }
}

/**
 * A history that cannot be read (code `decode`): a malformed line, or events that do not pair up
 * (a completion without an invocation, two completions, an invocation while the same client has
 * one pending). `line` is the 1-based line in the file when parsing a file; `event` the 0-based
 * index in an in-memory history.
 */
export class HistoryFormatError extends SynodError {
  /** 1-based line of the file, when known. */
  readonly line: number | undefined;
  /** 0-based event index, when known. */
  readonly event: number | undefined;

  /**
   * @param message - what is wrong with the line or event
   * @param location - where (line and/or event index)
   */
  constructor(message: string, location: { readonly line?: number; readonly event?: number } = {}) {
    const where = location.line !== undefined ? `line ${location.line}: ` : location.event !== undefined ? `event #${location.event}: ` : "";
    super("decode", `${where}${message}`, { line: location.line, event: location.event });
    this.name = "HistoryFormatError";
    this.line = location.line;
    this.event = location.event;
  }
}
