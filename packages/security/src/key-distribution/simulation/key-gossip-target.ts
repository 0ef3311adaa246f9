import type { ClusterView, Invariant, LivenessCheck, NodeId, SimulationTarget } from "@synod/core";
import { toHex } from "../../bytes.js";
import { createIdealProvider } from "../../ideal-provider.js";
import { seededRandomBytes } from "../../random.js";
import { statementBytes } from "../../statement.js";
import { keyGossipMessageCodec, keyGossipRecordCodec, type KeyGossipMessage, type KeyGossipRecord } from "../key-gossip-messages.js";
import { KeyGossipNode, type KeyGossipOutput } from "../key-gossip-node.js";

/** The simulation target type of key gossip. */
export type KeyGossipTarget = SimulationTarget<KeyGossipNode, KeyGossipMessage, never, KeyGossipOutput, KeyGossipRecord, never, never>;
type View = ClusterView<KeyGossipNode, never, never>;

/** Virtual ms per tick. */
export const KEY_GOSSIP_TICK_MS = 10;
const GOSSIP_EVERY = 5;

const provider = createIdealProvider(seededRandomBytes(0x6e7));
const secretKeyOf = (id: NodeId): Uint8Array => provider.sha256(statementBytes("synod/keygossip/sim/key", id));

/** @returns what a member's keyring says about every member: current epoch and revoked epochs */
export function keyringFingerprint(node: KeyGossipNode): string {
  return node.members
    .map((m) => {
      const keys = node.keyring.keysOf(m);
      return `${m}@${node.keyring.currentEpoch(m)}:${keys.map((k) => `${k.epoch}${k.revoked ? "r" : ""}=${toHex(k.publicKey).slice(0, 8)}`).join(",")}`;
    })
    .join(" ");
}

/**
 * `RevokedKeyRejected`: no member accepts a heartbeat signed under a key its keyring knows revoked
 * (checked on every accepted heartbeat, against the keyring right after).
 */
function revokedKeyRejected(): Invariant<KeyGossipNode, KeyGossipMessage, KeyGossipOutput, KeyGossipRecord, never, never> {
  return {
    name: "RevokedKeyRejected",
    afterStepOn: "persist-or-output",
    afterStep(id, step, view, node = view.nodes.get(id)) {
      for (const out of step.output) {
        const key = node?.keyring.keysOf(out.from).find((k) => k.epoch === out.epoch);
        if (key?.revoked === true) return `${id} accepted a heartbeat of ${out.from} under epoch ${out.epoch}, a key it knows revoked`;
      }
      return undefined;
    },
  };
}

/** `KeyringsConverge` (liveness): every member up holds the same keyring, including every rotation and revocation issued. */
function keyringsConverge(): LivenessCheck<KeyGossipNode, never, never> {
  return {
    description: "KeyringsConverge: every member holds the same keyring epochs and revocations, and every statement issued",
    boundMs: 3000,
    holds(view: View) {
      const nodes = view.members.map((id) => view.nodes.get(id));
      if (nodes.some((n) => n === undefined)) return false;
      const all = new Set<string>();
      for (const n of nodes) for (const s of n!.statements()) all.add(`${s.kind} ${s.certificate.nodeId} ${s.certificate.epoch}`);
      const first = keyringFingerprint(nodes[0]!);
      return nodes.every((n) => n!.statements().length === all.size && keyringFingerprint(n!) === first);
    },
  };
}

/**
 * Key rotation and revocation distributed by push gossip (registered as `keys`): every member rotates
 * once, at a tick drawn from its seed, and revokes its previous key; a thief holding that key keeps
 * sending heartbeats under it for a second.
 */
export function createKeyGossipSimulation(): KeyGossipTarget {
  return {
    name: "keys",
    description: "Key rotation and revocation statements spread by push gossip: keyrings converge, revoked keys are refused",
    defaultNodes: 5,
    minNodes: 2,
    tickMs: KEY_GOSSIP_TICK_MS,
    createNode(ctx) {
      const initialKeys = new Map(ctx.members.map((m) => [m, provider.getPublicKey(secretKeyOf(m))] as const));
      const rotateAtTick = ctx.rng.fork("scenario").int(20, 400);
      const initialSecretKey = secretKeyOf(ctx.id);
      const config = { provider, initialKeys, initialSecretKey, gossipEveryTicks: GOSSIP_EVERY, heartbeatEveryTicks: 10, rotateAtTick, leakTicks: 100 };
      return new KeyGossipNode(ctx, config);
    },
    messageCodec: keyGossipMessageCodec,
    recordCodec: keyGossipRecordCodec,
    createInvariants: () => [revokedKeyRejected()],
    liveness: keyringsConverge(),
    metrics(view: View) {
      let accepted = 0;
      let rejectedRevoked = 0;
      let bad = 0;
      for (const node of view.nodes.values()) {
        if (node === undefined) continue;
        accepted += node.counters.accepted;
        rejectedRevoked += node.counters.rejectedRevoked;
        bad += node.counters.badStatements + node.counters.malformed;
      }
      const prints = new Set([...view.nodes.values()].filter((n) => n !== undefined).map((n) => keyringFingerprint(n!)));
      return { heartbeatsAccepted: accepted, rejectedRevoked, badInput: bad, distinctKeyrings: prints.size };
    },
  };
}

/** The key-gossip target (registered as `keys`). */
export const keyGossipSimulation: KeyGossipTarget = createKeyGossipSimulation();
