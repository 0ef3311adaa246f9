// Misbehaviour evidence is forwarded until each peer acknowledges it: a conviction whose every copy
// the network loses still reaches the replicas beyond (EvidenceSpread, specs/pbft/properties.md).
import { describe, expect, it } from "vitest";
import type { NodeId } from "@synod/core";
import { Cluster } from "./cluster.js";
import { sign } from "../src/signing.js";
import type { Checkpoint } from "../src/messages.js";
import { simulationKeys } from "../src/simulation/simulation-keys.js";

const CONFIG = { authentication: "signatures" as const, viewChangeTimeoutTicks: 5, checkpointInterval: 2, windowSize: 8 };
const PERIOD = 20; // the default retransmission period, in ticks
const checkpoint = (replica: NodeId, seq: number, byte: number): Checkpoint =>
  sign<Checkpoint>(simulationKeys.provider, simulationKeys.secretKeyOf(replica), { type: "checkpoint", seq, stateDigest: new Uint8Array(32).fill(byte), replica });

/** n1 signs two state digests for checkpoint 2, both handed to n2, while the network loses every evidence message. */
function convictedAtN2Alone(): Cluster {
  const c = new Cluster(4, CONFIG);
  c.filter = (e) => e.message.type !== "evidence";
  c.inject("n1", "n2", checkpoint("n1", 2, 1));
  c.inject("n1", "n2", checkpoint("n1", 2, 2));
  c.deliverAll();
  return c;
}

const evidenceSince = (c: Cluster, from: number) =>
  c.sent
    .slice(from)
    .filter((e) => e.message.type === "evidence")
    .map((e) => [e.from, e.to]);

/** The network delivers again; one retransmission period: n2 sends its evidence to n3 and n4 again. @returns where `c.sent` stood before */
function resentByN2AfterAPeriod(c: Cluster): number {
  c.filter = () => true;
  const before = c.sent.length;
  c.tick(PERIOD);
  expect(evidenceSince(c, before).filter(([from]) => from === "n2")).toEqual([
    ["n2", "n3"],
    ["n2", "n4"],
  ]);
  return before;
}

describe("PBFT misbehaviour evidence is forwarded until each peer acknowledges it", () => {
  it("n2 convicts n1 and every copy of its evidence is lost → a period later n2 sends it again to n3 and n4 (not to n1) → both convict and acknowledge → nothing is sent again", () => {
    const c = convictedAtN2Alone();
    expect([...c.node("n2").provenFaulty.keys()]).toEqual(["n1"]);
    expect(c.node("n3").provenFaulty.size + c.node("n4").provenFaulty.size).toBe(0);
    const before = resentByN2AfterAPeriod(c);
    for (const id of ["n2", "n3", "n4"]) expect([...c.node(id).provenFaulty.keys()], id).toEqual(["n1"]);
    const acks = c.sent.slice(before).filter((e) => e.message.type === "disputeAck" && e.message.kind === "evidence" && e.to === "n2");
    expect(acks.map((e) => e.from).sort()).toEqual(["n3", "n4"]);
    const after = c.sent.length;
    c.tick(3 * PERIOD);
    expect(evidenceSince(c, after)).toEqual([]);
  });

  it("a replica that restarts forwards its durable evidence again; a peer that holds it already acknowledges without checking it again", () => {
    const c = convictedAtN2Alone();
    c.restart("n2");
    expect([...c.node("n2").provenFaulty.keys()]).toEqual(["n1"]);
    resentByN2AfterAPeriod(c);
    for (const id of ["n3", "n4"]) expect([...c.node(id).provenFaulty.keys()], id).toEqual(["n1"]);
  });
});
