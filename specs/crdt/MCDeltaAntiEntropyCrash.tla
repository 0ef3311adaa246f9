---------------------- MODULE MCDeltaAntiEntropyCrash ----------------------
(* MCDeltaAntiEntropy.tla under the name of MCDeltaAntiEntropyCrash.cfg    *)
(* (crashes and recovery), so that the runner pairs the cfg with a module. *)
EXTENDS MCDeltaAntiEntropy
=============================================================================
