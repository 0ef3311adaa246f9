import type { Envelope, NodeId } from "@synod/core";
import { MAC_BYTES, SIGNATURE_BYTES } from "@synod/security";
import { batchDigest, checkpointStateCodec, KvService, sign, simulationKeys, type Commit, type PbftMessage, type PrePrepare, type Prepare, type Request, type StateTransfer } from "@synod/pbft";
import { MAX_REPLAY_BUFFER, type Adversary, type AdversaryContext } from "./adversary.js";
import { authenticateAs } from "./pbft-authenticate.js";
import { equivocateClaim } from "./pbft-equivocate-claim.js";
import { equivocateSigned, splitViewChange } from "./pbft-equivocate-signed.js";
import { framer } from "./pbft-framer.js";
import { recantCheckpoint } from "./pbft-recant-checkpoint.js";
import { hideVotes } from "./pbft-hide-votes.js";
import { splitWrite } from "./pbft-split-write.js";
import { badShare } from "./pbft-threshold-lies.js";
import { claimLiar, doublePrePrepare, impatient, lyingReply, newViewLiar, primaryPrepares, staleRead } from "./pbft-lies.js";

/** PBFT-aware Byzantine strategies (see {@link createPbftAdversary}). */
export const PBFT_STRATEGIES = [
  "silent",
  "equivocate",
  "forge",
  "replay",
  "wrong-digest",
  "slow-primary",
  "rogue-batch",
  "stale-state",
  "lying-reply",
  "double-pre-prepare",
  "new-view-liar",
  "impatient",
  "stale-read",
  "primary-prepares",
  "equivocate-signed",
] as const;

/** The strategies drawn on `pbft-mac`: those of {@link PBFT_STRATEGIES} and a liar about its view-change claims. */
export const PBFT_MAC_STRATEGIES = [...PBFT_STRATEGIES, "claim-liar"] as const;

/** The strategies drawn on `pbft-threshold`: those of {@link PBFT_STRATEGIES} and a liar with its threshold share (`pbft-threshold-lies.ts`). */
export const PBFT_THRESHOLD_STRATEGIES = [...PBFT_STRATEGIES, "bad-share"] as const;

/**
 * Strategies aimed at one window, never drawn (a detector names one, `SimDetector.strategy`):
 * `split-write` (pbft-split-write.ts), the stale read a write completing on f + 1 replies allows;
 * `hide-votes` (pbft-hide-votes.ts, colluding), the batch a commit on q − 1 commits executes at a
 * sequence number the next view orders otherwise; `framer` (pbft-framer.ts), misbehaviour evidence
 * against correct replicas that proves nothing; `equivocate-claim` (pbft-equivocate-claim.ts), a
 * primary that splits a batch and then claims the other half prepared in that view (the new view's A1
 * on a quorum, `macs` mode); `split-view-change` (pbft-equivocate-signed.ts), two view-changes for
 * one view that only the disputes bring together; `recant-checkpoint` (pbft-recant-checkpoint.ts),
 * each checkpoint's first copy to half the correct replicas a lie, every later copy the truth.
 */
export const PBFT_TARGETED_STRATEGIES = ["split-write", "hide-votes", "framer", "equivocate-claim", "split-view-change", "recant-checkpoint"] as const;

/** One of {@link PBFT_MAC_STRATEGIES}, {@link PBFT_THRESHOLD_STRATEGIES} or {@link PBFT_TARGETED_STRATEGIES}. */
export type PbftStrategy = (typeof PBFT_MAC_STRATEGIES)[number] | (typeof PBFT_THRESHOLD_STRATEGIES)[number] | (typeof PBFT_TARGETED_STRATEGIES)[number];

/** How late a slow primary's pre-prepares leave: just under the simulated replicas' view-change timeout (40 ticks of 10 ms). */
export const SLOW_PRIMARY_DELAY_MS = 350;

type Agreement = PrePrepare | Prepare | Commit;

/**
 * Re-authenticate an agreement message as the faulty replica, the way `original` was (signed, or with
 * a MAC authenticator): a Byzantine replica lies with valid authentication.
 */
function resign<T extends Agreement>(e: Envelope<PbftMessage>, ctx: AdversaryContext<PbftMessage>, message: Omit<T, "sig">): T {
  return authenticateAs<T>(e.from, e.to, ctx.members, e.message as Agreement, message);
}

const NULL_DIGEST = batchDigest(simulationKeys.provider, []);

/**
 * The conflicting version of an agreement message that a colluding equivocator sends to the second
 * half of the honest replicas: the null request at the same (view, sequence number), validly signed.
 * Every colluder derives the same one, so their prepares and commits back each other up.
 */
function conflicting(e: Envelope<PbftMessage>, ctx: AdversaryContext<PbftMessage>, message: Agreement): Agreement {
  const { view, seq } = message;
  const from = e.from;
  if (message.type === "prePrepare") return resign<PrePrepare>(e, ctx, { type: "prePrepare", view, seq, digest: NULL_DIGEST, requests: [], replica: from });
  return resign<Prepare | Commit>(e, ctx, { type: message.type, view, seq, digest: NULL_DIGEST, replica: from } as Omit<Prepare | Commit, "sig">);
}

function isAgreement(message: PbftMessage): message is Agreement {
  return message.type === "prePrepare" || message.type === "prepare" || message.type === "commit";
}

/**
 * Build a PBFT-aware Byzantine strategy for one faulty replica. Each may sign, but only with the
 * faulty replica's own key.
 * - `silent`: nothing leaves the replica.
 * - `equivocate`: the honest replicas are split in two halves (by member position); the first half
 *   gets the replica's real pre-prepares, prepares and commits, the second a conflicting, validly
 *   signed version (the null request at the same view and sequence number). Colluding faulty
 *   replicas get the real ones. With more than f colluders this splits the honest replicas.
 * - `forge`: every message is altered after signing or attributed to another replica (invalid:
 *   honest replicas must reject and count it); relayed client requests get a later timestamp, with
 *   the client's authenticator kept or (MACs) cut short.
 * - `replay`: every message is sent, and with it an old message (earlier view or sequence) to a random peer.
 * - `wrong-digest`: pre-prepares, prepares and commits carry a random digest, validly signed.
 * - `slow-primary`: pre-prepares leave {@link SLOW_PRIMARY_DELAY_MS} late (just under the timeout).
 * - `rogue-batch`: as primary, re-signs its batches with an extra request: alternately one it
 *   ordered before (a valid client signature: replicas must not execute it twice) and one no client
 *   signed (replicas must refuse the batch).
 * - `stale-state`: answers state fetches with the state of an older checkpoint (before it has
 *   one, the initial state), validly signed (replicas must check it against the proven digest).
 * - `lying-reply`, `double-pre-prepare`, `new-view-liar`, `impatient`, `stale-read`,
 *   `primary-prepares`: see pbft-lies.ts (a false result to clients; a second, conflicting
 *   pre-prepare to the same backup; a new view that drops prepared batches; a view-change for the
 *   next view as soon as it is in one; gets answered from a state one write behind; as primary, a
 *   prepare of its own with each pre-prepare).
 * - `equivocate-signed`: see pbft-equivocate-signed.ts (another state digest in its checkpoints,
 *   another view-change, to the second half of the correct replicas, validly signed).
 * @param faulty - every faulty replica of the run (colluders are not split)
 */
export function createPbftAdversary(strategy: PbftStrategy, faulty: readonly NodeId[]): Adversary<PbftMessage> {
  switch (strategy) {
    case "silent":
      return { name: strategy, onSend() {} };
    case "equivocate":
      return equivocate(faulty);
    case "equivocate-signed":
      return equivocateSigned(faulty);
    case "forge":
      return forge();
    case "replay":
      return replay();
    case "wrong-digest":
      return wrongDigest();
    case "rogue-batch":
      return rogueBatch();
    case "stale-state":
      return staleState();
    case "lying-reply":
      return lyingReply();
    case "double-pre-prepare":
      return doublePrePrepare();
    case "new-view-liar":
      return newViewLiar();
    case "claim-liar":
      return claimLiar();
    case "impatient":
      return impatient();
    case "stale-read":
      return staleRead();
    case "primary-prepares":
      return primaryPrepares();
    case "bad-share":
      return badShare();
    case "split-write":
      return splitWrite();
    case "hide-votes":
      return hideVotes(faulty);
    case "framer":
      return framer();
    case "equivocate-claim":
      return equivocateClaim();
    case "split-view-change":
      return splitViewChange(faulty);
    case "recant-checkpoint":
      return recantCheckpoint(faulty);
    case "slow-primary":
      return {
        name: strategy,
        onSend: (e, ctx) => ctx.emit(e.to, e.message, e.message.type === "prePrepare" ? SLOW_PRIMARY_DELAY_MS : 0),
      };
  }
}

/** `equivocate`: real agreement messages to the first half of the honest replicas, conflicting ones to the second. */
function equivocate(faulty: readonly NodeId[]): Adversary<PbftMessage> {
  const secondHalf = (ctx: AdversaryContext<PbftMessage>, to: NodeId): boolean => {
    const honest = ctx.members.filter((m) => !faulty.includes(m));
    return honest.indexOf(to) % 2 === 1;
  };
  return {
    name: "equivocate",
    onSend(e, ctx) {
      if (isAgreement(e.message) && !faulty.includes(e.to) && secondHalf(ctx, e.to)) {
        ctx.emit(e.to, conflicting(e, ctx, e.message));
      } else ctx.emit(e.to, e.message);
    },
  };
}

/** `forge`: every message altered after signing or attributed to another replica. */
function forge(): Adversary<PbftMessage> {
  return {
    name: "forge",
    onSend(e, ctx) {
      const m = e.message;
      if (m.type === "request" || m.type === "readRequest") {
        // A client's MAC authenticator (pbft-mac) is kept whole or, half the time, cut to its first
        // entry (the rest are MACs the forger cannot compute); a signature is kept as it is.
        const sig = m.request.sig.length !== SIGNATURE_BYTES && ctx.rng.bool(0.5) ? m.request.sig.slice(0, MAC_BYTES) : m.request.sig;
        return ctx.emit(e.to, { ...m, request: { ...m.request, timestamp: m.request.timestamp + 1, sig } });
      }
      if (ctx.rng.bool(0.5)) {
        const other = ctx.members[ctx.rng.int(0, ctx.members.length)] as NodeId;
        return ctx.emit(e.to, { ...m, replica: other });
      }
      ctx.emit(e.to, ctx.forge !== undefined ? ctx.forge(m) : { ...m, sig: new Uint8Array(m.sig.length) });
    },
  };
}

/** `replay`: every message sent, and with it an old one to a random peer. */
function replay(): Adversary<PbftMessage> {
  const past: Envelope<PbftMessage>[] = [];
  return {
    name: "replay",
    onSend(e, ctx) {
      ctx.emit(e.to, e.message);
      if (past.length > 0) {
        const old = past[ctx.rng.int(0, past.length)] as Envelope<PbftMessage>;
        const to = ctx.members[ctx.rng.int(0, ctx.members.length)] as NodeId;
        if (to !== e.from) ctx.emit(to, old.message);
      }
      if (past.length >= MAX_REPLAY_BUFFER) past.splice(ctx.rng.int(0, past.length), 1);
      past.push(e);
    },
  };
}

/** `wrong-digest`: agreement messages carry a random digest, validly signed. */
function wrongDigest(): Adversary<PbftMessage> {
  return {
    name: "wrong-digest",
    onSend(e, ctx) {
      const m = e.message;
      if (!isAgreement(m)) return ctx.emit(e.to, m);
      const digest = new Uint8Array(m.digest.length);
      for (let i = 0; i < digest.length; i++) digest[i] = ctx.rng.int(0, 256);
      const { sig: _sig, ...unsigned } = m;
      ctx.emit(e.to, resign<Agreement>(e, ctx, { ...unsigned, digest } as Omit<Agreement, "sig">));
    },
  };
}

/**
 * A request no client issued, made from a real one (a later timestamp): it keeps the client's
 * signature, which no longer matches; a client's MAC authenticator it keeps only in part (the
 * primary cannot compute the entries of the others, so the vector stops after the first).
 */
function made(first: Request): Request {
  const sig = first.sig.length === SIGNATURE_BYTES ? first.sig : first.sig.slice(0, MAC_BYTES);
  return { ...first, timestamp: first.timestamp + 1_000_000, sig };
}

/** `rogue-batch`: as primary, re-signs its batches with an extra request (an already ordered one, or one no client signed). */
function rogueBatch(): Adversary<PbftMessage> {
  const ordered: Request[] = [];
  return {
    name: "rogue-batch",
    onSend(e, ctx) {
      const m = e.message;
      if (m.type !== "prePrepare" || m.requests.length === 0) return ctx.emit(e.to, m);
      const old = ordered.length > 0 ? ordered[ctx.rng.int(0, ordered.length)] : undefined;
      const first = m.requests[0] as Request;
      const extra: Request = m.seq % 2 === 0 || old === undefined ? made(first) : old;
      const requests = [...m.requests, extra];
      const digest = batchDigest(simulationKeys.provider, requests);
      ctx.emit(e.to, resign<PrePrepare>(e, ctx, { type: "prePrepare", view: m.view, seq: m.seq, digest, requests, replica: e.from }));
      if (ordered.length >= MAX_REPLAY_BUFFER) ordered.shift();
      ordered.push(...m.requests.slice(0, 1));
    },
  };
}

/** The state before any request (an empty store, no client's last reply): what the `stale-state` replica offers before it has an older checkpoint's. */
const GENESIS_STATE = checkpointStateCodec.encode({ service: new KvService().snapshot(), clients: [] });

/**
 * `stale-state`: answers every state fetch at once — whether or not it holds that checkpoint — with
 * the state of an older checkpoint it sent (the initial state before it has one), validly signed;
 * its own code's true answers are dropped.
 */
function staleState(): Adversary<PbftMessage> {
  const states: StateTransfer[] = [];
  return {
    name: "stale-state",
    onReceive(from, m, ctx) {
      if (m.type !== "fetchState") return;
      const old = states.find((s) => s.seq < m.seq)?.state ?? GENESIS_STATE;
      const secretKey = simulationKeys.secretKeyOf(ctx.self);
      ctx.emit(from, sign<StateTransfer>(simulationKeys.provider, secretKey, { type: "state", seq: m.seq, state: old, replica: ctx.self }));
    },
    onSend(e, ctx) {
      const m = e.message;
      if (m.type !== "state") return ctx.emit(e.to, m);
      if (states.length < MAX_REPLAY_BUFFER) states.push(m);
    },
  };
}
