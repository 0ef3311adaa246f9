import { SynodError, type Envelope, type NodeId, type Rng } from "@synod/core";
import type { AdversaryName } from "../faults/schedule.js";
import { hugeTermAdversary } from "./huge-term.js";

/** What an adversary may do with a Byzantine node's outgoing traffic. */
export interface AdversaryContext<M> {
  /** The adversary's own generator (a fork of the run's root). */
  readonly rng: Rng;
  /** Current virtual time. */
  readonly nowMs: number;
  /** The Byzantine node this adversary controls. */
  readonly self: NodeId;
  /** The cluster's members. */
  readonly members: readonly NodeId[];
  /** The protocol's forgery (`SimulationTarget.forge`), when it has one. */
  readonly forge: ((message: M) => M) | undefined;
  /** Put a message on the wire from the Byzantine node to `to`, after `extraDelayMs` more than usual. */
  emit(to: NodeId, message: M, extraDelayMs?: number): void;
}

/**
 * An adversary strategy: it sees every envelope the Byzantine node's protocol code wants to send
 * and decides what actually leaves (nothing, something else, several things). One instance per
 * Byzantine episode, so it may keep state (e.g. old messages to replay).
 */
export interface Adversary<M> {
  readonly name: string;
  /**
   * Optional: the adversary keeps its node after healing too — a member faulty for the whole run
   * (e.g. one that never speaks again), against which liveness is checked. Default: it lets go at healing.
   */
  readonly permanent?: boolean;
  onSend(envelope: Envelope<M>, ctx: AdversaryContext<M>): void;
  /**
   * Optional: each message delivered to the Byzantine node, from `from`, before the node handles it
   * — what a faulty node learns of its peers' traffic. It may answer at once through `ctx.emit`
   * (as the Byzantine node), whatever the node's own code does with the message.
   */
  onReceive?(from: NodeId, message: M, ctx: AdversaryContext<M>): void;
}

/** Most old messages a replaying adversary remembers. */
export const MAX_REPLAY_BUFFER = 64;

/**
 * Build a built-in adversary.
 * - `drop`: silence — nothing leaves the node.
 * - `delay`: every message leaves 100–1000 ms late.
 * - `duplicate`: every message is sent 2–4 times.
 * - `replay`: every message is sent, plus one old message (re-)sent to a random peer.
 * - `equivocate`: peers at even member positions get the message, the others a forged version
 *   (different versions to different peers); without `forge`, the others get a replayed old message.
 * - `forge`: every message is replaced by a forged one (or replayed when the protocol has no forge).
 * - `huge-term`: every message is sent, plus a copy claiming a huge term (see huge-term.ts).
 * @param name - the strategy
 * @returns a fresh adversary
 * @throws {SynodError} code `usage` for an unknown name
 * @example createAdversary<MyMessage>("equivocate")
 */
export function createAdversary<M>(name: AdversaryName): Adversary<M> {
  const past: Envelope<M>[] = [];
  const remember = (envelope: Envelope<M>): void => {
    if (past.length >= MAX_REPLAY_BUFFER) past.shift();
    past.push(envelope);
  };
  const replayOne = (ctx: AdversaryContext<M>, fallback: Envelope<M>): void => {
    const old = past.length > 0 ? (past[ctx.rng.int(0, past.length)] as Envelope<M>) : fallback;
    const to = ctx.members[ctx.rng.int(0, ctx.members.length)] as NodeId;
    if (to !== old.from) ctx.emit(to, old.message);
  };
  switch (name) {
    case "drop":
      return { name, onSend() {} };
    case "delay":
      return { name, onSend: (e, ctx) => ctx.emit(e.to, e.message, 100 + ctx.rng.int(0, 901)) };
    case "duplicate":
      return {
        name,
        onSend(e, ctx) {
          const copies = ctx.rng.int(2, 5);
          for (let i = 0; i < copies; i++) ctx.emit(e.to, e.message);
        },
      };
    case "replay":
      return {
        name,
        onSend(e, ctx) {
          ctx.emit(e.to, e.message);
          replayOne(ctx, e);
          remember(e);
        },
      };
    case "equivocate":
      return {
        name,
        onSend(e, ctx) {
          const position = ctx.members.indexOf(e.to);
          if (position % 2 === 0) ctx.emit(e.to, e.message);
          else if (ctx.forge !== undefined) ctx.emit(e.to, ctx.forge(e.message));
          else replayOne(ctx, e);
          remember(e);
        },
      };
    case "forge":
      return {
        name,
        onSend(e, ctx) {
          if (ctx.forge !== undefined) ctx.emit(e.to, ctx.forge(e.message));
          else replayOne(ctx, e);
          remember(e);
        },
      };
    case "huge-term":
      return hugeTermAdversary<M>();
    default:
      throw new SynodError("usage", `unknown adversary strategy "${String(name)}"`);
  }
}
