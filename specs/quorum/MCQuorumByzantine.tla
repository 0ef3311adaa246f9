-------------------- MODULE MCQuorumByzantine --------------------
(* Byzantine n = 4, f = 1: quorums of 2f+1 = 3; n4 is Byzantine and equivocates. *)
EXTENDS Quorum

MCNodes == {"n1", "n2", "n3", "n4"}
MCFaulty == {"n4"}
MCMaxFaulty == 1
MCMaxCrashed == 1
MCQ1 == {S \in SUBSET MCNodes : Cardinality(S) >= 3}
MCQ2 == MCQ1
MCTransitions == <<MCQ1>>
=============================================================================
