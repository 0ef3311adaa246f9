-------------------- MODULE MCQuorumMajority3 --------------------
(* Majority of 3 voters: quorums of 2, tolerating 1 crash. *)
EXTENDS Quorum

MCNodes == {"n1", "n2", "n3"}
MCFaulty == {}
MCMaxFaulty == 0
MCMaxCrashed == 1
MCQ1 == {S \in SUBSET MCNodes : 2 * Cardinality(S) > Cardinality(MCNodes)}
MCQ2 == MCQ1
MCTransitions == <<MCQ1>>
=============================================================================
