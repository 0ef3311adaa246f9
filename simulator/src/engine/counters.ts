/** What the simulator counts during a run (reported in `metrics`). Plain fields: cheap to bump. */
export class SimulationCounters {
  messagesSent = 0;
  messagesDelivered = 0;
  droppedLoss = 0;
  droppedPartition = 0;
  droppedCrashed = 0;
  droppedPauseOverflow = 0;
  duplicated = 0;
  badEnvelopes = 0;
  decodeErrors = 0;
  bytesSent = 0;
  ticks = 0;
  requests = 0;
  requestsLost = 0;
  recordsPersisted = 0;
  unsyncedRecordsLost = 0;
  sendsLostInCrash = 0;
  tornWrites = 0;
  tornTailsDetected = 0;
  corruptions = 0;
  corruptionDetected = 0;
  faultsInjected = 0;
  partitions = 0;
  crashes = 0;
  /** Crashes aimed at the node that led at that moment (`leader-crash`; also counted in `crashes`). */
  leaderCrashes = 0;
  /** Slow episodes aimed at the node that led at that moment (`leader-stall`; also counted in `slowEpisodes`). */
  leaderStalls = 0;
  /** Partitions aimed at the node that led at that moment (`leader-island`; also counted in `partitions`). */
  leaderIslands = 0;
  /** Crashes at the target's buggify crash points (also counted in `crashes`). */
  buggifyCrashes = 0;
  restarts = 0;
  pauses = 0;
  slowEpisodes = 0;
  byzantineEpisodes = 0;
  /** Deliveries a fault had delayed past healing, brought forward when the faults healed (see `NetworkModel.healAll`). */
  drainedAtHeal = 0;
  /** Virtual ms from healing until the liveness condition held (−1: not reached or not checked). */
  livenessAfterHealMs = -1;

  /** @returns the counters as a plain record */
  toRecord(): Record<string, number> {
    const record: Record<string, number> = {};
    for (const [key, value] of Object.entries(this)) if (typeof value === "number") record[key] = value;
    return record;
  }
}
