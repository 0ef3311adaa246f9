import { SynodError } from "@synod/core";

/** Every fault the simulator can inject, as named on the command line (`--faults loss,crash`). */
export const FAULT_KINDS = [
  "loss",
  "duplicate",
  "reorder",
  "delay",
  "partition",
  "crash",
  "torn",
  "corrupt",
  "pause",
  "slow",
  "skew",
  "leader-crash",
  "leader-stall",
  "buggify",
  "leader-island",
  "byzantine",
] as const;

/** One fault kind. */
export type FaultKind = (typeof FAULT_KINDS)[number];

/**
 * Which faults a run injects: `"none"`, `"all"` (swarm testing: each seed switches each fault on or
 * off at random and draws its rates; Byzantine faults are excluded, name them explicitly) or a list
 * (exactly those faults, rates drawn per seed).
 */
export type FaultSelection = "none" | "all" | readonly FaultKind[];

/**
 * Parse `none`, `all` or a comma-separated list of {@link FAULT_KINDS}.
 * @throws {SynodError} code `usage` naming the unknown fault
 */
export function parseFaultSelection(text: string): FaultSelection {
  if (text === "none" || text === "all") return text;
  const kinds: FaultKind[] = [];
  for (const part of text.split(",")) {
    const name = part.trim();
    if (!(FAULT_KINDS as readonly string[]).includes(name)) {
      throw new SynodError("usage", `unknown fault "${name}" in --faults (use none, all, or a comma-separated list of: ${FAULT_KINDS.join(", ")})`);
    }
    if (!kinds.includes(name as FaultKind)) kinds.push(name as FaultKind);
  }
  return kinds;
}

/** @returns the selection as text, as the CLI accepts it */
export function formatFaultSelection(selection: FaultSelection): string {
  return typeof selection === "string" ? selection : selection.join(",") || "none";
}
