-------------------- MODULE MCQuorumFlexible --------------------
(* Flexible Paxos over 5 voters: phase-1 quorums of 4, phase-2 quorums of 2 (4 + 2 > 5).
   Two phase-2 quorums may be disjoint by design (one leader per ballot proposes one value), so
   this model checks DecidedIsRecoverable rather than Agreement: whatever was decided by a phase-2
   quorum is seen by every phase-1 quorum. *)
EXTENDS Quorum

MCNodes == {"n1", "n2", "n3", "n4", "n5"}
MCFaulty == {}
MCMaxFaulty == 0
MCMaxCrashed == 1
MCQ1 == {S \in SUBSET MCNodes : Cardinality(S) >= 4}
MCQ2 == {S \in SUBSET MCNodes : Cardinality(S) >= 2}
MCTransitions == <<MCQ2>>
=============================================================================
