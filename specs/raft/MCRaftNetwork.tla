---------------------------- MODULE MCRaftNetwork ----------------------------
(* The bounded model of MCRaft.tla under another name, so that the spec   *)
(* runner pairs MCRaftNetwork.cfg with a module of the same name.              *)
EXTENDS MCRaft
=============================================================================
