/**
 * One mutant of the catalogue: a realistic one-idea bug, written as a code snippet to find (exactly
 * once, anywhere under `pkg`) and the text that replaces it. Anchoring by snippet instead of by
 * file and line keeps a mutant valid while files are split or moved.
 */
export interface Mutant {
  /** Stable id, `<area>/<short-name>` (e.g. `raft/figure8-count-old-term`). */
  readonly id: string;
  /** The folder searched for the snippet, relative to the repository root (e.g. `packages/raft/src`). */
  readonly pkg: string;
  /** Exact text that must occur exactly once under `pkg`. */
  readonly snippet: string;
  /** What the snippet becomes in the mutant. */
  readonly replacement: string;
  /** The bug in one sentence, as it would appear in a real code base. */
  readonly description: string;
  /** What should catch it, tried in order until one does. */
  readonly detectors: readonly Detector[];
  /** Part of the quick subset (`--quick`, CI). */
  readonly quick?: boolean;
}

/** A random simulator hunt: seeds `seed … seed + seeds − 1`, stopping at the first violation. */
/** What every detector may state about its own cost. */
export interface DetectorLimit {
  /**
   * Wall-clock seconds this detector needs at least (its seeds cost more than `--timeout`'s default
   * allows, e.g. 200 seeds of a 50-member overlay under attack): it gets the larger of this and
   * `--timeout` (see `detector-timeout.ts`).
   */
  readonly timeoutSeconds?: number;
}

export interface SimDetector extends DetectorLimit {
  readonly kind: "sim";
  /** A protocol of the simulator's registry (`raft`, `crdt`, `broadcast`). */
  readonly protocol: string;
  /** Cluster size, or `"swarm"`: drawn per seed (1–9, even sizes included; see the hunt). */
  readonly nodes?: number | "swarm";
  /** `"all"` (swarm of faults), `"none"` or a comma-separated list, as `--faults` takes. */
  readonly faults?: string;
  /** Virtual ms per seed (default 10 000, as the CLI). */
  readonly durationMs?: number;
  readonly seed?: number;
  readonly seeds?: number;
  /**
   * Byzantine nodes per seed, drawn with their strategies from the seed as `--byzantine` does (default
   * none); `"f"`: as many as the drawn cluster tolerates, ⌊(n − 1)/3⌋ (with `nodes: "swarm"`).
   */
  readonly byzantine?: number | "f";
  /**
   * Every Byzantine node runs this strategy instead of one drawn from the seed (the faulty nodes are
   * still drawn), as `pnpm sim --byzantine K --strategy NAME` does (the same code): one of the protocol's
   * (`byzantineStrategies`), e.g. one aimed at one window (`PBFT_TARGETED_STRATEGIES`, never drawn).
   */
  readonly strategy?: string;
  /** Twins per seed (`--twins`: nodes run as two honest copies sharing an id until healing; default none). */
  readonly twins?: number;
  /** Raft and gossip: draw the protocol's options per seed too (lease reads, small windows, …; Lifeguard, deaths as suspicions, …). */
  readonly configSwarm?: boolean;
  /**
   * Raft with `configSwarm`: options set over the drawn ones in every seed (e.g. lease reads always
   * on), the draw itself unchanged (a seed keeps its cluster size and other options).
   */
  readonly raftConfig?: Readonly<Record<string, string | number | boolean>>;
  /** Raft with `configSwarm`: the simulated operator of every seed (its rates), instead of the drawn one. */
  readonly raftOperator?: { readonly changeMembership: number; readonly transferLeadership: number };
  /**
   * Seeds the unmutated code already fails (each a known, reported bug): skipped, so that a mutant
   * is only credited with a failure of its own.
   */
  readonly skipSeeds?: readonly number[];
}

/** A TLC model check of a spec in the scratch copy (caught when TLC reports a violation). */
export interface TlcDetector extends DetectorLimit {
  readonly kind: "tlc";
  /** Spec module path, relative to the root (e.g. `specs/raft/MCRaft.tla`). */
  readonly spec: string;
  /** Config path, relative to the root. */
  readonly cfg: string;
}

/**
 * Trace validation (`pnpm specs validate raft|crdt|pbft|chain|gossip`): seeds `seed … seed + seeds − 1` simulated, each run's
 * trace checked step by step by TLC against `specs/raft/Raft.tla` (or `specs/crdt/DeltaAntiEntropy.tla`, `specs/pbft/PBFT.tla`, `specs/chain/Chain.tla`, `specs/gossip/Swim.tla`;
 * caught when a trace is rejected, or a step cannot be mapped to the spec).
 * Random search still: nothing tells it where to look, but each step is held to the spec's actions,
 * which sees wrong steps the simulator's invariants let through (a previous-term commit).
 */
export interface ValidateDetector extends DetectorLimit {
  readonly kind: "validate";
  /** Which trace validation (default raft). */
  readonly protocol?: "raft" | "crdt" | "pbft" | "chain" | "gossip";
  readonly nodes?: number;
  /** As `--faults` takes; each protocol's validated runs refuse some (`all` leaves them out; see `pnpm specs validate --help`). */
  readonly faults?: string;
  readonly durationMs?: number;
  readonly seed?: number;
  readonly seeds?: number;
  /** pbft: Byzantine replicas (`--byzantine K`, the spec's Byz; default none). */
  readonly byzantine?: number;
  /** pbft: the strategy they run (`--strategy NAME`; default drawn per seed). */
  readonly strategy?: string;
}

/** A vitest file (recorded, but not counted in the score: the score is what random search finds). */
export interface TestDetector extends DetectorLimit {
  readonly kind: "test";
  readonly path: string;
}

/** Anything that may catch a mutant. */
export type Detector = SimDetector | TlcDetector | ValidateDetector | TestDetector;

/** The default seed range of a simulator hunt (the measure: caught within 200 seeds). */
export const DEFAULT_FIRST_SEED = 1000;
export const DEFAULT_SEEDS = 200;

/** Trace validation's defaults: each trace costs TLC 15–50 s, so fewer and shorter runs than a hunt. */
export const VALIDATE_FIRST_SEED = 1;
export const VALIDATE_SEEDS = 4;
export const VALIDATE_DURATION_MS = 3000;

/** @returns the flags of `pnpm specs validate raft|crdt` after the protocol, for a validate detector (defaults filled in) */
export function validateFlags(d: ValidateDetector): string[] {
  const seed = d.seed ?? VALIDATE_FIRST_SEED, seeds = d.seeds ?? VALIDATE_SEEDS, duration = d.durationMs ?? VALIDATE_DURATION_MS;
  const byzantine = d.byzantine === undefined ? [] : ["--byzantine", String(d.byzantine), ...(d.strategy === undefined ? [] : ["--strategy", d.strategy])];
  return ["--nodes", String(d.nodes ?? (d.protocol === "pbft" || d.protocol === "gossip" ? 4 : 3)), "--seed", String(seed), "--seeds", String(seeds), "--faults", d.faults ?? "all", "--duration", String(duration), ...byzantine];
}

/** @returns the detector as a command a person can run by hand */
export function detectorCommand(d: Detector): string {
  switch (d.kind) {
    case "sim": {
      const nodes = d.nodes === undefined ? "" : ` --nodes ${d.nodes}`;
      const extra =
        (d.configSwarm === true ? " --config-swarm" : "") +
        (d.raftConfig === undefined ? "" : ` --raft-config '${JSON.stringify(d.raftConfig)}'`) +
        (d.raftOperator === undefined ? "" : ` --raft-operator '${JSON.stringify(d.raftOperator)}'`) +
        (d.byzantine === undefined ? "" : ` --byzantine ${d.byzantine}`) +
        (d.strategy === undefined ? "" : ` --strategy ${d.strategy}`) + (d.twins === undefined ? "" : ` --twins ${d.twins}`);
      return `hunt ${d.protocol}${nodes} --seed ${d.seed ?? DEFAULT_FIRST_SEED} --seeds ${d.seeds ?? DEFAULT_SEEDS} --faults ${d.faults ?? "all"} --duration ${d.durationMs ?? 10_000}${extra}`;
    }
    case "tlc":
      return `tlc ${d.spec} -config ${d.cfg}`;
    case "validate":
      return `specs validate ${d.protocol ?? "raft"} ${validateFlags(d).join(" ")}`;
    case "test":
      return `vitest run ${d.path}`;
  }
}
