/**
 * Every message of a run, in columns (index = message id, in send order): the shape the simulator's
 * recorder keeps, so a run of hundreds of thousands of messages embeds as a few flat arrays.
 */
export interface SpaceTimeMessages {
  readonly from: readonly number[];
  readonly to: readonly number[];
  /** Index into {@link SpaceTimeView.messageTypes}. */
  readonly type: readonly number[];
  readonly sentMs: readonly number[];
  /** Delivery or drop time; −1 when it never arrived (lost or cut when sent, in flight at the end). */
  readonly endMs: readonly number[];
  /** Index into {@link SpaceTimeView.fates}. */
  readonly fate: readonly number[];
  /** −1, or the message this one duplicates. */
  readonly dupOf: readonly number[];
  readonly sendEvent: readonly number[];
  readonly endEvent: readonly number[];
  /** Shown on hover. */
  readonly detail: readonly string[];
}

/** A stretch of time a node spent crashed, paused, slow, skewed or Byzantine (shaded on its lane). */
export interface SpaceTimeNodeEpisode {
  readonly node: number;
  readonly kind: "down" | "paused" | "slow" | "skew" | "byzantine";
  readonly fromMs: number;
  readonly toMs: number;
}

/** A partition (shaded across the diagram, its cut-off side marked) or a lossy network stretch. */
export interface SpaceTimeNetworkEpisode {
  readonly kind: "partition" | "network";
  readonly fromMs: number;
  readonly toMs: number;
  readonly label: string;
  readonly nodes: readonly number[];
}

/** A role change, labelled on the node's lane. */
export interface SpaceTimeRole {
  readonly node: number;
  readonly atMs: number;
  readonly event: number;
  readonly label: string;
}

/** Where and why a run failed. */
export interface SpaceTimeViolation {
  readonly invariant: string;
  readonly message: string;
  readonly event: number;
  readonly atMs: number;
  /** Lane of the node whose step broke it, when there is one. */
  readonly node?: number;
  /** Each node's state as it stood (bounded JSON text), by lane. */
  readonly states: readonly { readonly node: string; readonly json: string }[];
  /** The shrunk fault schedule, one episode per line, and how it was found. */
  readonly schedule: readonly string[];
  readonly scheduleNote: string;
}

/** A simulated run to draw as a space-time diagram. */
export interface SpaceTimeView {
  readonly title: string;
  /** One line under the title. */
  readonly summary: string;
  /** Node names, one lane each. */
  readonly lanes: readonly string[];
  readonly endMs: number;
  readonly messageTypes: readonly string[];
  /** Fate names by code: `delivered`, `in flight`, `lost`, `cut`, `to crashed node`, `pause overflow`. */
  readonly fates: readonly string[];
  readonly messages: SpaceTimeMessages;
  readonly nodeEpisodes: readonly SpaceTimeNodeEpisode[];
  readonly networkEpisodes: readonly SpaceTimeNetworkEpisode[];
  readonly roles: readonly SpaceTimeRole[];
  /** Virtual time of each event, by index (the search box finds an event by index). */
  readonly eventTimesMs: readonly number[];
  /** Drawn length of a message that never arrived (lost or cut when sent). */
  readonly nominalLatencyMs: number;
  /** The window shown first (fit shows the whole run). */
  readonly initialWindow: { readonly fromMs: number; readonly toMs: number };
  readonly violation?: SpaceTimeViolation;
}
