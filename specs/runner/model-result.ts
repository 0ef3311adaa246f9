import type { JsonTraceState } from "./json-trace.js";
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

/** One violation found by one stage, with what a person needs to reproduce it. */
export interface FoundViolation {
  readonly stage: "smoke" | "full";
  readonly kind: ViolationKind;
  readonly property?: string;
  readonly message: string;
  /** TLC's -seed (smoke simulation only). */
  readonly seed?: number;
  /** The TLC command that finds it again, to run in the spec folder. */
  readonly reproduce: string;
  /** Where the violated property is defined, and its text (when it is a definition of the folder). */
  readonly definition?: { readonly file: string; readonly line: number; readonly text: string };
  /** The row of properties.md that documents it (TypeScript twin, tests). */
  readonly propertiesRow?: { readonly line: number; readonly text: string };
  readonly counterexample: readonly string[];
  /** The counterexample as data, with per-key changes (TLC's -dumpTrace json), when TLC wrote it. */
  readonly states?: readonly JsonTraceState[];
}

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
  readonly expected?: { readonly distinct: number; readonly depth: number; readonly properties?: string };
  /** What the cfg checks, and the pin of those properties' definitions (property-definitions.ts). */
  readonly checked?: { readonly invariants: readonly string[]; readonly properties: readonly string[]; readonly hash: string };
  /** TLC's version line, e.g. "TLC2 Version 2.20 of Day Month 20?? (rev: bacd9d2)". */
  readonly tlcVersion?: string;
  /** The violated property and the stage that found it. */
  readonly violation?: { readonly kind: ViolationKind; readonly property?: string; readonly stage: "smoke" | "full" };
  /**
   * Every violation found, one per stage that found one (the smoke simulation's and the full
   * check's may differ): the property, the seed of a simulation, a command that reproduces it, and
   * its rendered counterexample.
   */
  readonly violations?: readonly FoundViolation[];
  /** The rendered counterexample (see counterexample.ts), for a failure. */
  readonly counterexample?: readonly string[];
  /** Set on the row of an expected failure (expected-failures.json): "pass" then means TLC did violate `mustViolate`. */
  readonly expectedFailure?: {
    readonly name: string;
    readonly kind: "reachability" | "broken-copy";
    readonly mustViolate: string;
    readonly why: string;
    readonly deep: boolean;
  };
  /** Remarks that do not change the verdict (e.g. "no expected line in verification_summary.md"). */
  readonly notes: readonly string[];
}
