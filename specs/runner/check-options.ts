/** How the runner checks each model. */
export interface CheckOptions {
  /** Run the full model check after the parse and the smoke simulation (false with `--no-full`). */
  readonly full: boolean;
  /** Only the SANY parse (`pnpm specs parse`). */
  readonly parseOnly: boolean;
  /** TLC worker threads for the full check: a number, or "auto". */
  readonly workers: number | "auto";
  /** Traces per smoke simulation (TLC's `num`). */
  readonly smokeTraces: number;
  /** Longest trace of the smoke simulation (TLC's `-depth`). */
  readonly smokeDepth: number;
  /** TLC's `-seed` for the smoke simulation, so that what it finds can be reproduced (printed with every smoke result). */
  readonly smokeSeed: number;
  /** The smoke simulation is stopped after this long; finding nothing by then is not a failure. */
  readonly smokeTimeoutMs: number;
  /** A full check still running after this long is an error (a committed model must finish in minutes). */
  readonly fullTimeoutMs: number;
  /** The SANY parse is an error after this long. */
  readonly parseTimeoutMs: number;
}

/** Defaults: `-workers auto`, 100 smoke traces of depth ≤ 50 with seed 1 (≤ 30 s), a full check ≤ 10 minutes. */
export const DEFAULT_CHECK_OPTIONS: CheckOptions = {
  full: true,
  parseOnly: false,
  workers: "auto",
  smokeTraces: 100,
  smokeDepth: 50,
  smokeSeed: 1,
  smokeTimeoutMs: 30_000,
  fullTimeoutMs: 600_000,
  parseTimeoutMs: 120_000,
};
