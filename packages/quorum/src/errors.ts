import { ConfigError, SynodError } from "@synod/core";

/**
 * Why a quorum system or configuration was rejected. Stable: match on it, not on the message.
 * - `empty`: no voters (a system with no voters never decides).
 * - `too-many`: more members than {@link MAX_QUORUM_MEMBERS}.
 * - `invalid-id`: a member id is not a well-formed NodeId.
 * - `duplicate`: a member id appears twice.
 * - `invalid-weight`: a weight is negative, zero, not an integer, or above the maximum.
 * - `invalid-size`: a quorum size, fault count, row or column count is not a usable integer.
 * - `unreachable`: a threshold or size larger than what all voters together can provide.
 * - `no-intersection`: two quorums (or a phase-1 and a phase-2 quorum) could be disjoint, or, for a
 *   Byzantine system, could overlap only in faulty nodes.
 * - `learner-is-voter`: a learner is also listed as a voter.
 * - `unsafe-transition`: a requested reconfiguration step would let two configurations decide independently.
 */
export type QuorumConfigReason =
  | "empty"
  | "too-many"
  | "invalid-id"
  | "duplicate"
  | "invalid-weight"
  | "invalid-size"
  | "unreachable"
  | "no-intersection"
  | "learner-is-voter"
  | "unsafe-transition";

/** A quorum system or membership configuration is invalid. `field` names the input, `reason` says why. */
export class QuorumConfigError extends ConfigError {
  /** The machine-readable reason. */
  readonly reason: QuorumConfigReason;

  /**
   * @param field - the offending input, e.g. `weights.n3` or `phase2Size`
   * @param reason - the stable reason code
   * @param message - what is wrong and how to fix it
   * @param details - structured values (sizes, ids) for programs
   */
  constructor(field: string, reason: QuorumConfigReason, message: string, details: Record<string, unknown> = {}) {
    super(field, message, { ...details, reason });
    this.name = "QuorumConfigError";
    this.reason = reason;
  }
}

/**
 * An exhaustive analysis was asked for a system with more members than the analysis can enumerate
 * (2^n subsets). Raised before any work starts, so a call never hangs.
 */
export class AnalysisLimitError extends SynodError {
  /** Number of members of the system (or union of systems) analysed. */
  readonly memberCount: number;
  /** The largest member count the analysis accepts. */
  readonly maxMembers: number;

  /**
   * @param memberCount - members that would have to be enumerated
   * @param maxMembers - the limit in force
   */
  constructor(memberCount: number, maxMembers: number) {
    super(
      "limit",
      `exhaustive quorum analysis enumerates 2^n subsets and accepts at most ${maxMembers} members; got ${memberCount}. ` +
        `Use the closed-form figures of the built-in systems (e.g. crashFaultTolerance) for larger systems.`,
      { memberCount, maxMembers },
    );
    this.name = "AnalysisLimitError";
    this.memberCount = memberCount;
    this.maxMembers = maxMembers;
  }
}
