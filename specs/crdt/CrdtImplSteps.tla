---------------------------- MODULE CrdtImplSteps ----------------------------
(***************************************************************************)
(* A step of packages/crdt/src/replica-node.ts (CrdtReplicaNode) that       *)
(* DeltaAntiEntropy.tla has no action for, found by trace validation       *)
(* (CrdtTrace.tla; specs/crdt/properties.md, "Trace validation").          *)
(* DeltaAntiEntropy.tla is not changed: this module only adds the step.    *)
(*                                                                         *)
(* ReceiveAckCovering(m, covered): the implementation's ack also carries   *)
(* the acknowledger's version vector of delivered updates (`seen`). When   *)
(* it covers every update the receiver has delivered, the receiver treats  *)
(* its whole buffer as acknowledged by that peer (`onSeen`): ack[i][j]     *)
(* jumps to Len(buf[i]), past the ack's own seq, so the next interval     *)
(* starts there. The spec's ReceiveAck only moves it to the ack's seq.     *)
(* `covered` is the set of dots the vector names: a subset of what the    *)
(* acknowledger has delivered (it only grows), and a superset of what the  *)
(* receiver has. Safe by DeltaAbsorbed: every group in the skipped part of *)
(* the buffer names only updates the peer has delivered.                   *)
(***************************************************************************)
EXTENDS DeltaAntiEntropy

ReceiveAckCovering(m, covered) ==
  /\ m \in msgs
  /\ m.type = "ack"
  /\ covered \subseteq seen[m.from]
  /\ seen[m.to] \subseteq covered
  /\ ack' = [ack EXCEPT ![m.to][m.from] = Max(@, Len(buf[m.to]))]
  /\ \E keep \in BOOLEAN : msgs' = IF keep THEN msgs ELSE msgs \ {m}
  /\ UNCHANGED <<cnt, store, ctx, seen, nops, buf, hist>>

(* The spec with the step; `covered` = everything the acknowledger has      *)
(* delivered is the weakest choice (any smaller vector enables fewer steps). *)
ImplNext == Next \/ \E m \in msgs : ReceiveAckCovering(m, seen[m.from])

ImplSpec == Init /\ [][ImplNext]_vars
=============================================================================
