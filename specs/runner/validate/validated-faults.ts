import { parseFaultSelection, type FaultSelection } from "../../../simulator/src/index.js";

/**
 * Parse a `--faults` selection for a trace validation and refuse a fault the spec cannot follow.
 * `all` means every fault in `allowed` (not every fault the simulator knows).
 * @param text - the `--faults` value (`none`, `all` or a comma list)
 * @param allowed - the faults whose steps the spec's actions can follow
 * @param excluded - why each other fault cannot be validated against this spec
 * @param spec - the spec's file name, for the message (e.g. `Chain.tla`)
 * @throws {Error} naming the fault, the reason and the allowed faults
 */
export function validatedFaults(
  text: string,
  allowed: readonly string[],
  excluded: Readonly<Record<string, string>>,
  spec: string,
): FaultSelection {
  if (text === "none") return "none";
  const selection = parseFaultSelection(text === "all" ? allowed.join(",") : text);
  for (const kind of selection === "all" || selection === "none" ? [] : selection) {
    const why = excluded[kind];
    if (why !== undefined) throw new Error(`fault "${kind}" cannot be trace-validated against ${spec}: ${why} (allowed: ${allowed.join(", ")})`);
  }
  return selection;
}
