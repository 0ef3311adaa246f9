import type { Entry } from "./entry.js";

/**
 * The replicated application. The node calls `apply` once per committed normal entry, in log
 * order, and `read` for linearizable reads once the read's index is applied. It must be
 * deterministic: the same entries in the same order give the same state and results everywhere.
 *
 * @typeParam R - what applying an entry or a read returns to the client
 */
export interface StateMachine<R> {
  /** Apply one committed entry (never a no-op or configuration entry). */
  apply(entry: Entry & { readonly type: "normal" }): R;
  /** Answer a read-only query against the current state (after the read's index is applied). */
  read(query: Uint8Array): R;
  /** Serialize the whole state (called when the node compacts its log). */
  snapshot(): Uint8Array;
  /** Replace the whole state by a snapshot (at restart, or when the leader sends one). */
  restore(snapshot: Uint8Array): void;
}
