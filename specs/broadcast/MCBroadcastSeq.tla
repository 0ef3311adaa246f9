-------------------------- MODULE MCBroadcastSeq --------------------------
(* Model 2: sequence numbers across recoveries. 2 nodes, 2 values, 2 requests, 2 crash+recoveries:
   an origin that crashes must not reuse a seq it already gave. Symmetric in nodes and values. *)
EXTENDS Broadcast, TLC

CONSTANTS n1, n2, v1, v2

MCNode == {n1, n2}
MCValue == {v1, v2}
MCSymmetry == Permutations(MCNode) \cup Permutations(MCValue)
=============================================================================
