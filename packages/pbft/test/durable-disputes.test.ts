import { describe, expect, it } from "vitest";
import { emptyStep, type NodeId } from "@synod/core";
import type { Checkpoint, DisputeAck, DisputeMessage, PbftMessage } from "../src/messages.js";
import type { PbftNode } from "../src/pbft-node.js";
import { sign } from "../src/signing.js";
import { DurableDisputes } from "../src/simulation/durable-disputes.js";
import { simulationKeys } from "../src/simulation/simulation-keys.js";

const MEMBERS: readonly NodeId[] = ["n1", "n2", "n3", "n4"];
const FAULTY: ReadonlySet<NodeId> = new Set(["n4"]);

/** A stand-in for replica n2's node: only what the watch reads. */
function node(stableCheckpoint: number, proven: NodeId[] = []): PbftNode<unknown> {
  return { stableCheckpoint, provenFaulty: new Map(proven.map((id) => [id, {}])) } as unknown as PbftNode<unknown>;
}

const checkpoint = (seq: number): Checkpoint =>
  sign<Checkpoint>(simulationKeys.provider, simulationKeys.secretKeyOf("n4"), { type: "checkpoint", seq, stateDigest: new Uint8Array(32).fill(seq), replica: "n4" });

/** The step of n2 that forwards n4's checkpoint at `seq` to n1 and n3 (one message object, as a broadcast). */
function forwarding(seq: number) {
  const message = sign<DisputeMessage>(simulationKeys.provider, simulationKeys.secretKeyOf("n2"), { type: "dispute", statement: checkpoint(seq), replica: "n2" });
  return { ...emptyStep<PbftMessage, never, never>(), send: [{ from: "n2" as NodeId, to: "n1" as NodeId, message }, { from: "n2" as NodeId, to: "n3" as NodeId, message }] };
}

const ack = (from: NodeId, seq: number): DisputeAck =>
  sign<DisputeAck>(simulationKeys.provider, simulationKeys.secretKeyOf(from), { type: "disputeAck", kind: "checkpoint", signer: "n4", at: seq, replica: from });

describe("DurableDisputes (EvidenceFound's view of durable checkpoint disputes)", () => {
  it("holds a forwarded checkpoint until every peer but the signer acknowledged it", () => {
    const watch = new DurableDisputes();
    watch.afterDelivery("n2", node(0), forwarding(8), checkpoint(8), "n4", FAULTY, MEMBERS);
    expect(watch.heldBy("n2", "n4", 0)).toEqual([checkpoint(8)]);
    expect(watch.heldBy("n1", "n4", 0)).toEqual([]); // only the forwarder holds it
    watch.afterDelivery("n2", node(0), emptyStep(), ack("n1", 8), "n1", FAULTY, MEMBERS);
    expect(watch.heldBy("n2", "n4", 0)).toEqual([checkpoint(8)]); // n3 has not acknowledged
    watch.afterDelivery("n2", node(0), emptyStep(), ack("n3", 8), "n3", FAULTY, MEMBERS);
    expect(watch.heldBy("n2", "n4", 0)).toEqual([]);
  });

  it("lets go once the stable checkpoint passed it or the signer is convicted, and ignores correct signers", () => {
    const watch = new DurableDisputes();
    watch.afterDelivery("n2", node(0), forwarding(8), checkpoint(8), "n4", FAULTY, MEMBERS);
    watch.afterDelivery("n2", node(0), forwarding(16), checkpoint(16), "n4", FAULTY, MEMBERS);
    expect(watch.heldBy("n2", "n4", 16)).toEqual([checkpoint(16)]); // what is below the stable checkpoint asked is not handed out
    watch.afterDelivery("n2", node(16), emptyStep(), checkpoint(16), "n4", FAULTY, MEMBERS);
    expect(watch.heldBy("n2", "n4", 0)).toEqual([checkpoint(16)]); // 8 is gone for good
    watch.afterDelivery("n2", node(16, ["n4"]), emptyStep(), checkpoint(16), "n4", FAULTY, MEMBERS);
    expect(watch.heldBy("n2", "n4", 0)).toEqual([]);
    const honest = new DurableDisputes();
    honest.afterDelivery("n2", node(0), forwarding(8), checkpoint(8), "n4", new Set(), MEMBERS);
    expect(honest.heldBy("n2", "n4", 0)).toEqual([]); // a correct signer's checkpoint demands nothing
  });
});
