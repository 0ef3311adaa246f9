import type { History } from "@synod/core";
import { checkOperations, historyView, loadHistory } from "@synod/lincheck";
import type { HistoryView } from "@synod/viz";

/** Operations above which the report leaves the linearizability search out (the run's own check already ran). */
const MAX_CHECKED_OPERATIONS = 50_000;

/**
 * The client history of a simulated key-value service, checked for linearizability, as a history view
 * (one lane per client; the witness order, or the failing operation with its prefix).
 * @returns the view, or why there is none (no clients, or operations that are not key-value operations)
 */
export function historyViewOfRun(name: string, history: History): { readonly view?: HistoryView; readonly note?: string } {
  if (history.length === 0) return { note: "This run has no client history." };
  let loaded;
  try {
    loaded = loadHistory("synod", history.map((event) => JSON.stringify(event)).join("\n"));
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return { note: `The client history is not a key-value history, so it is not checked for linearizability (${why}).` };
  }
  const ops = loaded.operations.length;
  if (ops === 0) return { note: `No operation completed before the run stopped (${loaded.invocations} invoked).` };
  if (ops > MAX_CHECKED_OPERATIONS) return { note: `${ops} operations: more than the report checks (${MAX_CHECKED_OPERATIONS}).` };
  const result = checkOperations(loaded.model, loaded.operations, { describePosition: loaded.describePosition });
  return { view: historyView(name, loaded, result, "ms") };
}
