------------------------------ MODULE MCChainJoin ------------------------------
(* Chain.tla with joins: up to two removals and one join (a restart is a removal and a join), two  *)
(* writes (three with a join and two removals does not fit CI's budget: 686,899 distinct states,  *)
(* 65 CPU-s unloaded but over the runner's 10-minute limit on a loaded host; verification_summary). *)
EXTENDS Chain, TLC
CONSTANTS n1, n2, n3, k1
MCNodes == <<n1, n2, n3>>
=============================================================================
