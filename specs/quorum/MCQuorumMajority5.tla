-------------------- MODULE MCQuorumMajority5 --------------------
(* Majority of 5 voters: quorums of 3, tolerating 2 crashes. *)
EXTENDS Quorum

MCNodes == {"n1", "n2", "n3", "n4", "n5"}
MCFaulty == {}
MCMaxFaulty == 0
MCMaxCrashed == 2
MCQ1 == {S \in SUBSET MCNodes : 2 * Cardinality(S) > Cardinality(MCNodes)}
MCQ2 == MCQ1
MCTransitions == <<MCQ1>>
=============================================================================
