------------------------- MODULE MCDeltaAntiEntropy -------------------------
EXTENDS DeltaAntiEntropy, TLC

CONSTANTS r1, r2

MCReplica == {r1, r2}
MCElem == {"a"}
\* Replicas are interchangeable: every behaviour has a mirror image with the ids swapped.
MCSymmetry == Permutations(MCReplica)

(* Reachability ("Never...") properties: TLC must find each VIOLATED          *)
(* (expected-failures.json), which proves the model reaches the situation.  *)

\* No delta is ever acknowledged.
NeverAckedDelta == \A i, j \in MCReplica : ack[i][j] = 0

\* The two replicas never hold the same non-empty OR-Set (never converge on content).
NeverConvergedWithElement == ~\E i, j \in MCReplica : i # j /\ store[i] = store[j] /\ store[i] # {}

\* A remove never takes effect at a replica that learned of the add from the other one.
NeverRemoteAddRemoved == ~\E i \in MCReplica : \E d \in ctx[i] : d[1] # i /\ ~\E x \in store[i] : x[2] = d

\* An ack that covers the receiver never moves the acknowledged point past the ack's own seq.
NeverCoveringAckSkips ==
  [][\A m \in msgs : ~(ReceiveAckCovering(m, seen[m.from]) /\ ack'[m.to][m.from] > Max(ack[m.to][m.from], m.seq))]_vars

\* A replica that restarted never has an acknowledgement of its new session.
NeverAckedAfterRestart == \A i, j \in MCReplica : sess[i] > 0 => ack[i][j] = 0

\* MCDeltaAntiEntropyCrash.cfg: at most one restart per replica.
MCCrashConstraint == StateConstraint /\ \A i \in MCReplica : sess[i] <= 1

\* MCDeltaAntiEntropyCorrupt.cfg: at most two restarts, both of the same replica (a corrupted
\* restart, then a compaction and another restart: the sequence that reissued a dot in seed 1127).
MCCorruptConstraint == StateConstraint /\ sess[r1] + sess[r2] <= 2 /\ (sess[r1] = 0 \/ sess[r2] = 0)

\* A replica that lost records gets the full state it waits for (the nack round trip completes).
NeverFullStateAfterCorruption == \A i \in MCReplica : bad[i] \/ mark[i] => needsFull[i] # {}

\* A read-only replica never takes a checkpoint (so never one carrying the mark).
NeverReadOnlyCheckpoint == \A i \in MCReplica : ~mark[i]

\* A read-only replica never refuses an interval from a peer whose full state it waits for.
NeverIntervalRefused == [][\A m \in msgs : ~ReceiveDeltaRefused(m)]_vars
=============================================================================
