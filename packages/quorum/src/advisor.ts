import { SynodError, type NodeId } from "@synod/core";
import { analyzeQuorumSystem, MAX_ANALYSIS_MEMBERS } from "./analysis.js";
import { configuration, type ConfigurationSpec, type QuorumFactory } from "./configuration.js";
import { QuorumConfigError } from "./errors.js";
import { majority, majoritySize } from "./majority.js";
import { checkObject, checkSize, checkSystem, shown } from "./members.js";
import { phaseSystems } from "./phases.js";
import type { QuorumSystem } from "./quorum-system.js";
import { planTransition, type TransitionPlan } from "./reconfiguration.js";

/** Observed member health, e.g. from a SWIM failure detector. Ids not listed are presumed healthy. */
export interface MemberHealth {
  /** Members confirmed failed (declared dead). */
  readonly failed?: Iterable<NodeId>;
  /** Members suspected but not confirmed; counted as down for "makes progress now". */
  readonly suspected?: Iterable<NodeId>;
}

/** Whether one quorum system can still decide, given member health. */
export interface ProgressReport {
  readonly name: string;
  readonly kind: string;
  /** Voters neither failed nor suspected. */
  readonly healthyVoters: readonly NodeId[];
  /** A phase-1 and a phase-2 quorum exist among the healthy voters (suspected members counted as down). */
  readonly makesProgress: boolean;
  /** The same, should every suspected member turn out alive. */
  readonly makesProgressIfSuspectedRecover: boolean;
  /**
   * How many more healthy voters may crash with progress kept (computed exhaustively up to
   * {@link MAX_ANALYSIS_MEMBERS} healthy voters, by closed form for k-of-n systems); -1 when no
   * progress now; undefined when too large to compute.
   */
  readonly remainingFaultTolerance: number | undefined;
}

function toSet(ids: Iterable<NodeId> | undefined): Set<NodeId> {
  if (ids !== undefined && !Array.isArray(ids) && !(ids instanceof Set)) {
    throw new SynodError("usage", `a health list must be an array or a set of ids, got ${shown(ids)}`);
  }
  return new Set(ids ?? []);
}

function hasQuorumOf(system: QuorumSystem, alive: ReadonlySet<NodeId>): boolean {
  const [phase1, phase2] = phaseSystems(system);
  return phase1.isQuorum(alive) && phase2.isQuorum(alive);
}

/** A view of `system` in which the voters outside `alive` are permanently down. */
function restrictTo(system: QuorumSystem, alive: readonly NodeId[]): QuorumSystem {
  const aliveSet = new Set(alive);
  return {
    kind: `${system.kind}-restricted`,
    voters: alive,
    isQuorum: (members) => hasQuorumOf(system, new Set([...members].filter((id) => aliveSet.has(id)))),
    committedIndex: () => 0,
    voteResult: () => "pending",
  };
}

function remainingToleranceOf(system: QuorumSystem, healthy: readonly NodeId[]): number | undefined {
  const healthySet = new Set(healthy);
  if (!hasQuorumOf(system, healthySet)) return -1;
  if ("quorumSize" in system && typeof system.quorumSize === "number" && phaseSystems(system)[0] === system) {
    return healthy.length - system.quorumSize;
  }
  if (healthy.length > MAX_ANALYSIS_MEMBERS) return undefined;
  return analyzeQuorumSystem(restrictTo(system, healthy)).crashFaultTolerance;
}

/**
 * Reports, for each named quorum system, whether it still makes progress given member health.
 * @param systems - the systems to check, by name (e.g. `{ raft: config.quorum, reads: grid(...) }`)
 * @param health - failed and suspected members
 * @returns one report per system, in the order given
 * @example progressReport({ raft: majority(["a","b","c"]) }, { failed: ["a"] })[0].makesProgress // true
 */
export function progressReport(systems: Readonly<Record<string, QuorumSystem>>, health: MemberHealth): ProgressReport[] {
  for (const [name, system] of Object.entries(checkObject("systems", systems))) checkSystem(`systems.${name}`, system);
  checkObject("health", health);
  const failed = toSet(health.failed);
  const suspected = toSet(health.suspected);
  return Object.entries(systems).map(([name, system]) => {
    const healthyVoters = system.voters.filter((id) => !failed.has(id) && !suspected.has(id));
    const notFailed = new Set(system.voters.filter((id) => !failed.has(id)));
    return {
      name,
      kind: system.kind,
      healthyVoters,
      makesProgress: hasQuorumOf(system, new Set(healthyVoters)),
      makesProgressIfSuspectedRecover: hasQuorumOf(system, notFailed),
      remainingFaultTolerance: remainingToleranceOf(system, healthyVoters),
    };
  });
}

/** Options of {@link adviseReconfiguration}. */
export interface AdviceOptions {
  /** Crash faults the cluster should tolerate, >= 0; the suggestion aims for 2f+1 healthy voters. */
  readonly targetFaultTolerance: number;
  /** Healthy non-members that may be added as voters, in order of preference (after healthy learners). */
  readonly spares?: readonly NodeId[];
  /** The current leader, if known (removed last in the plan). */
  readonly leader?: NodeId;
}

/** Advice from {@link adviseReconfiguration}. The caller decides; nothing is changed. */
export interface QuorumAdvice {
  /** Progress of the current configuration. */
  readonly current: ProgressReport;
  readonly targetFaultTolerance: number;
  /** The suggested membership, when a change helps and can be committed. */
  readonly suggestion?: {
    readonly voters: readonly NodeId[];
    readonly learners: readonly NodeId[];
    /** Crash faults tolerated by the suggested voters once all are healthy. */
    readonly faultTolerance: number;
    /** Further crash faults tolerated right after the change, suspected voters counted as down. */
    readonly remainingFaultTolerance: number;
    readonly plan: TransitionPlan;
  };
  /** Why no change can be made safely now, when that is the case. */
  readonly blocked?: string;
  /** Explanations in plain words. */
  readonly notes: readonly string[];
}

/**
 * Suggests a reconfiguration of a majority-based cluster that restores `targetFaultTolerance`:
 * failed voters are removed and replaced by healthy learners, then spares, until 2f+1 healthy voters
 * remain. Suspected voters are kept (a suspicion is not a failure) but not counted as healthy. A change
 * is suggested only when it raises the number of further crashes the cluster survives right now.
 * Advice only: the change is safe to propose only while the current configuration has a healthy quorum,
 * which the advice checks; otherwise it says why it is blocked and suggests nothing.
 * @param current - the current, non-joint membership
 * @param health - failed and suspected members
 * @param options - the target tolerance, spare nodes, the leader
 * @returns the advice
 * @throws {QuorumConfigError} for an invalid membership or target
 * @example
 * adviseReconfiguration({ voters: ["a","b","c","d","e"] }, { failed: ["d","e"] }, { targetFaultTolerance: 1 })
 *   .suggestion?.voters // ["a","b","c"]
 */
export function adviseReconfiguration(current: ConfigurationSpec, health: MemberHealth, options: AdviceOptions): QuorumAdvice {
  const factory: QuorumFactory = majority;
  const config = configuration(current, factory);
  const target = checkSize("targetFaultTolerance", checkObject("options", options).targetFaultTolerance, 0, 511, "targetFaultTolerance");
  const failed = toSet(health.failed);
  const suspected = toSet(health.suspected);
  const [report] = progressReport({ current: config.quorum }, health) as [ProgressReport];
  const notes: string[] = [];
  if (config.isJoint) {
    return { current: report, targetFaultTolerance: target, blocked: "a joint configuration is in progress: finish it first", notes };
  }
  if (!report.makesProgress) {
    return {
      current: report,
      targetFaultTolerance: target,
      blocked:
        `only ${report.healthyVoters.length} of ${config.voters.length} voters are healthy, fewer than a quorum (${majoritySize(config.voters.length)}): ` +
        `no configuration change can commit. Wait for suspected or failed voters to return; forcing a new configuration can lose committed entries.`,
      notes,
    };
  }
  const keptVoters = config.voters.filter((id) => !failed.has(id));
  const healthyCount = keptVoters.filter((id) => !suspected.has(id)).length;
  const voters = [...keptVoters];
  const candidates = [...config.learners, ...(options.spares ?? [])].filter(
    (id, i, all) => !failed.has(id) && !suspected.has(id) && !voters.includes(id) && all.indexOf(id) === i,
  );
  let healthy = healthyCount;
  const toleranceOf = (): number => healthy - majoritySize(voters.length);
  for (const id of candidates) {
    if (toleranceOf() >= target) break;
    voters.push(id);
    healthy++;
  }
  const learners = config.learners.filter((id) => !voters.includes(id) && !failed.has(id));
  if (toleranceOf() < target) {
    let missing = 0;
    while (healthy + missing - majoritySize(voters.length + missing) < target) missing++;
    notes.push(`only ${healthy} healthy voters can be assembled; ${missing} more nodes are needed for f=${target}`);
  }
  const suspectedKept = voters.filter((id) => suspected.has(id));
  if (suspectedKept.length > 0) notes.push(`suspected voters kept: ${suspectedKept.join(", ")} (confirm a failure before removing a voter)`);
  const now = report.remainingFaultTolerance ?? -1;
  const after = toleranceOf();
  const unchanged = voters.length === config.voters.length && voters.every((id) => config.voters.includes(id));
  if (unchanged || after <= now) {
    notes.push(now >= target ? "target fault tolerance met; no change needed" : `no change improves on the current remaining fault tolerance (${now})`);
    return { current: report, targetFaultTolerance: target, notes };
  }
  if (voters.length === 0) {
    throw new QuorumConfigError("voters", "empty", "every voter has failed and no healthy candidate exists");
  }
  const faultTolerance = Math.floor((voters.length - 1) / 2);
  const plan = planTransition({ voters: config.voters, learners: config.learners }, { voters, learners }, { strategy: "joint", leader: options.leader });
  notes.push(`joint consensus: both the current voters (healthy quorum present) and the new voters must acknowledge the change`);
  return { current: report, targetFaultTolerance: target, suggestion: { voters, learners, faultTolerance, remainingFaultTolerance: after, plan }, notes };
}
