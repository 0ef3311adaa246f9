import { SynodError } from "@synod/core";

/**
 * A WAL could not be opened or written: a file from a newer format, an unreadable directory, a
 * write or fsync that failed. Code `storage`. A failed fsync is fatal for the node (the kernel may
 * have dropped the dirty pages: retrying could report success for data that is gone).
 */
export class WalError extends SynodError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super("storage", message, details);
    this.name = "WalError";
  }
}
