-------------------- MODULE MCQuorumJoint --------------------
(* Joint consensus: old = {n1 n2 n3}, new = {n3 n4 n5}; a joint quorum is a majority of both.
   Transitions: old -> joint -> new, each consecutive pair must intersect. *)
EXTENDS Quorum

Old == {"n1", "n2", "n3"}
New == {"n3", "n4", "n5"}
MCNodes == Old \cup New
Majority(C) == {S \in SUBSET MCNodes : 2 * Cardinality(S \cap C) > Cardinality(C)}
MCFaulty == {}
MCMaxFaulty == 0
MCMaxCrashed == 1
MCQ1 == Majority(Old) \cap Majority(New)
MCQ2 == MCQ1
MCTransitions == <<Majority(Old), MCQ1, Majority(New)>>
=============================================================================
