--------------------- MODULE MCDeltaAntiEntropyCorrupt ---------------------
(* MCDeltaAntiEntropy.tla under the name of MCDeltaAntiEntropyCorrupt.cfg  *)
(* (corrupted records, compaction, nacks), so that the runner pairs the    *)
(* cfg with a module.                                                      *)
EXTENDS MCDeltaAntiEntropy
=============================================================================
