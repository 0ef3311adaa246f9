import type { NodeId } from "@synod/core";
import type { MisbehaviourEvidence } from "./evidence.js";
import type { Request } from "./messages.js";

/** A client's request handed to the replica it talks to (its proxy), with the driver's tag for the completion. */
export interface PbftInput {
  readonly type: "invoke";
  /** Echoed in the completing `reply` output. */
  readonly tag: number;
  /** The client-signed request (its `proxy` field is set by the replica receiving it). */
  readonly request: Omit<Request, "proxy">;
  /** The client says it only reads: the read-only optimisation is tried first (when configured). */
  readonly readOnly?: boolean;
}

/**
 * What a replica reports to its application and to checkers:
 * - `prePrepared`: it accepted the pre-prepare (view, seq, digest) (ViewChangeSafety reads these);
 * - `committed`: it executed sequence number `seq`, committed in `view` with batch `digest`;
 * - `execute`: one request of that batch took effect (a request executes at most once);
 * - `reply`: as a proxy, f+1 replicas answered the client's request `tag` with the same `result`;
 * - `viewChanged`: it entered `view` (a new-view was accepted);
 * - `slowPrimary`: as a backup it left `view` because `primary` ordered a request slower than it
 *   expected, twice (`expectedTicks`: what it expects of the next primary; see `ordering-pace.ts`);
 * - `stateTransferred`: it restored the state of stable checkpoint `seq` from a peer (`stateDigest`:
 *   the SHA-256 of the state it installed);
 * - `misbehaviour`: `culprit` is proven faulty by `evidence` (two contradicting statements it
 *   signed), found here or forwarded by a peer; reported once per culprit. From then on the replica
 *   skips the culprit's views as primary and rate-limits its messages;
 * - `internalError`: an alarm — handling a message threw (a bug of this replica, not the peer's
 *   fault; the step so far was kept). Drivers must surface it; the simulator fails the run;
 * - `halted`: the replica refuses to run (its durable storage is corrupted), reported once.
 * @typeParam R - the replicated service's result type
 */
export type PbftOutput<R> =
  | { readonly type: "prePrepared"; readonly view: number; readonly seq: number; readonly digest: Uint8Array }
  | { readonly type: "committed"; readonly view: number; readonly seq: number; readonly digest: Uint8Array; readonly requests: number }
  | { readonly type: "execute"; readonly seq: number; readonly client: number; readonly timestamp: number; readonly command: Uint8Array; readonly result: R }
  | { readonly type: "reply"; readonly tag: number; readonly client: number; readonly timestamp: number; readonly result: R }
  | { readonly type: "viewChanged"; readonly view: number }
  | { readonly type: "slowPrimary"; readonly view: number; readonly primary: NodeId; readonly expectedTicks: number }
  | { readonly type: "stateTransferred"; readonly seq: number; readonly stateDigest: Uint8Array }
  | { readonly type: "misbehaviour"; readonly culprit: NodeId; readonly evidence: MisbehaviourEvidence }
  | { readonly type: "internalError"; readonly reason: string }
  | { readonly type: "halted"; readonly reason: string };
