/** What a simulator hunt reports (one JSON line on stdout). */
export interface HuntResult {
  /** Whether some seed failed. */
  readonly caught: boolean;
  /** Seeds run, the failing one included. */
  readonly seedsRun: number;
  /** CPU seconds (user + system, one thread) spent in the seeds, module loading excluded. */
  readonly cpuSeconds: number;
  /** The failing seed. */
  readonly seed?: number;
  /** The cluster size (and drawn options) of the failing seed. */
  readonly setup?: string;
  /** The first violated invariant's name (`Threw` when the simulation itself threw). */
  readonly invariant?: string;
  readonly message?: string;
  /** With `--all` (a baseline): every failing seed, its invariant and setup. */
  readonly failing?: readonly string[];
  /**
   * With `--hashes` (every seed run, as with `--all`): `"seed traceHash"` per seed. The same hashes
   * from the unmutated code and from a mutant's copy mean the mutant changed no event of those runs.
   */
  readonly traceHashes?: readonly string[];
}
