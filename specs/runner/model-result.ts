import type { ViolationKind } from "./tlc-outcome.js";

/**
 * The verdict on one model. "pass": every stage that ran found nothing and the counts match;
 * "fail": a property is violated; "changed": the full check passed but its counts differ from
 * verification_summary.md; "skipped": not checked at all (the reason says why); "error": TLC could
 * not check it (parse error, crash, timeout, broken pairing).
 */
export type ModelVerdict = "pass" | "fail" | "changed" | "skipped" | "error";

/** What one stage did: "ok" found nothing, "stopped" means the smoke run hit its time bound without finding anything. */
export type StageStatus = "ok" | "stopped" | "violation" | "error" | "not run";

/** One row of the report: a model (`spec` + `config`) and what checking it found. */
export interface ModelResult {
  /** The protocol folder, e.g. `broadcast`. */
  readonly spec: string;
  /** The config file, e.g. `MCBroadcast.cfg`. */
  readonly config: string;
  readonly result: ModelVerdict;
  /** Why it was skipped, failed, errored or changed; absent for a clean pass. */
  readonly reason?: string;
  /** Which stages ran, e.g. ["parse", "smoke", "full"]; a pass covers exactly these. */
  readonly checks: readonly ("parse" | "smoke" | "full")[];
  readonly stages: { readonly parse: StageStatus; readonly smoke: StageStatus; readonly full: StageStatus };
  /** From the full check (or, without it, the smoke simulation's generated count). */
  readonly statesGenerated?: number;
  readonly distinctStates?: number;
  readonly depth?: number;
  /** Wall time of all stages together, in seconds (0.1 s resolution). */
  readonly seconds: number;
  /** Wall time of each stage that ran, in seconds. */
  readonly stageSeconds?: { readonly parse?: number; readonly smoke?: number; readonly full?: number };
  /** The expected line's figures, when verification_summary.md has one. */
  readonly expected?: { readonly distinct: number; readonly depth: number };
  /** The violated property and the stage that found it. */
  readonly violation?: { readonly kind: ViolationKind; readonly property?: string; readonly stage: "smoke" | "full" };
  /** The rendered counterexample (see counterexample.ts), for a failure. */
  readonly counterexample?: readonly string[];
  /** Remarks that do not change the verdict (e.g. "no expected line in verification_summary.md"). */
  readonly notes: readonly string[];
}
