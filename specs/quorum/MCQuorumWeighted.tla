-------------------- MODULE MCQuorumWeighted --------------------
(* Weighted voting: n1 weighs 2, n2..n4 weigh 1 (total 5), threshold 3. *)
EXTENDS Quorum

MCNodes == {"n1", "n2", "n3", "n4"}
Weight(n) == IF n = "n1" THEN 2 ELSE 1
RECURSIVE WeightOf(_)
WeightOf(S) == IF S = {} THEN 0 ELSE LET n == CHOOSE m \in S : TRUE IN Weight(n) + WeightOf(S \ {n})
MCFaulty == {}
MCMaxFaulty == 0
MCMaxCrashed == 1
MCQ1 == {S \in SUBSET MCNodes : WeightOf(S) >= 3}
MCQ2 == MCQ1
MCTransitions == <<MCQ1>>
=============================================================================
