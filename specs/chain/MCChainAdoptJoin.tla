---------------------------- MODULE MCChainAdoptJoin ----------------------------
(* Chain.tla with OneByOne and a join: one removal and one join (a restart), each adopted member *)
(* by member; the joiner gets its copy when it and its predecessor both adopted (Link).          *)
EXTENDS Chain, TLC
CONSTANTS n1, n2, n3, k1
MCNodes == <<n1, n2, n3>>
=============================================================================
