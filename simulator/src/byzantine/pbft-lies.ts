import type { NodeId } from "@synod/core";
import { batchDigest, KvService, sign, simulationKeys } from "@synod/pbft";
import type { NewView, PbftMessage, PrePrepare, Prepare, ReadReply, Reply, ViewChange } from "@synod/pbft";
import { kvCommandCodec } from "@synod/raft";
import { equalBytes } from "@synod/security";
import { MAX_REPLAY_BUFFER, type Adversary } from "./adversary.js";
import { authenticateAs } from "./pbft-authenticate.js";

// PBFT lies that one faulty replica can tell alone: the cases the f + 1 reply quorum, the
// one-pre-prepare-per-slot rule and the backups' recomputation of a new view exist for. Each signs
// with the faulty replica's own key only.

/** @returns `message` signed with the faulty replica's own key (the only one it holds) */
const signAs = <T extends PrePrepare | Reply | ReadReply | NewView>(from: NodeId, message: Omit<T, "sig">): T =>
  sign<T>(simulationKeys.provider, simulationKeys.secretKeyOf(from), message);

/**
 * `lying-reply`: every reply (and read-only reply) carries the result of an earlier request this
 * replica answered (a different one), validly signed. A client must not accept a result fewer than
 * f + 1 replicas sent (2f + 1 for a read-only request).
 */
export function lyingReply(): Adversary<PbftMessage> {
  const results: Uint8Array[] = [];
  return {
    name: "lying-reply",
    onSend(e, ctx) {
      const m = e.message;
      if (m.type !== "reply" && m.type !== "readReply") return ctx.emit(e.to, m);
      const others = results.filter((r) => !equalBytes(r, m.result));
      if (results.length >= MAX_REPLAY_BUFFER) results.shift();
      results.push(m.result);
      if (others.length === 0) return ctx.emit(e.to, m);
      const { sig: _sig, ...unsigned } = m;
      const result = others[ctx.rng.int(0, others.length)] as Uint8Array;
      ctx.emit(e.to, authenticateAs<Reply | ReadReply>(e.from, e.to, ctx.members, m, { ...unsigned, result }));
    },
  };
}

/** How long after its real pre-prepare the conflicting one follows (a few network delays). */
export const SECOND_PRE_PREPARE_DELAY_MS = 30;

/**
 * `double-pre-prepare`: as primary, every pre-prepare goes out, and {@link SECOND_PRE_PREPARE_DELAY_MS}
 * later a conflicting one (the null request at the same view and sequence number) to the same
 * replica. A backup must keep the first pre-prepare it accepted for a (view, sequence number).
 */
export function doublePrePrepare(): Adversary<PbftMessage> {
  const nullDigest = batchDigest(simulationKeys.provider, []);
  return {
    name: "double-pre-prepare",
    onSend(e, ctx) {
      const m = e.message;
      ctx.emit(e.to, m);
      if (m.type !== "prePrepare" || m.requests.length === 0) return;
      const conflicting = { type: "prePrepare" as const, view: m.view, seq: m.seq, digest: nullDigest, requests: [], replica: e.from };
      const second = authenticateAs<PrePrepare>(e.from, e.to, ctx.members, m, conflicting);
      ctx.emit(e.to, second, SECOND_PRE_PREPARE_DELAY_MS);
    },
  };
}

/**
 * `new-view-liar`: as the primary of a new view, its new-view message carries the null request at
 * every sequence number instead of the batches the view-changes prove prepared (re-signed, with
 * the same view-changes). Backups must recompute the new view's pre-prepares and refuse it.
 */
export function newViewLiar(): Adversary<PbftMessage> {
  const nullDigest = batchDigest(simulationKeys.provider, []);
  return {
    name: "new-view-liar",
    onSend(e, ctx) {
      const m = e.message;
      if (m.type !== "newView") return ctx.emit(e.to, m);
      const prePrepares = m.prePrepares.map((pp) =>
        signAs<PrePrepare>(e.from, { type: "prePrepare", view: pp.view, seq: pp.seq, digest: nullDigest, requests: [], replica: e.from }),
      );
      ctx.emit(e.to, signAs<NewView>(e.from, { type: "newView", view: m.view, viewChanges: m.viewChanges, prePrepares, replica: e.from }));
    },
  };
}

/**
 * `claim-liar` (drawn on `pbft-mac`): its view-changes lie about what it prepared. Where the
 * replicas decide a new view from claims (`macs` mode), it claims to have prepared — and
 * pre-prepared — the null request at every sequence number it has seen, in the highest view it may
 * name (the one before the new view), re-signed with its own key: a new view that believed one
 * replica's claim would drop the batches the others prepared, committed ones included. With
 * certificates (`signatures` mode) it can only leave its certificates out.
 */
export function claimLiar(): Adversary<PbftMessage> {
  const nullDigest = batchDigest(simulationKeys.provider, []);
  const seen = new Set<number>();
  return {
    name: "claim-liar",
    onSend(e, ctx) {
      const m = e.message;
      if (m.type === "prePrepare" || m.type === "prepare" || m.type === "commit") {
        if (seen.size >= MAX_REPLAY_BUFFER) seen.delete(seen.values().next().value as number);
        seen.add(m.seq);
      }
      if (m.type !== "viewChange") return ctx.emit(e.to, m);
      const { sig: _sig, ...unsigned } = m;
      const macs = m.prepared.length === 0 && (m.preparedClaims.length > 0 || m.prePrepared.length > 0 || seen.size > 0);
      const seqs = macs && m.view > 0 ? [...seen].filter((seq) => seq > m.stableSeq).sort((x, y) => x - y) : [];
      const claims = seqs.map((seq) => ({ view: m.view - 1, seq, digest: nullDigest }));
      const lie: Omit<ViewChange, "sig"> = {
        ...unsigned,
        prepared: [],
        preparedClaims: macs ? claims.map((claim) => ({ ...claim, requests: [] })) : [],
        prePrepared: macs ? claims : [],
      };
      ctx.emit(e.to, sign<ViewChange>(simulationKeys.provider, simulationKeys.secretKeyOf(e.from), lie));
    },
  };
}

/** How often an `impatient` replica asks a peer again for the same view (the simulated replicas' retransmission period). */
export const IMPATIENT_REPEAT_MS = 150;

/**
 * `impatient`: asks for a view change as soon as it is in a view. With each message to a peer (to
 * that peer at most once per {@link IMPATIENT_REPEAT_MS} for one view), a validly signed view-change
 * for the view after the highest it has sent in, carrying its latest real view-change's checkpoint
 * and certificates (nothing before its first). A correct replica joins a view change on f + 1
 * view-changes, so one faulty replica must not move it (a replica alone in a later view is followed
 * only after the longest view-change timeout): `ViewChangesPaced`.
 */
export function impatient(): Adversary<PbftMessage> {
  let view = 0;
  let body: Omit<ViewChange, "sig" | "view"> | undefined;
  const asked = new Map<NodeId, { view: number; atMs: number }>();
  return {
    name: "impatient",
    onSend(e, ctx) {
      const m = e.message;
      ctx.emit(e.to, m);
      if ("view" in m && m.view > view) view = m.view;
      if (m.type === "viewChange") {
        const { sig: _sig, view: _view, ...rest } = m;
        body = rest;
      }
      const last = asked.get(e.to);
      if (last !== undefined && last.view > view && ctx.nowMs - last.atMs < IMPATIENT_REPEAT_MS) return;
      asked.set(e.to, { view: view + 1, atMs: ctx.nowMs });
      const nothing = { stableSeq: 0, checkpointProof: [], prepared: [], preparedClaims: [], prePrepared: [] };
      const unsigned = body ?? { type: "viewChange" as const, ...nothing, replica: e.from };
      ctx.emit(e.to, sign<ViewChange>(simulationKeys.provider, simulationKeys.secretKeyOf(e.from), { ...unsigned, view: view + 1 }));
    },
  };
}

const KV = new KvService();
/** The encoded result of a put (what every correct replica replies once it executed one). */
const PUT_DONE = KV.encodeResult({ ok: true });

/**
 * `stale-read`: answers gets from a stale state, and puts before they run. It learns each request's
 * operation from the requests it receives. A put relayed to it is answered at once, `ok`, before it
 * is even ordered. A read reply (or an ordered get's reply) for a key whose latest put it has
 * executed carries the value it answered there before, re-authenticated — what a replica one write
 * behind would answer (when it has not executed that put, its true answer is that already). Reads
 * complete on 2f + 1 matching read replies and (with the optimisation) writes on 2f + 1 replies, so
 * that a read quorum holds a correct replica that has every completed write: on f + 1 either way,
 * its replies and lagging correct replicas' would make a stale read.
 */
export function staleRead(): Adversary<PbftMessage> {
  /** By `client:timestamp`: the key of a get it received. */
  const keys = new Map<string, string>();
  /** By key: the value its own state gave last, and the one before it. */
  const values = new Map<string, { now: Uint8Array; before: Uint8Array | undefined }>();
  /** By key: the value of the latest put it saw relayed. */
  const puts = new Map<string, string | null>();
  let view = 0;
  return {
    name: "stale-read",
    onReceive(_from, m, ctx) {
      if (m.type !== "request" && m.type !== "readRequest") return;
      const decoded = kvCommandCodec.decode(m.request.command);
      if (!decoded.ok) return;
      const { client, timestamp, proxy } = m.request;
      const op = decoded.value.op;
      if (op.type === "put" && m.type === "request" && proxy !== ctx.self) {
        if (puts.size >= MAX_REPLAY_BUFFER && !puts.has(op.key)) puts.delete(puts.keys().next().value as string);
        puts.set(op.key, op.value ?? null);
        const early = { type: "reply" as const, view, client, timestamp, result: PUT_DONE, replica: ctx.self };
        return ctx.emit(proxy, authenticateAs<Reply>(ctx.self, proxy, ctx.members, m.request, early));
      }
      if (decoded.value.op.type !== "get") return;
      if (keys.size >= MAX_REPLAY_BUFFER) keys.delete(keys.keys().next().value as string);
      keys.set(`${client}:${timestamp}`, decoded.value.op.key);
    },
    onSend(e, ctx) {
      const m = e.message;
      if ("view" in m && m.view > view) view = m.view;
      if (m.type !== "reply" && m.type !== "readReply") return ctx.emit(e.to, m);
      const key = keys.get(`${m.client}:${m.timestamp}`);
      if (key === undefined) return ctx.emit(e.to, m);
      let held = values.get(key);
      if (held === undefined) {
        if (values.size >= MAX_REPLAY_BUFFER) values.delete(values.keys().next().value as string);
        values.set(key, (held = { now: m.result, before: undefined }));
      } else if (!equalBytes(held.now, m.result)) {
        held.before = held.now;
        held.now = m.result;
      }
      const afterPut = puts.has(key) && KV.decodeResult(m.result)?.value === puts.get(key);
      if (held.before === undefined || !afterPut) return ctx.emit(e.to, m);
      const { sig: _sig, ...unsigned } = m;
      ctx.emit(e.to, authenticateAs<Reply | ReadReply>(e.from, e.to, ctx.members, m, { ...unsigned, result: held.before }));
    },
  };
}

/**
 * `primary-prepares`: as primary, each pre-prepare goes out with a prepare of its own for it (same
 * view, sequence number and digest), validly authenticated. A primary's vote is its pre-prepare:
 * prepared needs 2f prepares from backups, so that with the pre-prepare 2f + 1 distinct replicas
 * stand behind a batch; a backup that counted this prepare would prepare on 2f replicas (its own
 * prepare and this one, when f = 1), and a prepared certificate holding it is one no replica accepts
 * in a view-change.
 */
export function primaryPrepares(): Adversary<PbftMessage> {
  return {
    name: "primary-prepares",
    onSend(e, ctx) {
      const m = e.message;
      ctx.emit(e.to, m);
      if (m.type !== "prePrepare" || m.replica !== e.from) return;
      const prepare = { type: "prepare" as const, view: m.view, seq: m.seq, digest: m.digest, replica: e.from };
      ctx.emit(e.to, authenticateAs<Prepare>(e.from, e.to, ctx.members, m, prepare));
    },
  };
}
