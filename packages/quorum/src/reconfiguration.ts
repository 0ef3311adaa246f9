import { SynodError, type NodeId } from "@synod/core";
import { checkObject, shown } from "./members.js";
import { quorumsIntersect, MAX_ANALYSIS_MEMBERS } from "./analysis.js";
import { configuration, type Configuration, type ConfigurationSpec, type QuorumFactory } from "./configuration.js";
import { QuorumConfigError } from "./errors.js";
import { majority } from "./majority.js";
import type { QuorumSystem } from "./quorum-system.js";

/** What one step of a transition does. */
export type TransitionStepKind =
  | "add-learner"
  | "remove-learner"
  | "promote-learner"
  | "add-voter"
  | "remove-voter"
  | "demote-voter"
  | "enter-joint"
  | "leave-joint";

/** One configuration-change entry of a plan. */
export interface TransitionStep {
  readonly kind: TransitionStepKind;
  /** The member changed, for single-member steps. */
  readonly node?: NodeId;
  /** The configuration in force once this step's entry is appended (Raft: servers use the latest configuration in their log). */
  readonly configuration: Configuration;
  /** The system whose quorum must acknowledge this step's entry before it counts as committed. */
  readonly commitQuorum: QuorumSystem;
  /** When this step may be proposed and when it is committed, in words. */
  readonly commitRule: string;
}

/** A safe sequence of configuration changes from one configuration to another. */
export interface TransitionPlan {
  /** "none" when the two configurations are equal. */
  readonly strategy: "joint" | "single-member" | "none";
  readonly from: Configuration;
  readonly to: Configuration;
  readonly steps: readonly TransitionStep[];
  /** Rules that hold for every step. */
  readonly rules: readonly string[];
}

/** Options of {@link planTransition}. */
export interface TransitionOptions {
  /**
   * "joint": enter C_old,new then leave it (any quorum systems, any number of changes);
   * "single-member": one voter added or removed per step (majority systems only: consecutive
   * majorities always intersect); "auto" (default): single-member when at most one voter changes,
   * joint otherwise.
   */
  readonly strategy?: "auto" | "joint" | "single-member";
  /** Builds each configuration's quorum system; default {@link majority}. */
  readonly quorum?: QuorumFactory;
  /** Add new voters as learners first, so they catch up before they count (default true). */
  readonly catchUpAsLearners?: boolean;
  /** The current leader: if it leaves, it is removed last and steps down once that step commits. */
  readonly leader?: NodeId;
}

/** The rules every plan states. */
export const TRANSITION_RULES: readonly string[] = Object.freeze([
  "One change at a time: propose a step only after the previous step's entry is committed.",
  "A server uses the latest configuration in its log, committed or not; a step's configuration is in force from the moment its entry is appended.",
  "A new leader first commits an entry of its own term (a no-op) before proposing any configuration change.",
  "A step's entry is committed only when acknowledged by a quorum of its commitQuorum; a joint entry needs both halves.",
  "A leader that is not a voter of the configuration it commits steps down once that entry is committed.",
]);

const SINGLE_RULE = "in force once appended; commits with a quorum of the configuration it creates (which intersects every quorum of the previous one)";
const LEARNER_RULE = "learners count for nothing: commits with a quorum of the unchanged voters";

/**
 * Plans a safe transition from `from` to `to`.
 * @param from - the current (non-joint) membership
 * @param to - the wanted (non-joint) membership
 * @param options - strategy, quorum factory, leader
 * @returns the plan; each step carries the configuration it creates and the quorum that commits it
 * @throws {QuorumConfigError} for invalid configurations, a joint `from`/`to`, or `unsafe-transition`
 *   when "single-member" is asked with a quorum factory whose consecutive configurations do not provably
 *   intersect (checked exhaustively up to {@link MAX_ANALYSIS_MEMBERS} members)
 * @example
 * planTransition({ voters: ["a", "b", "c"] }, { voters: ["a", "b", "d"] }).steps.map((s) => s.kind);
 * // ["add-learner", "enter-joint", "leave-joint"]  (two voters change: joint by default)
 * planTransition({ voters: ["a", "b", "c"] }, { voters: ["a", "b", "d"] }, { strategy: "single-member" }).steps.map((s) => s.kind);
 * // ["add-learner", "promote-learner", "remove-voter"]
 */
export function planTransition(from: ConfigurationSpec, to: ConfigurationSpec, options: TransitionOptions = {}): TransitionPlan {
  const factory = checkObject("options", options).quorum ?? majority;
  if (typeof factory !== "function") throw new SynodError("usage", `options.quorum must be a quorum factory (e.g. majority), got ${shown(factory)}`);
  checkObject("from", from);
  checkObject("to", to);
  if ((from.outgoingVoters ?? []).length > 0 || (to.outgoingVoters ?? []).length > 0) {
    throw new QuorumConfigError("from", "unsafe-transition", "plan from and to non-joint configurations; finish (leave) a joint configuration first");
  }
  const start = configuration(from, factory);
  const end = configuration(to, factory);
  const startVoters = new Set(start.voters);
  const endVoters = new Set(end.voters);
  const added = end.voters.filter((id) => !startVoters.has(id));
  const removed = orderLeaderLast(start.voters.filter((id) => !endVoters.has(id)), options.leader);
  const changedVoters = added.length + removed.length;
  const sameLearners = sameMembers(start.learners, end.learners);
  if (changedVoters === 0 && sameLearners) {
    return { strategy: "none", from: start, to: end, steps: [], rules: TRANSITION_RULES };
  }
  const requested = options.strategy ?? "auto";
  const strategy = requested === "auto" ? (changedVoters <= 1 ? "single-member" : "joint") : requested;
  const catchUp = options.catchUpAsLearners ?? true;
  const steps =
    strategy === "joint"
      ? jointSteps(start, end, added, catchUp, factory)
      : singleMemberSteps(start, end, added, removed, catchUp, factory, options.quorum !== undefined);
  return { strategy, from: start, to: end, steps, rules: TRANSITION_RULES };
}

function orderLeaderLast(ids: NodeId[], leader: NodeId | undefined): NodeId[] {
  if (leader === undefined || !ids.includes(leader)) return ids;
  return [...ids.filter((id) => id !== leader), leader];
}

function sameMembers(a: readonly NodeId[], b: readonly NodeId[]): boolean {
  const set = new Set(a);
  return a.length === b.length && b.every((id) => set.has(id));
}

/** Mutable working membership while building a plan. */
interface Draft {
  voters: NodeId[];
  learners: NodeId[];
}

function learnerSteps(draft: Draft, end: Configuration, added: readonly NodeId[], catchUp: boolean, factory: QuorumFactory): TransitionStep[] {
  const steps: TransitionStep[] = [];
  const wanted = new Set([...end.learners, ...(catchUp ? added : [])]);
  const voters = new Set(draft.voters);
  for (const id of [...end.learners, ...(catchUp ? added : [])]) {
    if (!draft.learners.includes(id) && !voters.has(id) && wanted.has(id)) {
      draft.learners.push(id);
      const next = configuration({ voters: draft.voters, learners: draft.learners }, factory);
      steps.push({ kind: "add-learner", node: id, configuration: next, commitQuorum: next.quorum, commitRule: LEARNER_RULE });
    }
  }
  return steps;
}

function jointSteps(start: Configuration, end: Configuration, added: readonly NodeId[], catchUp: boolean, factory: QuorumFactory): TransitionStep[] {
  const draft: Draft = { voters: [...start.voters], learners: [...start.learners] };
  const steps = learnerSteps(draft, end, added, catchUp, factory);
  const endVoters = new Set(end.voters);
  const startVoters = new Set(start.voters);
  const enter = configuration(
    {
      voters: end.voters,
      outgoingVoters: start.voters,
      learners: end.learners.filter((id) => !startVoters.has(id)),
      learnersNext: end.learners.filter((id) => startVoters.has(id) && !endVoters.has(id)),
    },
    factory,
  );
  steps.push({
    kind: "enter-joint",
    configuration: enter,
    commitQuorum: enter.quorum,
    commitRule:
      "in force once appended; commits only when a quorum of the incoming voters AND a quorum of the outgoing voters acknowledge it; until then no decision can be made by either configuration alone",
  });
  steps.push({
    kind: "leave-joint",
    configuration: end,
    commitQuorum: end.quorum,
    commitRule:
      "propose only after enter-joint is committed; in force once appended; commits with a quorum of the new voters; outgoing-only voters may then be shut down",
  });
  return steps;
}

function singleMemberSteps(
  start: Configuration,
  end: Configuration,
  added: readonly NodeId[],
  removed: readonly NodeId[],
  catchUp: boolean,
  factory: QuorumFactory,
  customFactory: boolean,
): TransitionStep[] {
  const draft: Draft = { voters: [...start.voters], learners: [...start.learners] };
  const steps = learnerSteps(draft, end, added, catchUp, factory);
  const endLearners = new Set(end.learners);
  let previous = configuration({ voters: draft.voters, learners: draft.learners }, factory);
  const push = (kind: TransitionStepKind, node: NodeId): void => {
    const next = configuration({ voters: draft.voters, learners: draft.learners }, factory);
    if (customFactory) checkSingleStepSafe(previous.quorum, next.quorum, node);
    steps.push({ kind, node, configuration: next, commitQuorum: next.quorum, commitRule: SINGLE_RULE });
    previous = next;
  };
  // Adds first, then removals: the voter count never drops below min(|from|, |to|) during the plan,
  // so fault tolerance never drops below that of the smaller configuration.
  for (const id of added) {
    const wasLearner = draft.learners.includes(id);
    draft.learners = draft.learners.filter((other) => other !== id);
    draft.voters.push(id);
    push(wasLearner ? "promote-learner" : "add-voter", id);
  }
  for (const id of removed) {
    draft.voters = draft.voters.filter((other) => other !== id);
    const demote = endLearners.has(id);
    if (demote) draft.learners.push(id);
    push(demote ? "demote-voter" : "remove-voter", id);
  }
  for (const id of draft.learners.filter((learner) => !endLearners.has(learner))) {
    draft.learners = draft.learners.filter((other) => other !== id);
    const next = configuration({ voters: draft.voters, learners: draft.learners }, factory);
    steps.push({ kind: "remove-learner", node: id, configuration: next, commitQuorum: next.quorum, commitRule: LEARNER_RULE });
  }
  return steps;
}

function checkSingleStepSafe(before: QuorumSystem, after: QuorumSystem, node: NodeId): void {
  const union = new Set([...before.voters, ...after.voters]);
  if (union.size > MAX_ANALYSIS_MEMBERS || !quorumsIntersect(before, after)) {
    throw new QuorumConfigError(
      "strategy",
      "unsafe-transition",
      union.size > MAX_ANALYSIS_MEMBERS
        ? `cannot verify that a single-member change of "${node}" keeps quorums intersecting for ${union.size} members with a custom quorum factory; use the joint strategy`
        : `changing "${node}" alone lets a quorum of the old configuration miss a quorum of the new one; use the joint strategy`,
      { node },
    );
  }
}
