---------------------------------- MODULE MCSwim ----------------------------------
EXTENDS Swim, TLC, FiniteSets
CONSTANTS m1, m2, m3
MCMembers == {m1, m2, m3}
Symmetry == Permutations(MCMembers)
(* A bound on exploration, like MaxInc: at most 4 of the 3 * (MaxInc + 1) possible entries in a member's *)
(* claims history. Unbounded, the model passes too (5,484,528 distinct states, 968 s of CPU:   *)
(* verification_summary.md), too long for CI; bounded it explores 728,484 (old model: 122,340).       *)
ClaimsBound == \A m \in Members : Cardinality(claims[m]) <= 4
===================================================================================
