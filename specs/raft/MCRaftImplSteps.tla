--------------------------- MODULE MCRaftImplSteps ---------------------------
(* The bounded model of MCRaft.tla with the three implementation steps of   *)
(* RaftImplSteps.tla added to Next (ImplSpec). Checked by hand with         *)
(* MCRaftImplSteps.simcfg (not a .cfg: pnpm specs does not run it; figures  *)
(* in verification_summary.md, "Trace validation").                         *)
EXTENDS MCRaft, RaftImplSteps
=============================================================================
