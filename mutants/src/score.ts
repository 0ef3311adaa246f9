import type { DetectorOutcome } from "./detect.js";

/** The verdict on one mutant. */
export interface MutantResult {
  readonly id: string;
  readonly description: string;
  /** `caught` by a counted detector (simulator or TLC), `caught-by-test` (a unit test only), `survived`, or `unanchored` (the snippet is not found exactly once). */
  readonly status: "caught" | "caught-by-test" | "survived" | "unanchored";
  /** The detector that caught it. */
  readonly by?: DetectorOutcome;
  /** Every detector run, in order. */
  readonly outcomes: readonly DetectorOutcome[];
  /** CPU seconds over every detector run on this mutant. */
  readonly cpuSeconds: number;
}

/** The score of a set of results, as the issue measures it. */
export interface Score {
  readonly total: number;
  /** Caught by the simulator or TLC (unit tests do not count). */
  readonly caught: number;
  readonly byArea: Readonly<Record<string, { total: number; caught: number }>>;
  /** Median and worst CPU seconds to the first failure, over the caught mutants. */
  readonly medianCpuSeconds: number | undefined;
  readonly worstCpuSeconds: number | undefined;
}

/** @returns the median of `xs` (undefined when empty) */
export function median(xs: readonly number[]): number | undefined {
  if (xs.length === 0) return undefined;
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** @returns the area of a mutant id (`raft/figure8` → `raft`) */
export function areaOf(id: string): string {
  const slash = id.indexOf("/");
  return slash < 0 ? id : id.slice(0, slash);
}

/** Score results: caught counts only the simulator and TLC; times are those of the catching detector. */
export function score(results: readonly MutantResult[]): Score {
  const byArea: Record<string, { total: number; caught: number }> = {};
  const times: number[] = [];
  let caught = 0;
  for (const r of results) {
    const area = (byArea[areaOf(r.id)] ??= { total: 0, caught: 0 });
    area.total++;
    if (r.status === "caught") {
      caught++;
      area.caught++;
      if (r.by !== undefined) times.push(r.by.cpuSeconds);
    }
  }
  return { total: results.length, caught, byArea, medianCpuSeconds: median(times), worstCpuSeconds: times.length === 0 ? undefined : Math.max(...times) };
}
