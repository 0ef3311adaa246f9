---------------------------- MODULE MCBroadcast ----------------------------
(* Model 1: relaying through a third node. 3 nodes, 2 values, 1 request, 2 crash+recoveries;
   nodes and values are symmetric (safety only). *)
EXTENDS Broadcast, TLC

CONSTANTS n1, n2, n3, v1, v2

MCNode == {n1, n2, n3}
MCValue == {v1, v2}
MCSymmetry == Permutations(MCNode) \cup Permutations(MCValue)
=============================================================================
