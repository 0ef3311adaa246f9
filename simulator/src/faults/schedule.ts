/** Shapes of a network partition. Node positions are member indices (taken modulo the cluster size). */
export type PartitionShape =
  /** `group` and the rest cannot talk, both ways. */
  | "split"
  /** Messages from `group` to the rest are dropped; the other direction works. */
  | "one-way"
  /** The first node of `group` is cut off from everyone, both ways. */
  | "isolate"
  /** Like split, but node `bridge` stays connected to both sides. */
  | "bridge";

/** Where a crash falls relative to the node's steps. */
export type CrashMode =
  /** Between two steps. */
  | "clean"
  /** During the node's next step that persists: records synced, sends and outputs lost. */
  | "after-persist"
  /** During the node's next step that persists: records written but not synced (lost), nothing sent. */
  | "before-sync";

/** Built-in Byzantine strategies (see `createAdversary`). */
export type AdversaryName = (typeof ADVERSARY_NAMES)[number];

/** Every built-in Byzantine strategy, in the order swarm generation and shrinking draw them. */
export const ADVERSARY_NAMES = ["drop", "delay", "duplicate", "replay", "equivocate", "forge", "huge-term"] as const;

/**
 * One timed fault of an explicit schedule. Each is an episode: it starts at `atMs` and undoes itself
 * (heals) after its duration, so removing one during shrinking never leaves another dangling.
 * Every fault also ends when the run heals (at `healAtMs`).
 */
export type FaultEvent =
  | {
      readonly kind: "network";
      readonly atMs: number;
      readonly durMs: number;
      /** Probability that a message is lost. */
      readonly loss: number;
      /** Probability that a message is delivered twice. */
      readonly duplicate: number;
      /** Probability that a message is held back by up to `reorderMs` (so later ones overtake it). */
      readonly reorder: number;
      /** Probability of a latency spike of up to `spikeMs`. */
      readonly spike: number;
      readonly spikeMs: number;
    }
  | {
      readonly kind: "partition";
      readonly atMs: number;
      readonly durMs: number;
      readonly shape: PartitionShape;
      readonly group: readonly number[];
      readonly bridge: number;
      /**
       * `"leader"` (a `leader-island`): the partition's group is whichever node leads when the
       * episode starts (`group` is ignored; `one-way`: what it sends to its peers is lost); nothing
       * happens when no node leads then. Clients still reach it: their requests do not cross the
       * simulated network.
       */
      readonly aim?: "leader";
    }
  | {
      readonly kind: "crash";
      readonly atMs: number;
      readonly node: number;
      /** Virtual milliseconds the node stays down before it restarts. */
      readonly downMs: number;
      readonly mode: CrashMode;
      /** With mode `before-sync`: a partial frame of the unsynced write is left as the log's tail. */
      readonly torn: boolean;
      /** Flip one byte of one synced record while the node is down (its checksum must catch it). */
      readonly corrupt: boolean;
      /**
       * `"leader"`: crash whichever node leads when the episode starts (`SimulationTarget.leads`),
       * not `node`; nothing happens when no node leads then. Pause, slow and skew episodes aim the
       * same way (a `leader-stall`: the leader paused, its links slowed and its clock skewed).
       */
      readonly aim?: "leader";
    }
  | { readonly kind: "pause"; readonly atMs: number; readonly durMs: number; readonly node: number; readonly aim?: "leader" }
  | {
      readonly kind: "slow";
      readonly atMs: number;
      readonly durMs: number;
      readonly node: number;
      readonly extraMs: number;
      readonly aim?: "leader";
      /** Only what the node receives is late (a `leader-island`'s first half); otherwise both ways. */
      readonly inbound?: true;
    }
  | { readonly kind: "skew"; readonly atMs: number; readonly durMs: number; readonly node: number; readonly rate: number; readonly aim?: "leader" }
  | { readonly kind: "byzantine"; readonly atMs: number; readonly durMs: number; readonly node: number; readonly strategy: AdversaryName }
  | {
      readonly kind: "buggify";
      readonly atMs: number;
      readonly durMs: number;
      /** Probability that a step passing an enabled crash point of the target (`target.crashPoints`) crashes its node. */
      readonly probability: number;
      /**
       * Which of the target's crash points are enabled: point k is on when bit k (mod 30) is set.
       * Swarm testing switches each on with probability 1/2, so a seed also hunts with some points off.
       */
      readonly pointMask: number;
      /** Virtual milliseconds a node crashed at a point stays down (a quick restart). */
      readonly downMs: number;
      /**
       * Probability for the target's `drop-sends` points (the step's messages lost, no crash): drawn
       * higher than a crash's, as each such point is where a loss tests the target's re-sending.
       * Absent: `probability`.
       */
      readonly dropProbability?: number;
    };

/** An explicit fault schedule: what `faults` swarm generation produces and what shrinking minimises. */
export type FaultSchedule = readonly FaultEvent[];

