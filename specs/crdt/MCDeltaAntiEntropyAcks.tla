----------------------- MODULE MCDeltaAntiEntropyAcks -----------------------
(* MCDeltaAntiEntropy.tla under the name of MCDeltaAntiEntropyAcks.cfg (two *)
(* messages in flight), so that the runner pairs the cfg with a module.     *)
EXTENDS MCDeltaAntiEntropy
=============================================================================
