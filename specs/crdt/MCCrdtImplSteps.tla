------------------------- MODULE MCCrdtImplSteps -------------------------
(* DeltaAntiEntropy.tla with the implementation step of CrdtImplSteps.tla   *)
(* (ReceiveAckCovering), at the bounds of MCDeltaAntiEntropy.cfg. Checked by *)
(* hand (MCCrdtImplSteps.simcfg; verification_summary.md), not by          *)
(* `pnpm specs` (its config is not named *.cfg).                           *)
EXTENDS CrdtImplSteps, TLC

CONSTANTS r1, r2

MCReplica == {r1, r2}
MCElem == {"a"}
MCSymmetry == Permutations(MCReplica)
=============================================================================
