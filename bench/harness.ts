import type { LineChart } from "@synod/viz/charts";

/**
 * The shape every benchmark suite in `bench/suites/<name>.ts` exports as `suite`. `bench/main.ts`
 * discovers the suites, runs them (all, or those named on the command line), prints one table per
 * suite and, with `--json`, one JSON line per row.
 */
export interface BenchContext {
  /** Fewer iterations: used by the smoke test that keeps every suite runnable. Figures are not meaningful. */
  readonly quick: boolean;
}

/** One measured line: a name and its metrics, units last in the metric names (`opsPerSec`, `latencyMsP99`). */
export interface BenchRow {
  readonly name: string;
  readonly [metric: string]: string | number | boolean;
}

/** A performance target from an issue, checked against a measured value and printed with the result. */
export interface BenchTarget {
  readonly description: string;
  readonly value: number;
  readonly target: number;
  readonly unit: string;
  /** true: value must be >= target; false: value must be <= target. */
  readonly higherIsBetter: boolean;
}

/** A line chart a suite asks `pnpm bench --report` to draw (as `bench/charts/<file>.svg`, by `@synod/viz/charts`). */
export interface BenchChart extends LineChart {
  /** File name without extension, e.g. `kv-throughput` (lowercase, digits, dashes). */
  readonly file: string;
}

/** What a suite returns. */
export interface BenchReport {
  readonly rows: readonly BenchRow[];
  /** Charts for the report (`pnpm bench --report`). */
  readonly charts?: readonly BenchChart[];
  readonly targets?: readonly BenchTarget[];
  /** Free text printed under the table (e.g. ratios, what was compared, machine caveats). */
  readonly notes?: readonly string[];
}

/** A benchmark suite. */
export interface BenchSuite {
  readonly name: string;
  readonly description: string;
  run(context: BenchContext): Promise<BenchReport>;
}

/** @returns whether a target is met */
export function targetMet(target: BenchTarget): boolean {
  return target.higherIsBetter ? target.value >= target.target : target.value <= target.target;
}
