import { SynodError } from "@synod/core";
import { MAX_BATCH_WIRE, MAX_PRE_PREPARED_PER_SEQ, MAX_SET_WIRE } from "./messages.js";

/** Tunables of a PBFT replica. Times are in ticks. */
export interface PbftConfig {
  /** A checkpoint is taken every this many sequence numbers (the paper's K). */
  readonly checkpointInterval: number;
  /** Log window: sequence numbers accepted lie in (h, h + windowSize] where h is the stable checkpoint (the paper's L); at most 1024, so that a view-change's claims fit on the wire. */
  readonly windowSize: number;
  /** Most requests the primary puts in one pre-prepare (at most 1024, what a pre-prepare carries on the wire). */
  readonly batchMax: number;
  /** Most sequence numbers the primary has assigned but not yet executed. */
  readonly maxInFlight: number;
  /** Ticks a replica waits for a pending request to execute (or a new view to start) before moving to the next view; doubled on each successive failed view change. */
  readonly viewChangeTimeoutTicks: number;
  /** Ticks between retransmissions of a replica's own protocol messages (lost messages are re-sent, never assumed delivered). */
  readonly retransmitTicks: number;
  /** Most distinct clients with a request waiting at one replica (a faulty client cannot make a replica hold unbounded work). */
  readonly maxPendingClients: number;
  /**
   * The read-only optimisation (Castro & Liskov §5.1.3): a request the service calls read-only is
   * multicast, answered by every replica from its state at once, and completes on 2f+1 matching
   * replies, else it is retried through the ordered path. With it on, ordered requests also
   * complete on 2f+1 matching replies instead of f+1, so that a read quorum always meets a replica
   * that executed every completed write (linearizability).
   */
  readonly readOnly: boolean;
  /**
   * How replica messages and client requests are authenticated (see the README's "Authentication"):
   * - `"signatures"`: every message is signed (transferable everywhere; one signature per message
   *   and one verification per receiver);
   * - `"macs"` (Castro & Liskov's authenticators): the normal case — client requests, pre-prepares,
   *   prepares, commits and replies — carries one HMAC-SHA256 per receiver under pairwise keys
   *   (HKDF over the X25519 shared secret of the two identity keys, `@synod/security`); checkpoint,
   *   view-change and new-view messages stay signed, and a view-change carries the sender's own
   *   signed claims (what it prepared and pre-prepared) instead of prepared certificates, from which
   *   the new primary decides each sequence number by the paper's rules. Clients must then send
   *   requests with an authenticator for every replica (`authenticateRequest`).
   * Every replica of a cluster must use the same mode.
   */
  readonly authentication: PbftAuthentication;
  /**
   * How a stable checkpoint is proven where a proof travels — in view-changes (and so new-views),
   * durable checkpoint records, and as the digest a state transfer must match (see the README's
   * "Threshold certificates"):
   * - `"signatures"`: q signed checkpoint messages (q the quorum, 2f+1 when n = 3f+1);
   * - `"threshold"`: one group signature. Each replica also signs its checkpoint with its share of a
   *   t-of-n threshold key (`PbftKeys.threshold`, t = q, so a valid group signature proves that a
   *   quorum signed), and a replica that holds q matching shares combines them; the certificate is
   *   checked against the group key alone.
   * Independent of {@link authentication}. Every replica of a cluster must use the same mode.
   */
  readonly certificates: PbftCertificates;
  /**
   * Aardvark's slow-primary defence (`ordering-pace.ts`): a backup that sees a request wait for its
   * pre-prepare longer than {@link slowPrimaryFactor} times the replicas' own prepare phase (at least
   * {@link slowPrimaryMinTicks}) forwards it to the primary, and if it is still not ordered after as
   * long again, moves to the next view. Off: only the view-change timeout replaces a primary.
   */
  readonly replaceSlowPrimary: boolean;
  /** How many times the median prepare phase a primary may take to order a request. */
  readonly slowPrimaryFactor: number;
  /** The least time, in ticks, a primary is given to order a request. */
  readonly slowPrimaryMinTicks: number;
  /**
   * Messages per tick this replica handles from a replica proven faulty by misbehaviour evidence
   * (evidence.ts); more are dropped as `rate-limited` before any check (Aardvark: a faulty
   * replica's traffic cannot make correct replicas do unbounded work).
   */
  readonly provenFaultyMessagesPerTick: number;
}

/** The authentication modes of {@link PbftConfig.authentication}. */
export const PBFT_AUTHENTICATION_MODES = ["signatures", "macs"] as const;
/** One of {@link PBFT_AUTHENTICATION_MODES}. */
export type PbftAuthentication = (typeof PBFT_AUTHENTICATION_MODES)[number];

/** The certificate modes of {@link PbftConfig.certificates}. */
export const PBFT_CERTIFICATE_MODES = ["signatures", "threshold"] as const;
/** One of {@link PBFT_CERTIFICATE_MODES}. */
export type PbftCertificates = (typeof PBFT_CERTIFICATE_MODES)[number];

/**
 * Defaults: K = 16, L = 64, batches of up to 64, 32 sequence numbers in flight, a 50-tick view-change
 * timeout, retransmission every 20 ticks, no read-only optimisation, slow primaries replaced (a request
 * waits at most 4 prepare phases, at least 10 ticks, twice), MAC authenticators on the
 * normal case, 8 messages per tick from a replica proven faulty (chosen from `pnpm bench pbft`: with node:crypto they order several times more requests
 * per CPU-second than signatures everywhere; see the README's "Authentication").
 */
export const DEFAULT_PBFT_CONFIG: PbftConfig = Object.freeze({
  checkpointInterval: 16,
  windowSize: 64,
  batchMax: 64,
  maxInFlight: 32,
  viewChangeTimeoutTicks: 50,
  retransmitTicks: 20,
  maxPendingClients: 4096,
  readOnly: false,
  authentication: "macs",
  certificates: "signatures",
  replaceSlowPrimary: true,
  slowPrimaryFactor: 4,
  slowPrimaryMinTicks: 10,
  provenFaultyMessagesPerTick: 8,
});

/**
 * @returns the defaults overridden by `partial`, checked
 * @throws {SynodError} code `usage` when a value is not a positive integer, the batch or the window is larger than the wire carries
 *   (`batchMax` ≤ 1024, `windowSize` ≤ 1024), or the window is not a multiple of the checkpoint interval of at least two intervals
 */
export function resolvePbftConfig(partial: Partial<PbftConfig> = {}): PbftConfig {
  const config: PbftConfig = { ...DEFAULT_PBFT_CONFIG, ...partial };
  for (const [key, value] of Object.entries(config)) {
    if (key === "authentication") {
      if (!PBFT_AUTHENTICATION_MODES.includes(value as PbftAuthentication)) {
        throw new SynodError("usage", `pbft config authentication must be one of ${PBFT_AUTHENTICATION_MODES.join(", ")}, got ${String(value)}`);
      }
      continue;
    }
    if (key === "certificates") {
      if (!PBFT_CERTIFICATE_MODES.includes(value as PbftCertificates)) {
        throw new SynodError("usage", `pbft config certificates must be one of ${PBFT_CERTIFICATE_MODES.join(", ")}, got ${String(value)}`);
      }
      continue;
    }
    if (key === "readOnly" || key === "replaceSlowPrimary") {
      if (typeof value !== "boolean") throw new SynodError("usage", `pbft config ${key} must be a boolean, got ${String(value)}`);
      continue;
    }
    if (!Number.isSafeInteger(value) || (value as number) < 1) throw new SynodError("usage", `pbft config ${key} must be a positive integer, got ${String(value)}`);
  }
  // What the wire carries bounds the configuration: a replica must never build a message its peers' codec refuses.
  if (config.batchMax > MAX_BATCH_WIRE) {
    const why = "a larger pre-prepare exceeds the wire limit and every peer would drop it";
    throw new SynodError("usage", `pbft batchMax (${config.batchMax}) must be at most ${MAX_BATCH_WIRE}: ${why}`);
  }
  if (config.windowSize * MAX_PRE_PREPARED_PER_SEQ > MAX_SET_WIRE) {
    const most = Math.floor(MAX_SET_WIRE / MAX_PRE_PREPARED_PER_SEQ);
    const why = `a view-change names up to ${MAX_PRE_PREPARED_PER_SEQ} claims per sequence number in the window, and at most ${MAX_SET_WIRE} fit on the wire`;
    throw new SynodError("usage", `pbft windowSize (${config.windowSize}) must be at most ${most}: ${why}`);
  }
  if (config.windowSize % config.checkpointInterval !== 0 || config.windowSize < 2 * config.checkpointInterval) {
    throw new SynodError("usage", `pbft windowSize (${config.windowSize}) must be a multiple of checkpointInterval (${config.checkpointInterval}) and at least twice it`);
  }
  return config;
}
