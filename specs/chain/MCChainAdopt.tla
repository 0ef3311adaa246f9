------------------------------ MODULE MCChainAdopt ------------------------------
(* Chain.tla with OneByOne: the master's removals (up to two) take effect at each member in its  *)
(* own Adopt step, as in the code; two writes (three do not fit the budget).                     *)
EXTENDS Chain, TLC
CONSTANTS n1, n2, n3, k1
MCNodes == <<n1, n2, n3>>
=============================================================================
