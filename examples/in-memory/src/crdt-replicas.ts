// Two CRDT replicas that keep working while cut off from each other, then converge. Each replica is
// a pure node (a PN-counter, an OR-set, an LWW register and an RGA text in one document) that syncs
// by delta anti-entropy; this file is the driver. Run: pnpm example:crdt-replicas
import { createRng, FRESH_STATE, type Envelope, type NodeId } from "@synod/core";
import { crdtMessageCodec, CrdtReplicaNode, type CrdtMessage, type DocumentOp } from "@synod/crdt";

const ids: NodeId[] = ["paris", "tokyo"];
const replicas = new Map(ids.map((id) => [id, new CrdtReplicaNode({ id, members: ids, rng: createRng(7).fork(id), recovered: FRESH_STATE })]));
let connected = true;
let inFlight: Envelope<CrdtMessage>[] = [];
let invocation = 0;

function obey(step: ReturnType<CrdtReplicaNode["tick"]>): void {
  // (a real driver persists step.persist before sending: see the core README's contract)
  inFlight.push(...step.send);
  for (const out of step.output) if (out.type === "rejected" || out.type === "alarm") throw new Error(JSON.stringify(out));
}

function edit(at: NodeId, op: DocumentOp): void {
  obey(replicas.get(at)!.request({ invocation: ++invocation, op }));
}

/** Let `ticks` ticks pass; while disconnected, every message is lost. */
function run(ticks: number): void {
  for (let t = 0; t < ticks; t++) {
    const delivering = inFlight;
    inFlight = [];
    for (const { from, to, message } of delivering) {
      if (connected) obey(replicas.get(to)!.receiveBytes(from, crdtMessageCodec.encode(message)));
    }
    for (const replica of replicas.values()) obey(replica.tick());
  }
}

function show(label: string): void {
  console.log(label);
  for (const [id, r] of replicas) {
    const d = r.document;
    console.log(`  ${id.padEnd(5)} counter=${d.counter.value()} set=${JSON.stringify(d.set.values())} register=${JSON.stringify(d.register.value())} text=${JSON.stringify(d.text.toString())}`);
  }
}

edit("paris", { type: "insert", index: 0, text: "hello world" });
edit("paris", { type: "add", element: "milk" });
run(20);
show("in sync:");

connected = false;
edit("paris", { type: "increment", amount: 2 });
edit("tokyo", { type: "increment", amount: 3 });
edit("paris", { type: "remove", element: "milk" }); // concurrent with…
edit("tokyo", { type: "add", element: "milk" }); //    …a re-add: add wins
edit("paris", { type: "insert", index: 5, text: "," });
edit("tokyo", { type: "insert", index: 11, text: "!" });
edit("tokyo", { type: "assign", value: "tokyo wrote last" });
run(20);
show("partitioned (each replica saw only its own edits):");

connected = true;
run(40);
show("healed (converged):");

// An edit outside the text is refused with a reason, never clamped: read the length first.
const refused = replicas.get("paris")!.request({ invocation: ++invocation, op: { type: "insert", index: 99, text: "?" } });
console.log(`insert at 99: ${JSON.stringify(refused.output[0])}`);
if (refused.output[0]?.type !== "rejected") throw new Error("an insert past the end was not rejected");
const [a, b] = ids.map((id) => replicas.get(id)!.document);
if (a!.text.toString() !== b!.text.toString() || a!.counter.value() !== 5 || !a!.set.values().includes("milk")) throw new Error("the replicas did not converge");
